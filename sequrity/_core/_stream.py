"""
`AsyncStream`: typed events over an open event-stream response. It is an async iterator and an async
context manager, and it always releases its connection: on exhaustion, `break`, error or cancellation.
"""

from __future__ import annotations

import json
import weakref
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import anyio

from .._exceptions import SequrityError, SequrityStreamError, SequrityTimeoutError
from ._sse import ServerSentEvent, SSEDecoder
from ._wire import StreamingResponse

if TYPE_CHECKING:
    from ._portal import LoopHandle, PortalRunner

__all__ = ["AsyncStream", "EventDecoder", "Stream", "as_blocking"]

T = TypeVar("T")
U = TypeVar("U")

#: Turns one SSE event into a typed value; returns `None` to skip the event. It may raise
#: `SequrityStreamError` for in-band errors; any other exception is reported as undecodable data.
EventDecoder = Callable[[ServerSentEvent, Any], "T | None"]


class AsyncStream(Generic[T]):
    """
    A stream of typed events.

    Use it with ``async for``; use ``async with`` (or call `aclose()`) when you may stop early.

    Attributes:
        session_id: The ``X-Session-ID`` response header.
        request_id: The server's request id, when it sent one.
        headers: The response headers.
    """

    def __init__(
        self,
        response: StreamingResponse,
        decode: Callable[[Any, ServerSentEvent], T | None],
        *,
        session_id: str | None,
        request_id: str | None,
        require_done: bool,
        idle_timeout: float | None = None,
        terminator: str = "[DONE]",
    ) -> None:
        self._response = response
        self._decode = decode
        self._decoder = SSEDecoder()
        self._chunks: AsyncIterator[bytes] | None = None
        self._pending: deque[T] = deque()
        self._require_done = require_done
        self._terminator = terminator
        self._idle_timeout = idle_timeout
        self._done = False
        self._finished = False
        self._count = 0
        self.session_id = session_id
        self.request_id = request_id
        self.headers: Mapping[str, str] = response.headers

    # -- iteration -----------------------------------------------------------------------------

    def __aiter__(self) -> AsyncStream[T]:
        return self

    async def __anext__(self) -> T:
        while not self._pending:
            if self._finished:
                raise StopAsyncIteration
            await self._read_more()
        self._count += 1
        return self._pending.popleft()

    async def next_batch(self) -> list[T]:
        """
        Return every event that is ready, waiting for at least one; an empty list means the end.

        The blocking facade uses this to cross the thread boundary once per network read instead
        of once per event.
        """
        while not self._pending and not self._finished:
            await self._read_more()
        batch = list(self._pending)
        self._pending.clear()
        self._count += len(batch)
        return batch

    async def _read_more(self) -> None:
        if self._chunks is None:
            self._chunks = self._response.iter_chunks()
        try:
            if self._idle_timeout is None:
                chunk = await anext(self._chunks, b"")
            else:
                with anyio.fail_after(self._idle_timeout):
                    chunk = await anext(self._chunks, b"")
        except TimeoutError:
            await self.aclose()
            raise SequrityTimeoutError(
                "stream_idle", self._idle_timeout, url=self._response.url
            ) from None
        except SequrityTimeoutError:
            await self.aclose()
            raise
        except SequrityError as exc:
            await self.aclose()
            raise self._error(f"the event stream broke: {exc}") from exc
        except BaseException:
            await self.aclose()
            raise
        events = self._decoder.feed(chunk) if chunk else self._decoder.close()
        try:
            for event in events:
                self._accept(event)
                if self._done:
                    break
        except BaseException:
            await self.aclose()
            raise
        if not chunk or self._done:
            await self.aclose()
            if not self._done and self._require_done:
                raise self._error(
                    f"the event stream ended before its terminating event ({self._terminator})"
                )

    def _accept(self, event: ServerSentEvent) -> None:
        if event.is_done:
            self._done = True
            return
        try:
            value = self._decode(self, event)
        except SequrityStreamError:
            raise
        except Exception as exc:
            raise self._error(f"undecodable stream event: {exc}", body=event.data) from exc
        if value is not None:
            self._pending.append(value)

    def _error(self, message: str, body: str = "") -> SequrityStreamError:
        return SequrityStreamError(
            message,
            status_code=self._response.status,
            body=body,
            request_id=self.request_id,
            headers=self.headers,
            events_received=self._count + len(self._pending),
        )

    def mark_done(self) -> None:
        """Called by an event decoder when a typed terminal event (not ``[DONE]``) arrives."""
        self._done = True

    def in_band_error(self, data: Mapping[str, Any], raw: str) -> SequrityStreamError:
        """Build the error for an ``error`` event the server sent inside the stream."""
        err = data.get("error", data)
        if isinstance(err, Mapping):
            message = str(err.get("message") or err.get("detail") or json.dumps(dict(err)))
        else:
            message = str(err)
        return self._error(f"the server reported an error in the stream: {message}", body=raw)

    # -- lifecycle -----------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Release the connection. Safe to call more than once."""
        if self._finished:
            return
        self._finished = True
        with anyio.CancelScope(shield=True):
            await self._response.aclose()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    @property
    def closed(self) -> bool:
        """True once the connection has been released."""
        return self._finished

    def __repr__(self) -> str:
        state = "closed" if self._finished else "open"
        return f"<AsyncStream {state} session_id={self.session_id!r} events={self._count}>"


def _release(handle: LoopHandle, stream: AsyncStream[Any]) -> None:
    if not stream.closed:
        handle.defer(stream.aclose)


class Stream(Generic[T]):
    """
    The blocking twin of `AsyncStream`: iterate with ``for``; use ``with`` (or call `close()`) when
    you may stop early.

    Events cross from the loop thread in batches (everything one network read produced), not one
    thread hop per event.
    """

    def __init__(self, stream: AsyncStream[T], handle: LoopHandle) -> None:
        self._stream = stream
        self._handle = handle
        self._batch: deque[T] = deque()
        self._exhausted = False
        # An abandoned stream still releases its connection, on the loop that owns it.
        self._finalizer = weakref.finalize(self, _release, handle, stream)
        self._finalizer.atexit = False

    @property
    def session_id(self) -> str | None:
        """The ``X-Session-ID`` response header."""
        return self._stream.session_id

    @property
    def request_id(self) -> str | None:
        """The server's request id, when it sent one."""
        return self._stream.request_id

    @property
    def headers(self) -> Mapping[str, str]:
        """The response headers."""
        return self._stream.headers

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if not self._batch:
            if self._exhausted:
                raise StopIteration
            batch = self._handle.run(self._stream.next_batch())
            if not batch:
                self._exhausted = True
                self._finalizer.detach()
                raise StopIteration
            self._batch.extend(batch)
        return self._batch.popleft()

    def close(self) -> None:
        """Release the connection. Safe to call more than once."""
        self._exhausted = True
        self._batch.clear()
        self._finalizer.detach()
        if not self._stream.closed:
            self._handle.run(self._stream.aclose())

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        """True once the connection has been released."""
        return self._stream.closed

    def __repr__(self) -> str:
        return repr(self._stream).replace("AsyncStream", "Stream", 1)


@overload
def as_blocking(runner: PortalRunner, coro: Coroutine[Any, Any, AsyncStream[T]]) -> Stream[T]: ...
@overload
def as_blocking(
    runner: PortalRunner, coro: Coroutine[Any, Any, T | AsyncStream[U]]
) -> T | Stream[U]: ...
def as_blocking(runner: PortalRunner, coro: Coroutine[Any, Any, Any]) -> Any:
    """
    Run a resource coroutine for blocking code, wrapping an `AsyncStream` result in a `Stream`
    bound to the loop that opened it.
    """
    result, handle = runner.run_with_handle(coro)
    if isinstance(result, AsyncStream):
        return Stream(result, handle)
    return result
