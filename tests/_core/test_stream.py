"""Tests for `AsyncStream` (`sequrity._core._stream`) over an in-memory event-stream response."""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import AsyncIterator, Iterable
from typing import Any
from unittest.mock import Mock

import anyio
import pytest

from sequrity import (
    SequrityConnectionError,
    SequrityError,
    SequrityLimitError,
    SequrityStreamError,
    SequrityTimeoutError,
)
from sequrity._core._limits import Limits
from sequrity._core._sse import ServerSentEvent
from sequrity._core._stream import AsyncStream

pytestmark = pytest.mark.anyio


class FakeResponse:
    """A `StreamingResponse` playing scripted chunks; an exception in the script is raised."""

    def __init__(self, chunks: Iterable[bytes | BaseException], *, hang: bool = False) -> None:
        self.chunks = list(chunks)
        self.hang = hang
        self.closes = 0
        self.status = 200
        self.headers = {"X-Session-ID": "s-1"}
        self.url = "http://emulator/x"

    async def iter_chunks(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk
        if self.hang:
            await asyncio.Event().wait()  # a server that stays silent

    async def read(self) -> bytes:
        return b"".join(c for c in self.chunks if isinstance(c, bytes))

    async def aclose(self) -> None:
        self.closes += 1


def data(*values: Any) -> bytes:
    """SSE ``data:`` events for JSON `values` (strings are sent as they are)."""
    return b"".join(
        f"data: {v if isinstance(v, str) else json.dumps(v)}\n\n".encode() for v in values
    )


def decode_json(stream: Any, event: ServerSentEvent) -> Any:
    """Decode an event's JSON; ``{"skip": true}`` is skipped, ``{"error": ...}`` is in-band."""
    value = json.loads(event.data)
    if isinstance(value, dict) and value.get("skip"):
        stream.skip(event)
        return None
    if isinstance(value, dict) and "error" in value:
        raise stream.in_band_error(value, event.data)
    if value == "end":
        stream.mark_done()
    return value


async def drain(stream: AsyncStream[Any], into: list[Any]) -> None:
    """Read `stream` to its end (or its error), keeping every event in `into`."""
    async for value in stream:
        into.append(value)


def make(response: FakeResponse, **kwargs: Any) -> AsyncStream[Any]:
    """An `AsyncStream` over `response` decoding JSON events."""
    options: dict[str, Any] = {"session_id": "s-1", "request_id": "r-1", "require_done": True}
    options.update(kwargs)
    return AsyncStream(response, decode_json, **options)


async def test_events_arrive_in_order_across_chunk_boundaries():
    """Events split anywhere between reads come out whole and in order; the end releases."""
    raw = data(1, 2, 3, "[DONE]")
    response = FakeResponse([raw[:5], raw[5:17], raw[17:]])
    stream = make(response)

    values = [v async for v in stream]

    assert values == [1, 2, 3]
    assert response.closes == 1
    assert stream.closed
    assert (stream.session_id, stream.request_id, stream.headers) == (
        "s-1",
        "r-1",
        response.headers,
    )


async def test_an_end_without_the_terminator_fails_after_the_events():
    """A stream that stops before ``[DONE]`` delivers its events, then raises."""
    stream = make(FakeResponse([data(1, 2)]))
    seen: list[Any] = []

    with pytest.raises(
        SequrityStreamError, match=r"ended before its terminating event \(\[DONE\]\)"
    ):
        await drain(stream, seen)

    assert seen == [1, 2]


async def test_the_terminator_is_optional_when_not_required():
    """Without `require_done`, the end of the body ends the stream quietly."""
    stream = make(FakeResponse([data(1)]), require_done=False)

    assert [v async for v in stream] == [1]


async def test_a_typed_terminal_event_ends_the_stream():
    """A decoder calling `mark_done` ends the stream; what follows is not read."""
    response = FakeResponse([data(1, '"end"', 2)])

    assert [v async for v in make(response)] == [1, "end"]
    assert response.closes == 1


async def test_an_undecodable_event_is_a_stream_error_with_its_data():
    """An event the decoder cannot read raises once the events before it are delivered."""
    stream = make(FakeResponse([data(1) + b"data: {oops\n\n" + data(2, "[DONE]")]))
    seen: list[Any] = []

    with pytest.raises(SequrityStreamError, match="undecodable stream event") as info:
        await drain(stream, seen)

    assert seen == [1]
    assert info.value.body == "{oops"
    assert info.value.events_received == 1


async def test_an_in_band_error_is_raised_with_its_message():
    """An ``error`` event the server sends inside the stream raises with its message."""
    stream = make(FakeResponse([data(1, {"error": {"message": "upstream exploded"}})]))

    with pytest.raises(SequrityStreamError, match="upstream exploded"):
        [v async for v in stream]


async def test_a_broken_read_is_a_stream_error_after_the_events():
    """A connection that breaks mid-stream: earlier events first, then a stream error."""
    broken = SequrityConnectionError("reset", url="http://emulator/x")
    response = FakeResponse([data(1, 2), broken])
    stream = make(response)
    seen: list[Any] = []

    with pytest.raises(SequrityStreamError, match="the event stream broke") as info:
        await drain(stream, seen)

    assert seen == [1, 2]
    assert info.value.__cause__ is broken
    assert response.closes == 1


async def test_silence_longer_than_the_idle_timeout_is_a_timeout():
    """No event within `idle_timeout` raises a ``stream_idle`` timeout after the events."""
    stream = make(FakeResponse([data(1)], hang=True), idle_timeout=0.01)
    seen: list[Any] = []

    with pytest.raises(SequrityTimeoutError) as info:
        await drain(stream, seen)

    assert seen == [1]
    assert (info.value.kind, info.value.timeout) == ("stream_idle", 0.01)


async def test_an_overlong_line_is_a_limit_error_after_the_events():
    """A line longer than `max_sse_line` raises `SequrityLimitError` once earlier events are out."""
    limits = Limits(max_sse_line=64)
    stream = make(FakeResponse([data(1) + b"data: " + b"x" * 200]), limits=limits)
    seen: list[Any] = []

    with pytest.raises(SequrityLimitError) as info:
        await drain(stream, seen)

    assert seen == [1]
    assert info.value.limit == "max_sse_line"


async def test_next_batch_returns_every_ready_event_then_an_empty_end():
    """One read's events come as one batch; an empty batch means the end."""
    stream = make(FakeResponse([data(1, 2, 3), data(4, "[DONE]")]))

    batches = [await stream.next_batch() for _ in range(3)]

    assert batches == [[1, 2, 3], [4], []]


async def test_reading_after_an_early_close_raises():
    """After `aclose` before the end, the unread events are gone and reading raises."""
    response = FakeResponse([data(1, 2, 3, "[DONE]")])
    stream = make(response)
    assert await anext(stream) == 1

    await stream.aclose()
    await stream.aclose()

    assert response.closes == 1
    with pytest.raises(SequrityError, match="was closed"):
        await anext(stream)


async def test_async_with_releases_the_connection_on_break():
    """Leaving ``async with`` early releases the connection once."""
    response = FakeResponse([data(1, 2, "[DONE]")])

    async with make(response) as stream:
        async for _ in stream:
            break

    assert response.closes == 1
    assert "closed" in repr(stream)


async def test_two_tasks_cannot_read_one_stream():
    """A second reader while the first waits for data gets a clear error."""
    stream = make(FakeResponse([], hang=True))

    async with anyio.create_task_group() as group:
        group.start_soon(stream.next_batch)
        await asyncio.sleep(0)
        with pytest.raises(SequrityError, match="already being read"):
            await stream.next_batch()
        group.cancel_scope.cancel()


async def test_skipped_events_are_kept_as_unknown():
    """Events a decoder skips are kept in `unknown_events`, oldest first."""
    stream = make(FakeResponse([data({"skip": True, "n": 1}, 7, {"skip": True, "n": 2}, "[DONE]")]))

    values = [v async for v in stream]

    assert values == [7]
    assert [json.loads(e.data)["n"] for e in stream.unknown_events] == [1, 2]


async def test_a_dropped_open_stream_releases_its_connection():
    """A stream dropped before its end gives its connection back on its own loop."""
    response = FakeResponse([data(1, 2, "[DONE]")])
    stream = make(response)
    await anext(stream)

    del stream
    gc.collect()
    for _ in range(10):
        await asyncio.sleep(0)

    assert response.closes == 1


class ReleasingResponse(FakeResponse):
    """A response that can release its connection at once (`release_now`), as aiohttp's can."""

    def __init__(self, chunks: Iterable[bytes | BaseException]) -> None:
        super().__init__(chunks)
        self.released = 0

    def release_now(self) -> None:
        self.released += 1


async def test_a_response_that_can_release_at_once_is_released_so():
    """`release_now` is used when offered, once; `aclose` (awaited, shielded) otherwise."""
    quick = ReleasingResponse([data(1, 2, "[DONE]")])
    plain = FakeResponse([data(1, 2, "[DONE]")])

    for response in (quick, plain):
        stream = make(response)
        assert [v async for v in stream] == [1, 2]
        await stream.aclose()

    assert (quick.released, quick.closes) == (1, 0)
    assert plain.closes == 1


async def test_a_dropped_stream_is_released_at_once_on_its_loop():
    """A stream dropped while open releases its connection through `release_now`, if offered."""
    response = ReleasingResponse([data(1, 2, "[DONE]")])
    stream = make(response)
    assert await anext(stream) == 1

    del stream
    gc.collect()
    await asyncio.sleep(0)

    assert (response.released, response.closes) == (1, 0)


async def test_a_release_now_answered_by_the_instance_only_is_not_used():
    """A test double answering any attribute (a `Mock`) is closed through `aclose`, as before."""
    response = FakeResponse([data(1, "[DONE]")])
    response.release_now = Mock()  # type: ignore[attr-defined]
    stream = make(response)

    assert [v async for v in stream] == [1]
    assert response.closes == 1
    response.release_now.assert_not_called()  # type: ignore[attr-defined]
