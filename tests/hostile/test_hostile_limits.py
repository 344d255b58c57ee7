"""
Bounded memory against a hostile server: an endless body, a gzip bomb and an event-stream line that
never ends are cut off at the client's `Limits` while they arrive, with a `SequrityLimitError` that
names the limit and how to raise it. Memory is measured in a fresh process per scenario.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from hostile_server import (
    MODEL,
    MiB,
    Request,
    bomb_answer,
    chunk,
    endless,
    gzip_bomb,
    head,
    json_answer,
    run_call,
    serving,
    sse_answer,
)

from sequrity import (
    AsyncSequrityClient,
    Limits,
    SequrityClient,
    SequrityLimitError,
    SequrityValidationError,
)

pytestmark = pytest.mark.anyio

PROBE = Path(__file__).with_name("memory_probe.py")
#: Growth allowed for one hostile answer: the default limits hold at most 64 MiB of body.
MAX_GROWTH_MIB = 150
#: How much a hostile server sends before giving up; far past every default limit.
FLOOD = 512 * MiB

SCENARIOS: dict[str, tuple[Any, bool, str]] = {
    "endless_body": (
        lambda: endless(b"", b"\0" * (64 * 1024), FLOOD, Content_Type="application/json"),
        False,
        "max_body_size",
    ),
    "gzip_bomb": (lambda: bomb_answer(gzip_bomb(1)), False, "max_decompressed_size"),
    "endless_sse_line": (
        lambda: endless(b"data: ", b"x" * (64 * 1024), FLOOD, Content_Type="text/event-stream"),
        True,
        "max_sse_line",
    ),
}


async def probe(mode: str, url: str, stream: bool) -> dict[str, Any]:
    """Run the memory probe in a fresh interpreter; return what it reported."""
    shape = "stream" if stream else "plain"
    done = await anyio.run_process([sys.executable, str(PROBE), mode, url, shape], check=False)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    result: dict[str, Any] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return result


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="measures RSS through /proc")
@pytest.mark.parametrize("mode", ["async", "sync"])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
async def test_hostile_answer_is_cut_off_at_its_limit_with_bounded_memory(scenario, mode):
    """The call fails with the limit's typed error; the process grew well under 300 MB."""
    make_handler, stream, limit = SCENARIOS[scenario]

    async with serving(make_handler()) as server:
        result = await probe(mode, server.base_url, stream)

    print(f"{scenario} ({mode}): peak RSS grew {result['growth_mib']:.0f} MiB")
    assert result["error"] == "SequrityLimitError", result
    assert result["limit"] == limit
    assert f"limits=Limits({limit}=...)" in result["message"]
    assert result["growth_mib"] < MAX_GROWTH_MIB


# -- each limit, small, in process -------------------------------------------------------------


def small(**limits: int) -> dict[str, Any]:
    """Client options with these limits."""
    return {"client_options": {"limits": Limits(**limits)}}


@pytest.mark.parametrize("mode", ["async", "sync"])
async def test_a_declared_length_over_the_limit_is_refused_before_reading(mode):
    """A ``Content-Length`` above `max_body_size` is refused without reading the body."""
    async with serving(json_answer(b'{"x": "' + b"a" * 5000 + b'"}')) as server:
        url = server.base_url
        outcome = await run_call(mode, url, **small(max_body_size=1000))

    assert isinstance(outcome.error, SequrityLimitError)
    assert outcome.error.limit == "max_body_size"
    assert outcome.error.max_size == 1000
    assert str(outcome.error.url).startswith(url)
    assert "Limits.max_body_size (1,000 bytes)" in str(outcome.error)


@pytest.mark.parametrize("mode", ["async", "sync"])
async def test_a_body_without_length_is_cut_off_while_it_arrives(mode):
    """A body sent until the connection closes stops at `max_body_size`, keeping its start."""
    handler = endless(b'{"start": ', b"1" * 1024, 10 * MiB, Content_Type="application/json")
    async with serving(handler) as server:
        outcome = await run_call(mode, server.base_url, **small(max_body_size=4096))

    assert isinstance(outcome.error, SequrityLimitError)
    assert outcome.error.limit == "max_body_size"
    assert outcome.error.body.startswith('{"start": 111')


async def test_a_small_gzip_bomb_is_cut_off_at_the_decompressed_limit():
    """A body inflating past `max_decompressed_size` fails, although few bytes arrived."""
    async with serving(bomb_answer(gzip_bomb(1))) as server:
        outcome = await run_call("async", server.base_url, **small(max_decompressed_size=MiB))

    assert isinstance(outcome.error, SequrityLimitError)
    assert outcome.error.limit == "max_decompressed_size"


@pytest.mark.parametrize("mode", ["async", "sync"])
async def test_an_error_body_over_the_limit_is_cut_off_too(mode):
    """The body of an error status (read whole for the message) is bounded as well."""
    handler = endless(b"", b"<html>" * 1000, 10 * MiB, Content_Type="text/html")

    async def failing(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(head("500 Internal Server Error", Content_Type="text/html"))
        await handler(request, writer)

    async with serving(failing) as server:
        plain = await run_call(mode, server.base_url, **small(max_body_size=8192))
        stream = await run_call(mode, server.base_url, stream=True, **small(max_body_size=8192))

    assert isinstance(plain.error, SequrityLimitError)
    assert isinstance(stream.error, SequrityLimitError)


@pytest.mark.parametrize("mode", ["async", "sync"])
async def test_a_long_sse_line_fails_after_the_events_before_it(mode):
    """Events before an over-long line are delivered, then `max_sse_line` fires."""
    writes = [chunk("a") + chunk("b") + b"data: " + b"x" * 5000, b"y" * 5000 + b"\n\n"]
    async with serving(sse_answer(*writes)) as server:
        outcome = await run_call(mode, server.base_url, stream=True, **small(max_sse_line=4096))

    assert [c.choices[0].delta.content for c in outcome.events] == ["a", "b"]
    assert isinstance(outcome.error, SequrityLimitError)
    assert outcome.error.limit == "max_sse_line"
    assert outcome.error.body.startswith("data: xxx")


@pytest.mark.parametrize("mode", ["async", "sync"])
async def test_an_event_of_many_lines_over_the_limit_fails(mode):
    """Many short ``data:`` lines adding up past `max_sse_event` fail the same way."""
    many = b"data: " + b"z" * 100 + b"\n"
    async with serving(sse_answer(chunk("a"), many * 100, b"\n")) as server:
        outcome = await run_call(mode, server.base_url, stream=True, **small(max_sse_event=5000))

    assert [c.choices[0].delta.content for c in outcome.events] == ["a"]
    assert isinstance(outcome.error, SequrityLimitError)
    assert outcome.error.limit == "max_sse_event"


async def test_the_connection_is_usable_after_a_limit_fired():
    """A client whose answer was cut off keeps working for the next call."""
    answer = json.dumps(
        {
            "id": "c",
            "object": "chat.completion",
            "created": 1,
            "model": MODEL,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "hi"},
                    "finish_reason": "stop",
                }
            ],
        }
    ).encode()
    sizes = iter([5000, len(answer)])

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        await json_answer(answer if next(sizes) == len(answer) else answer + b" " * 5000)(
            request, writer
        )

    async with (
        serving(handler) as server,
        AsyncSequrityClient(
            "sq-k", base_url=server.base_url, retry=None, limits=Limits(max_body_size=1000)
        ) as client,
    ):
        with pytest.raises(SequrityLimitError):
            await client.control.chat.create([{"role": "user", "content": "x"}], MODEL)
        ok = await client.control.chat.create([{"role": "user", "content": "x"}], MODEL)

    assert ok.content == "hi"


# -- the value itself --------------------------------------------------------------------------


def test_default_limits_are_documented_values():
    """The defaults are 32 MiB, 64 MiB, 16 MiB and 32 MiB."""
    assert Limits() == Limits(
        max_body_size=32 * MiB,
        max_decompressed_size=64 * MiB,
        max_sse_line=16 * MiB,
        max_sse_event=32 * MiB,
    )


@pytest.mark.parametrize("value", [0, -1, 1.5, True, "1MB", None])
def test_a_limit_must_be_a_positive_int(value):
    """A limit that is not a positive number of bytes is refused, naming the field."""
    with pytest.raises(SequrityValidationError, match=r"Limits\.max_sse_line"):
        Limits(max_sse_line=value)


@pytest.mark.parametrize("cls", [AsyncSequrityClient, SequrityClient])
def test_limits_are_set_per_client(cls):
    """Both clients take ``limits=`` and show it; anything but a `Limits` is refused."""
    limits = Limits(max_body_size=1234)

    client = cls("sq-k", base_url="http://127.0.0.1:1", limits=limits)

    assert client.limits == limits
    with pytest.raises(SequrityValidationError, match="limits"):
        cls("sq-k", base_url="http://127.0.0.1:1", limits={"max_body_size": 1})
