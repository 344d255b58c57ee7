"""
`AsyncStream`: typed events over an open event-stream response. It is an async iterator and an async
context manager, and it always releases its connection: on exhaustion, `break`, error, cancellation,
or when it is dropped without being closed. Its blocking twin, `Stream`, is in `_blocking_stream`.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping
from types import TracebackType
from typing import Any, Generic, TypeVar

import anyio

from .._exceptions import (
    SequrityError,
    SequrityLimitError,
    SequrityStreamError,
    SequrityTimeoutError,
)
from ._limits import DEFAULT_LIMITS, Limits
from ._sse import ServerSentEvent, SSEDecoder, SSELimitExceeded
from ._wire import StreamingResponse

__all__ = ["AsyncStream", "EventDecoder"]

T = TypeVar("T")

#: Turns one SSE event into a typed value; returns `None` to skip the event. It may raise
#: `SequrityStreamError` for in-band errors; any other exception is reported as undecodable data.
EventDecoder = Callable[[Any, ServerSentEvent], "T | None"]

#: Turns the data of the plain ``data:`` events of one network read, given as bytes, into typed
#: values: ``decode(stream, datas, start, out)`` appends the values of ``datas[start:]`` to `out`,
#: in order, up to the first it leaves to the `EventDecoder` (``[DONE]``, a failure, anything it
#: does not read itself), and returns that one's index (``len(datas)`` when none). The fast path
#: of an `EventDecoder` for unnamed events: the same values, or the same failure.
DataDecoder = Callable[[Any, list[bytes], int, "deque[T]"], int]

#: How many skipped events a stream keeps for `AsyncStream.unknown_events`.
UNKNOWN_EVENTS_KEPT = 100

#: The most plain events decoded ahead of the reader. A network read may complete hundreds of
#: events; they are decoded this many at a time, as the reader gets to them, so a stream holds a
#: few dozen typed events at once rather than a whole read's (whose hundreds of new objects would
#: set off the garbage collector's young-generation passes, about a fifth of a bare event's cost).
DECODE_AHEAD = 64

_NOTHING_HELD: list[bytes] = []

# Connections of dropped streams being released (a task must be referenced until it finishes).
_RELEASING: set[asyncio.Task[None]] = set()


def _release_dropped(loop: asyncio.AbstractEventLoop, response: StreamingResponse) -> None:
    """Finalizer of a stream dropped while open: release its connection on its own loop."""
    release_now = _release_now_of(response)

    def start() -> None:
        task = loop.create_task(response.aclose())
        _RELEASING.add(task)
        task.add_done_callback(_RELEASING.discard)

    if not loop.is_closed():
        try:
            loop.call_soon_threadsafe(start if release_now is None else release_now)
        except RuntimeError:  # the loop closed meanwhile; its connections went with it
            pass


def _release_now_of(response: StreamingResponse) -> Callable[[], None] | None:
    """
    The response's ``release_now()``, if it has one: `aclose()` done at once, without waiting
    (see `StreamingResponse`). Then releasing needs no shield from cancellation (an anyio cancel
    scope costs a stream about a sixth of its set-up).
    """
    # Looked up on the class: a test double such as a `Mock` answers any attribute.
    if getattr(type(response), "release_now", None) is None:
        return None
    release_now: Callable[[], None] = response.release_now  # type: ignore[attr-defined]
    return release_now


class AsyncStream(Generic[T]):
    """
    A stream of typed events.

    Use it with ``async for``; use ``async with`` (or call `aclose()`) when you may stop early. A
    stream dropped without either still releases its connection once it is garbage collected.
    Read a stream from one task at a time. When the stream fails, every event decoded before the
    failure is delivered first, then the error is raised.

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
        limits: Limits = DEFAULT_LIMITS,
        owner: object = None,
        decode_data: DataDecoder[T] | None = None,
    ) -> None:
        self._response = response
        self._decode = decode
        self._decode_data = decode_data
        self._decoder = SSEDecoder(max_line=limits.max_sse_line, max_event=limits.max_sse_event)
        self._chunks: AsyncIterator[bytes] | None = None
        self._pending: deque[T] = deque()
        # The data of plain events read but not decoded yet, from `_held_at` on (`_accept_data`).
        self._held = _NOTHING_HELD
        self._held_at = 0
        self._require_done = require_done
        self._terminator = terminator
        self._idle_timeout = idle_timeout
        self._done = False
        self._finished = False
        # Raised once the events decoded before it have been delivered.
        self._failure: SequrityError | None = None
        self._closed_early = False
        self._reading = False
        self._count = 0
        self._unknown: deque[ServerSentEvent] | None = None
        # Keeps the client (its connection pool) alive for as long as the stream is used.
        self._owner = owner
        self.session_id = session_id
        self.request_id = request_id
        self.headers: Mapping[str, str] = response.headers
        # The loop the connection belongs to, where a dropped stream releases it (see __del__).
        try:
            self._loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # built outside a loop (a test): nothing to release it on
            self._loop = None

    def __del__(self) -> None:
        # Dropped while open (no aclose(), no async with, not read to its end): give the
        # connection back on its own loop. (`__del__` rather than weakref.finalize: it costs
        # nothing per stream until it is needed.)
        try:
            if not self._finished and self._loop is not None:
                _release_dropped(self._loop, self._response)
        except Exception:  # pragma: no cover - a half-built stream, or interpreter shutdown
            pass

    # -- iteration -----------------------------------------------------------------------------

    def __aiter__(self) -> AsyncStream[T]:
        return self

    async def __anext__(self) -> T:
        if not self._pending:
            await self._fill()
            if not self._pending:
                raise StopAsyncIteration
        self._count += 1
        return self._pending.popleft()

    async def next_batch(self) -> list[T]:
        """
        Return every event that is ready, waiting for at least one; an empty list means the end.

        The blocking facade uses this to cross the thread boundary once per network read instead
        of once per event.
        """
        if not self._pending:
            await self._fill()
        batch = list(self._pending)
        self._pending.clear()
        self._count += len(batch)
        return batch

    async def _fill(self) -> None:
        """
        Read and decode chunks until an event is pending or the stream is over; at the end, raise
        the failure held back while the events before it were delivered. One coroutine does it
        all: this is the per-chunk hot path.
        """
        if self._reading:
            raise SequrityError(
                "this stream is already being read by another task; read a stream from one "
                "task at a time"
            )
        self._reading = True
        try:
            chunks = self._chunks
            if chunks is None:
                chunks = self._chunks = self._response.iter_chunks()
            idle = self._idle_timeout
            deadline = None if idle is None else anyio.current_time() + idle
            while not self._pending:
                if self._finished:
                    self._raise_held()
                    return
                if self._held:  # events of the last read still to decode: no reading
                    self._accept_data()
                    if self._failure is not None or self._done:
                        await self._finish()
                    continue
                try:
                    if deadline is None:
                        try:
                            chunk = await chunks.__anext__()
                        except StopAsyncIteration:
                            chunk = b""
                    else:
                        chunk = await self._next_chunk_before(deadline)
                except BaseException as exc:
                    await self._read_failed(exc)
                    continue
                try:
                    found = (
                        self._decoder.feed_plain(chunk)
                        if chunk and self._decode_data is not None
                        else None
                    )
                    if found is not None:
                        progressed = bool(found)
                        if found:
                            self._held, self._held_at = found, 0
                            self._accept_data()
                    else:
                        events = self._decoder.feed(chunk) if chunk else self._decoder.close()
                        progressed = bool(events)
                        self._accept_all(events)
                except SSELimitExceeded as exc:
                    progressed = bool(exc.events)
                    self._accept_all(exc.events)
                    if self._failure is None:
                        self._failure = self._limit_error(exc)
                if self._failure is not None:
                    await self._finish()
                elif not chunk or self._done:
                    await self._finish()
                    if not self._done and self._require_done:
                        self._failure = self._error(
                            "the event stream ended before its terminating event "
                            f"({self._terminator})"
                        )
                # The deadline is the longest gap between two events: bytes that complete no
                # event (keep-alive comments) do not extend it.
                if progressed and idle is not None:
                    deadline = anyio.current_time() + idle
        finally:
            self._reading = False

    async def _next_chunk_before(self, deadline: float) -> bytes:
        assert self._chunks is not None
        remaining = deadline - anyio.current_time()
        if remaining <= 0:
            raise TimeoutError
        with anyio.fail_after(remaining):
            return await anext(self._chunks, b"")

    async def _read_failed(self, exc: BaseException) -> None:
        """Hold the typed error for a failed read (or, for cancellation and the like, close)."""
        if isinstance(exc, TimeoutError):
            await self._fail(
                SequrityTimeoutError("stream_idle", self._idle_timeout, url=self._response.url)
            )
        elif isinstance(exc, SequrityTimeoutError):
            await self._fail(exc)
        elif isinstance(exc, SequrityError):
            await self._fail(self._error(f"the event stream broke: {exc}"), cause=exc)
        else:
            await self.aclose()
            raise exc

    def _raise_held(self) -> None:
        failure, self._failure = self._failure, None
        if failure is not None:
            raise failure
        if self._closed_early:
            raise SequrityError(
                "this stream was closed (aclose(), or the end of its async with block) before "
                "its end; its remaining events are gone"
            )

    def _accept_all(self, events: list[ServerSentEvent]) -> None:
        """Decode `events` in order, stopping at the terminator or at the first failure."""
        for event in events:
            if event.is_done:
                self._done = True
                return
            try:
                value = self._decode(self, event)
            except SequrityStreamError as exc:
                self._failure = exc
                return
            except Exception as exc:
                self._failure = self._error(f"undecodable stream event: {exc}", body=event.data)
                self._failure.__cause__ = exc
                return
            if value is not None:
                self._pending.append(value)
            if self._done:
                return

    def _accept_data(self) -> None:
        """
        `_accept_all` for the data of plain events (see `SSEDecoder.feed_plain`) held from the
        last read, at most `DECODE_AHEAD` of them: the data decoder takes them a slice at a time;
        each one it leaves (``[DONE]``, a failure, anything unusual) goes through the event
        decoder, which gives the same value or the same failure.
        """
        decode = self._decode_data
        assert decode is not None
        held, index = self._held, self._held_at
        stop = min(len(held), index + DECODE_AHEAD)
        while index < stop:
            index += decode(self, held[index:stop], 0, self._pending)
            if index >= stop:
                break
            data = held[index]
            index += 1
            self._accept_all([ServerSentEvent(data.decode("utf-8", "replace"))])
            if self._done or self._failure is not None:
                index = len(held)  # what follows the end (or a failure) is not read
                break
        if index >= len(held):
            self._held, self._held_at = _NOTHING_HELD, 0
        else:
            self._held_at = index

    async def _fail(self, error: SequrityError, cause: BaseException | None = None) -> None:
        """Hold `error` until the events decoded before it are delivered; release the connection."""
        if cause is not None:
            error.__cause__ = cause
        self._failure = error
        await self._finish()

    def _error(self, message: str, body: str = "") -> SequrityStreamError:
        return SequrityStreamError(
            message,
            status_code=self._response.status,
            body=body,
            request_id=self.request_id,
            headers=self.headers,
            events_received=self._count + len(self._pending),
        )

    def _limit_error(self, exc: SSELimitExceeded) -> SequrityLimitError:
        return SequrityLimitError(
            exc.limit,
            exc.max_size,
            url=self._response.url,
            status_code=self._response.status,
            body=exc.sample,
            request_id=self.request_id,
            headers=self.headers,
        )

    def mark_done(self) -> None:
        """Called by an event decoder when a typed terminal event (not ``[DONE]``) arrives."""
        self._done = True

    def skip(self, event: ServerSentEvent) -> None:
        """Called by an event decoder for an event it does not know: kept in `unknown_events`."""
        if self._unknown is None:
            self._unknown = deque(maxlen=UNKNOWN_EVENTS_KEPT)
        self._unknown.append(event)

    @property
    def unknown_events(self) -> list[ServerSentEvent]:
        """
        The raw events this stream skipped because their ``event:`` name is unknown to it (a
        ``ping`` in a chat stream, say), oldest first; the last 100 are kept.
        """
        return list(self._unknown or ())

    def in_band_error(self, data: Mapping[str, Any], raw: str) -> SequrityStreamError:
        """Build the error for an ``error`` event the server sent inside the stream."""
        err = data.get("error", data)
        if isinstance(err, Mapping):
            message = str(err.get("message") or err.get("detail") or json.dumps(dict(err)))
        else:
            message = str(err)
        return self._error(f"the server reported an error in the stream: {message}", body=raw)

    # -- lifecycle -----------------------------------------------------------------------------

    async def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        release_now = _release_now_of(self._response)
        if release_now is not None:
            release_now()  # no await: nothing to shield from cancellation
            return
        with anyio.CancelScope(shield=True):
            await self._response.aclose()

    async def aclose(self) -> None:
        """
        Release the connection. Safe to call more than once. Events not yet read are dropped;
        reading the stream afterwards raises `SequrityError` (unless it had been read to its end).
        """
        if self._pending or self._held or not self._finished:
            self._closed_early = True
            self._pending.clear()
            self._held = _NOTHING_HELD
            self._failure = None
        await self._finish()

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
