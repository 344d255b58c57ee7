"""Tests for `Stream` (`sequrity._core._blocking_stream`), the blocking twin of `AsyncStream`."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from typing import Any

import pytest
from test_stream import FakeResponse, data, decode_json

from sequrity import SequrityError, SequrityStreamError
from sequrity._core._blocking_stream import Stream
from sequrity._core._stream import AsyncStream


class Handle:
    """A stand-in for the runner's loop handle: runs coroutines on a private event loop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.closed = False
        self.runs = 0
        self.deferred: list[Callable[[], Awaitable[None]]] = []

    def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        self.runs += 1
        return self.loop.run_until_complete(coro)

    def defer(self, fn: Callable[[], Awaitable[None]]) -> None:
        self.deferred.append(fn)


@pytest.fixture
def handle() -> Iterator[Handle]:
    """A loop handle, its loop closed after the test."""
    h = Handle()
    yield h
    h.loop.close()


def blocking(handle: Handle, response: FakeResponse) -> Stream[Any]:
    """A blocking stream over `response`, its async stream built on the handle's loop."""

    async def build() -> AsyncStream[Any]:
        return AsyncStream(
            response, decode_json, session_id="s-1", request_id="r-1", require_done=True
        )

    return Stream(handle.run(build()), handle)  # type: ignore[arg-type]


def test_events_cross_in_batches_and_the_end_releases(handle: Handle) -> None:
    """All events arrive in order, one loop hop per network read, and the end releases."""
    response = FakeResponse([data(1, 2, 3), data(4, "[DONE]")])
    stream = blocking(handle, response)
    hops_before = handle.runs

    values = list(stream)

    assert values == [1, 2, 3, 4]
    assert handle.runs - hops_before == 3  # two reads and the empty end
    assert stream.closed
    assert response.closes == 1


def test_properties_come_from_the_async_stream(handle: Handle) -> None:
    """Session id, request id, headers and skipped events are those of the async stream."""
    stream = blocking(handle, FakeResponse([data({"skip": True, "n": 1}, 5, "[DONE]")]))

    assert list(stream) == [5]
    assert (stream.session_id, stream.request_id) == ("s-1", "r-1")
    assert stream.headers == {"X-Session-ID": "s-1"}
    assert [e.data for e in stream.unknown_events] == ['{"skip": true, "n": 1}']
    assert repr(stream).startswith("<Stream closed")


def test_closing_early_drops_the_rest_and_reading_raises(handle: Handle) -> None:
    """`close` before the end releases the connection; reading afterwards raises."""
    response = FakeResponse([data(1, 2), data(3, "[DONE]")])
    stream = blocking(handle, response)
    assert next(stream) == 1

    stream.close()
    stream.close()

    assert response.closes == 1
    with pytest.raises(SequrityError, match="was closed"):
        next(stream)


def test_with_block_closes_on_break(handle: Handle) -> None:
    """Leaving a ``with`` block early closes the stream."""
    response = FakeResponse([data(1, 2, "[DONE]")])

    with blocking(handle, response) as stream:
        for _ in stream:
            break

    assert stream.closed
    assert response.closes == 1


def test_an_error_ends_the_stream_and_is_raised(handle: Handle) -> None:
    """A stream failure is raised in the caller's thread after the events before it."""
    stream = blocking(handle, FakeResponse([data(1, {"error": {"message": "boom"}})]))
    seen: list[Any] = []

    with pytest.raises(SequrityStreamError, match="boom"):
        seen.extend(stream)

    assert seen == [1]
    with pytest.raises(StopIteration):
        next(stream)


def test_a_dropped_open_stream_releases_on_its_loop(handle: Handle) -> None:
    """A stream dropped before its end hands the release to its loop's handle."""
    response = FakeResponse([data(1, 2), data(3, "[DONE]")])
    stream = blocking(handle, response)
    next(stream)

    del stream
    gc.collect()

    assert len(handle.deferred) == 1
    handle.loop.run_until_complete(handle.deferred[0]())
    assert response.closes == 1


def test_a_finished_stream_hands_nothing_to_the_loop(handle: Handle) -> None:
    """A stream read to its end leaves no release behind when dropped."""
    stream = blocking(handle, FakeResponse([data(1, "[DONE]")]))
    list(stream)

    del stream
    gc.collect()

    assert handle.deferred == []


def test_close_after_the_loop_is_gone_does_not_run_it(handle: Handle) -> None:
    """Closing a stream whose loop handle is closed marks it closed without running the loop."""
    stream = blocking(handle, FakeResponse([data(1, "[DONE]")]))
    handle.closed = True
    runs = handle.runs

    stream.close()

    assert handle.runs == runs
    with pytest.raises(SequrityError, match="was closed"):
        next(stream)
