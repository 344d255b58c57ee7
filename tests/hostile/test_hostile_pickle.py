"""
Every kind of error the hostile server provokes, raised through the async and the blocking client,
survives a `pickle` round trip unchanged (type, message, status, body, request id, headers): what a
`multiprocessing.Pool` or `ProcessPoolExecutor` needs to hand it back.
"""

from __future__ import annotations

import asyncio
import pickle
from typing import Any

import pytest
from hostile_server import (
    MiB,
    Request,
    chunk,
    endless,
    event,
    head,
    json_answer,
    run_call,
    serving,
    sse_answer,
)

from sequrity import (
    Limits,
    RateLimitError,
    SequrityAPIError,
    SequrityConnectionError,
    SequrityDecodeError,
    SequrityLimitError,
    SequrityStreamError,
    SequrityTimeoutError,
    ServiceUnavailableError,
    Timeout,
)

pytestmark = pytest.mark.anyio


def status(line: str, body: bytes, **headers: str) -> Any:
    """An error status with a JSON body and extra headers."""

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(
            head(
                line,
                Content_Type="application/json",
                Content_Length=str(len(body)),
                X_Request_ID="req-hostile-1",
                Set_Cookie="session=abc",
                **headers,
            )
            + body
        )
        await writer.drain()

    return handler


async def silent(request: Request, writer: asyncio.StreamWriter) -> None:
    """Send the head of a stream, then nothing until the client hangs up."""
    writer.write(head(Content_Type="text/event-stream"))
    await writer.drain()
    for _ in range(100):
        if writer.is_closing():
            return
        await asyncio.sleep(0.05)


async def broken_status_line(request: Request, writer: asyncio.StreamWriter) -> None:
    """Not HTTP."""
    writer.write(b"HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n")
    await writer.drain()


#: name -> (handler, stream?, call options, expected error type)
SCENARIOS: dict[str, tuple[Any, bool, dict[str, Any], type[BaseException]]] = {
    "rate_limited": (
        status("429 Too Many Requests", b'{"detail": "slow down"}', Retry_After="7"),
        False,
        {},
        RateLimitError,
    ),
    "unavailable": (status("503 Unavailable", b'{"detail": "later"}'), True, {}, ServiceUnavailableError),
    "error_object_in_200": (status("200 OK", b'{"error": {"message": "nope"}}'), False, {}, SequrityAPIError),
    "not_json": (json_answer(b"<html>"), False, {}, SequrityDecodeError),
    "in_band_error": (
        sse_answer(chunk("a") + event(None, {"error": {"message": "boom"}})),
        True,
        {},
        SequrityStreamError,
    ),
    "stream_idle": (silent, True, {"timeout": Timeout(stream_idle=0.2)}, SequrityTimeoutError),
    "over_limit": (
        endless(b"", b"x" * 4096, 4 * MiB, Content_Type="application/json"),
        False,
        {"client_options": {"limits": Limits(max_body_size=10_000)}},
        SequrityLimitError,
    ),
    "broken_http": (broken_status_line, False, {}, SequrityConnectionError),
}  # fmt: skip


def visible(error: BaseException) -> dict[str, Any]:
    """What a user reads from an error: type, text, args and public attributes."""
    return {
        "type": type(error),
        "str": str(error),
        "args": error.args,
        **{k: v for k, v in vars(error).items() if not k.startswith("_")},
    }


@pytest.mark.parametrize("mode", ["async", "sync"])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
async def test_every_error_raised_survives_a_pickle_round_trip(scenario, mode):
    """The error a hostile answer causes pickles to an equal error, through either client."""
    handler, stream, options, expected = SCENARIOS[scenario]
    async with serving(handler) as server:
        outcome = await run_call(mode, server.base_url, stream=stream, **options)

    assert type(outcome.error) is expected
    restored = pickle.loads(pickle.dumps(outcome.error))
    assert visible(restored) == visible(outcome.error)
    if isinstance(outcome.error, SequrityAPIError):
        assert restored.headers["Set-Cookie"] == "<redacted>"
        assert restored.request_id == "req-hostile-1"
