"""
Every emulator fault kind x {plain, stream} x {async, sync}: each call ends with the right result
or the right typed error, never a third-party exception; plus unreachable and invalid base URLs,
and a census that every public exception type can actually be raised.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import anyio
import attrs
import pytest

import sequrity
from sequrity import (
    AsyncSequrityClient,
    BadRequestError,
    RateLimitError,
    SequrityClient,
    SequrityConnectionError,
    SequrityDecodeError,
    SequrityError,
    SequrityStreamError,
    SequrityTimeoutError,
    SequrityValidationError,
    ServiceUnavailableError,
    Timeout,
)
from sequrity.testing import Emulator, Fault

pytestmark = pytest.mark.anyio

CREATE = "control.chat.create"
MODEL = "openai/gpt-5-mini"
HELLO = [{"role": "user", "content": "What is the largest prime number below 100?"}]
FAST_RETRY = sequrity.RetryPolicy(initial_backoff=0, max_backoff=0)

OK = "ok"


@attrs.frozen
class Expect:
    """What a call should end with: `OK`, or an exact error type (and timeout kind)."""

    outcome: str | type[SequrityError]
    hits: int
    kind: str | None = None


@attrs.frozen
class Case:
    """One fault kind: how to register it, call options, and the plain and stream outcomes."""

    name: str
    install: Callable[[Emulator], Fault]
    plain: Expect
    stream: Expect
    options: dict[str, Any] = attrs.field(factory=dict)


CASES = [
    Case(
        "status_503",
        lambda e: e.faults.always().status(503),
        Expect(ServiceUnavailableError, 3),
        Expect(ServiceUnavailableError, 3),
    ),
    Case(
        "status_503_then_ok",
        lambda e: e.faults.next_n(2).status(503, retry_after=0),
        Expect(OK, 2),
        Expect(OK, 2),
    ),
    Case(
        "status_400",
        lambda e: e.faults.always().status(400),
        Expect(BadRequestError, 1),
        Expect(BadRequestError, 1),
    ),
    Case(
        "status_429_long_retry_after",
        lambda e: e.faults.always().status(429, retry_after=3600),
        Expect(RateLimitError, 1),
        Expect(RateLimitError, 1),
    ),
    Case(
        "delay_short",
        lambda e: e.faults.always().delay(0.01),
        Expect(OK, 1),
        Expect(OK, 1),
    ),
    Case(
        "delay_over_total",
        lambda e: e.faults.always().delay(0.3),
        Expect(SequrityTimeoutError, 1, "total"),
        Expect(SequrityTimeoutError, 1, "total"),
        {"timeout": Timeout(total=0.1)},
    ),
    Case(
        "delay_over_read",
        lambda e: e.faults.always().delay(0.3),
        Expect(SequrityTimeoutError, 3, "read"),
        Expect(SequrityTimeoutError, 3, "read"),
        {"timeout": Timeout(read=0.05)},
    ),
    Case(
        "reset_before_headers",
        lambda e: e.faults.always().reset(),
        Expect(SequrityConnectionError, 3),
        Expect(SequrityConnectionError, 3),
    ),
    Case(
        "reset_once",
        lambda e: e.faults.next_n(1).reset(),
        Expect(OK, 1),
        Expect(OK, 1),
    ),
    Case(
        "reset_during_body",
        lambda e: e.faults.always().reset(during_body=True, after_events=2),
        Expect(SequrityConnectionError, 3),
        Expect(SequrityStreamError, 1),
    ),
    Case(
        "truncate_body",
        lambda e: e.faults.always().truncate_body(),
        Expect(SequrityDecodeError, 1),
        Expect(OK, 0),
    ),
    Case(
        "truncate_stream",
        lambda e: e.faults.always().truncate_stream(),
        Expect(OK, 0),
        Expect(SequrityStreamError, 1),
    ),
    Case(
        "truncate_stream_early",
        lambda e: e.faults.always().truncate_stream(after_events=1),
        Expect(OK, 0),
        Expect(SequrityStreamError, 1),
    ),
    Case(
        "stream_error",
        lambda e: e.faults.always().stream_error("upstream failed", after_events=1),
        Expect(OK, 0),
        Expect(SequrityStreamError, 1),
    ),
    Case(
        "stream_delay",
        lambda e: e.faults.always().stream_delay(0.005),
        Expect(OK, 0),
        Expect(OK, 1),
    ),
    Case(
        "stream_delay_over_idle",
        lambda e: e.faults.always().stream_delay(0.25),
        Expect(OK, 0),
        Expect(SequrityTimeoutError, 1, "stream_idle"),
        {"timeout": Timeout(stream_idle=0.05)},
    ),
    Case(
        "trickle",
        lambda e: e.faults.always().trickle(chunk_size=7, seconds=0),
        Expect(OK, 1),
        Expect(OK, 1),
    ),
]


def assert_sequrity_error(exc: BaseException) -> None:
    """The error belongs to the SDK's own tree (no aiohttp/asyncio/json/cattrs/anyio leak)."""
    assert isinstance(exc, SequrityError), f"leaked {type(exc).__module__}.{type(exc).__name__}"
    assert type(exc).__module__.startswith("sequrity"), type(exc).__module__


async def run_call(api: Any, shape: str, options: dict[str, Any]) -> tuple[str, Any]:
    """Run one call; return ("ok", text) or ("error", exception)."""
    try:
        if shape == "plain":
            response = await api.call(CREATE, HELLO, MODEL, **options)
            return OK, response.content
        chunks, _ = await api.stream(CREATE, HELLO, MODEL, **options)
        return OK, "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    except Exception as exc:  # the point of the matrix: catch anything and classify it
        return "error", exc


@pytest.mark.parametrize("shape", ["plain", "stream"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_fault_ends_in_the_right_result_or_typed_error(api, emulator, case, shape):
    """Every fault kind ends with the expected answer or the expected typed SDK error."""
    expected_text = (await api.call(CREATE, HELLO, MODEL)).content
    emulator.reset()
    fault = case.install(emulator)
    expect: Expect = case.plain if shape == "plain" else case.stream

    status, value = await run_call(api, shape, case.options)

    if expect.outcome == OK:
        assert status == OK, f"expected success, got {value!r}"
        assert value == expected_text
    else:
        assert status == "error", f"expected {expect.outcome}, got success"
        assert_sequrity_error(value)
        assert type(value) is expect.outcome
        assert getattr(value, "kind", None) == expect.kind
    assert fault.hits == expect.hits


@pytest.mark.parametrize("shape", ["plain", "stream"])
async def test_failed_calls_leave_the_client_usable(api, emulator, shape):
    """After a string of faulted calls the same client answers normally."""
    for case in CASES:
        emulator.reset()
        case.install(emulator)
        await run_call(api, shape, case.options)
    emulator.reset()

    status, value = await run_call(api, shape, {})

    assert (status, "97" in value) == (OK, True)


def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("mode", ["async", "sync"])
@pytest.mark.parametrize("shape", ["plain", "stream"])
async def test_connection_refused_is_a_connection_error(mode, shape):
    """A closed port raises SequrityConnectionError (after retries), naming host and port."""
    url = f"http://127.0.0.1:{closed_port()}"
    events: list[Any] = []

    exc = await call_url(mode, url, stream=shape == "stream", on_retry=events.append)

    assert_sequrity_error(exc)
    assert type(exc) is SequrityConnectionError
    assert "cannot connect to 127.0.0.1" in str(exc)
    assert [e.reason for e in events] == ["connection error", "connection error"]


async def call_url(mode: str, url: str, *, stream: bool = False, **kw: Any) -> BaseException:
    """Make one call through a fresh client of colour `mode` at `url`; return what it raised."""
    if mode == "async":
        try:
            async with AsyncSequrityClient("sq-k", base_url=url, retry=FAST_RETRY, **kw) as c:
                result = await c.control.chat.create(HELLO, MODEL, stream=stream)
                if stream:
                    async with result as s:
                        [e async for e in s]
        except Exception as exc:
            return exc
        raise AssertionError("the call did not fail")

    def run() -> BaseException:
        try:
            with SequrityClient("sq-k", base_url=url, retry=FAST_RETRY, **kw) as c:
                result = c.control.chat.create(HELLO, MODEL, stream=stream)
                if stream:
                    with result as s:
                        list(s)
        except Exception as exc:
            return exc
        raise AssertionError("the call did not fail")

    return await anyio.to_thread.run_sync(run)


INVALID_URLS = [
    "ftp://127.0.0.1",
    "not a url",
    "http://",
    "127.0.0.1:8000",
    "http://127.0.0.1/a b",
    "http://127.0.0.1?x=1",
    "http://127.0.0.1#frag",
    "http://exa\nmple.com",
    "",
]


@pytest.mark.parametrize("cls", [AsyncSequrityClient, SequrityClient])
@pytest.mark.parametrize("url", INVALID_URLS)
def test_invalid_base_url_is_refused_at_construction(cls, url, monkeypatch):
    """A malformed base URL raises SequrityValidationError when the client is built."""
    monkeypatch.setenv("SEQURITY_BASE_URL", "")

    with pytest.raises(SequrityValidationError) as info:
        cls("sq-k", base_url=url or "   ")

    assert type(info.value) is SequrityValidationError
    assert "base_url" in str(info.value)


@pytest.mark.parametrize("cls", [AsyncSequrityClient, SequrityClient])
def test_unbalanced_ipv6_base_url_is_a_validation_error(cls):
    """`http://[::1` is refused with SequrityValidationError, not a bare ValueError."""
    # Regression: urlsplit's bare ValueError("Invalid IPv6 URL") used to escape untyped.
    with pytest.raises(SequrityValidationError) as info:
        cls("sq-k", base_url="http://[::1")

    assert type(info.value) is SequrityValidationError
    assert "base_url" in str(info.value)


@pytest.mark.parametrize("mode", ["async", "sync"])
async def test_out_of_range_port_is_refused_up_front(mode):
    """A base URL with port 99999 is refused with a typed validation error naming the problem."""
    exc = await call_url(mode, "http://127.0.0.1:99999")

    assert_sequrity_error(exc)
    assert isinstance(exc, SequrityValidationError)
    assert "Port out of range" in str(exc)


# -- census of the public exception types -----------------------------------------------------


def public_exception_types() -> set[type[BaseException]]:
    """Every exception class exported by `sequrity.__all__`."""
    return {
        obj
        for name in sequrity.__all__
        if isinstance(obj := getattr(sequrity, name), type) and issubclass(obj, BaseException)
    }


async def test_every_public_exception_type_is_raised_by_some_call(emulator):
    """Each exception class in `sequrity.__all__` is raised (exactly) by some real call."""
    seen: dict[type[BaseException], str] = {}

    async def expect(label: str, coro_fn: Callable[[], Any]) -> None:
        try:
            result = await coro_fn()
            if isinstance(result, sequrity.AsyncStream):
                async with result as s:
                    [e async for e in s]
        except Exception as exc:
            assert_sequrity_error(exc)
            seen.setdefault(type(exc), label)
            return
        raise AssertionError(f"{label}: no error")

    async with AsyncSequrityClient("sq-k", base_url=emulator.base_url, retry=None) as c:
        chat = c.control.chat.create
        statuses = [400, 401, 403, 404, 409, 413, 418, 422, 429, 500, 503]
        for status in statuses:
            emulator.faults.next_n(1).status(status)
            await expect(f"HTTP {status}", lambda: chat(HELLO, MODEL))
        await expect("empty messages", lambda: chat([], MODEL))
        emulator.faults.next_n(1).truncate_body()
        await expect("truncated body", lambda: chat(HELLO, MODEL))
        emulator.faults.next_n(1).stream_error()
        await expect("in-band stream error", lambda: chat(HELLO, MODEL, stream=True))
        emulator.faults.next_n(1).delay(0.3)
        await expect("total timeout", lambda: chat(HELLO, MODEL, timeout=0.05))
    await expect("closed client", lambda: c.control.chat.create(HELLO, MODEL))
    small = sequrity.Limits(max_body_size=16)
    async with AsyncSequrityClient("sq-k", base_url=emulator.base_url, limits=small) as c:
        await expect("body over the limit", lambda: c.control.chat.create(HELLO, MODEL))
    url = f"http://127.0.0.1:{closed_port()}"
    async with AsyncSequrityClient("sq-k", base_url=url, retry=None) as refused:
        await expect("connection refused", lambda: refused.control.chat.create(HELLO, MODEL))

    assert set(seen) == public_exception_types()
    assert len(seen) == 18
