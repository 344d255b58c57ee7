"""
`Stream`: the blocking twin of `AsyncStream`, and `as_blocking`, which the generated blocking
facades use to run a resource call and wrap a stream result.
"""

from __future__ import annotations

import weakref
from collections import deque
from collections.abc import Coroutine, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from .._exceptions import SequrityError
from ._sse import ServerSentEvent
from ._stream import AsyncStream

if TYPE_CHECKING:
    from ._runner import BlockingRunner, LoopHandle

__all__ = ["Stream", "as_blocking"]

T = TypeVar("T")
U = TypeVar("U")


def _release(handle: LoopHandle, stream: AsyncStream[Any]) -> None:
    if not stream.closed:
        handle.defer(stream.aclose)


class Stream(Generic[T]):
    """
    The blocking twin of `AsyncStream`: iterate with ``for``; use ``with`` (or call `close()`) when
    you may stop early.

    Events are fetched from the event loop that opened the stream in batches (everything one network
    read produced), not one loop run per event. Read it in the thread that opened it. The stream
    keeps its client open for as long as it is referenced.
    """

    def __init__(self, stream: AsyncStream[T], handle: LoopHandle, owner: object = None) -> None:
        self._stream = stream
        self._handle = handle
        # Keeps the client's runner (its loops and pools) alive while the stream is used.
        self._owner = owner
        self._batch: deque[T] = deque()
        self._exhausted = False
        self._closed_early = False
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

    @property
    def unknown_events(self) -> list[ServerSentEvent]:
        """The raw events skipped because their name is unknown (see `AsyncStream`)."""
        return self._stream.unknown_events

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if not self._batch:
            if self._exhausted:
                if self._closed_early:
                    raise SequrityError(
                        "this stream was closed (close(), or the end of its with block) before "
                        "its end; its remaining events are gone"
                    )
                raise StopIteration
            try:
                batch = self._handle.run(self._stream.next_batch())
            except BaseException:
                self._exhausted = True
                self._finalizer.detach()
                raise
            if not batch:
                self._exhausted = True
                self._finalizer.detach()
                raise StopIteration
            self._batch.extend(batch)
        return self._batch.popleft()

    def close(self) -> None:
        """
        Release the connection. Safe to call more than once. Events not yet read are dropped;
        reading the stream afterwards raises `SequrityError` (unless it had been read to its end).
        """
        if self._batch or not self._exhausted:
            self._closed_early = True
        self._exhausted = True
        self._batch.clear()
        self._finalizer.detach()
        if not self._stream.closed and not self._handle.closed:
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
def as_blocking(runner: BlockingRunner, coro: Coroutine[Any, Any, AsyncStream[T]]) -> Stream[T]: ...
@overload
def as_blocking(
    runner: BlockingRunner, coro: Coroutine[Any, Any, T | AsyncStream[U]]
) -> T | Stream[U]: ...
def as_blocking(runner: BlockingRunner, coro: Coroutine[Any, Any, Any]) -> Any:
    """
    Run a resource coroutine for blocking code, wrapping an `AsyncStream` result in a `Stream`
    bound to the loop that opened it (and keeping `runner` alive while the stream is).
    """
    result, handle = runner.run_with_handle(coro)
    if isinstance(result, AsyncStream):
        return Stream(result, handle, runner)
    return result
