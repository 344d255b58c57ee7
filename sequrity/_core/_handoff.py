"""
`Inbox`: hands coroutines from blocking threads to one event loop and their results back.

What `asyncio.run_coroutine_threadsafe` does, for the shared loop thread of the blocking client,
at a fraction of the cost when many threads call at once: a call is a slot and a plain lock (no
`concurrent.futures.Future`, condition variable or chained callbacks), and a batch of calls that
arrive while the loop is busy wakes it once (one write to its self-pipe, not one per call).
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Coroutine
from typing import Any, Generic, TypeVar

from .._exceptions import SequrityError

__all__ = ["Call", "Inbox"]

T = TypeVar("T")


class Call(Generic[T]):
    """One coroutine handed to the loop; `wait` blocks the calling thread until it finishes."""

    __slots__ = ("_cancelled", "_done", "_error", "_result", "_task", "coro")

    def __init__(self, coro: Coroutine[Any, Any, T]) -> None:
        self.coro = coro
        self._done = threading.Lock()
        self._done.acquire()  # released by the loop when the call has finished
        self._result: T | None = None
        self._error: BaseException | None = None
        self._task: asyncio.Task[T] | None = None
        self._cancelled = False

    def wait(self, slice_s: float) -> T:
        """
        Block until the call has finished and return its result (or raise its error). Waits in
        slices of `slice_s` seconds, so Ctrl-C interrupts the wait everywhere.
        """
        while not self._done.acquire(timeout=slice_s):
            pass
        if self._error is not None:
            raise self._error
        return self._result  # type: ignore[return-value]

    # -- on the loop -----------------------------------------------------------------------------

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._cancelled:
            self.coro.close()
            self._finish(None, asyncio.CancelledError())
            return
        task = self._task = loop.create_task(self.coro)
        task.add_done_callback(self._on_done)

    def _on_done(self, task: asyncio.Task[T]) -> None:
        if task.cancelled():
            # Not at its caller's request (a caller that cancels has stopped waiting): the loop
            # is shutting down under it.
            self._finish(None, SequrityError("this client was closed while the call was running"))
        else:
            error = task.exception()
            self._finish(None if error is not None else task.result(), error)

    def _finish(self, result: T | None, error: BaseException | None) -> None:
        self._result, self._error = result, error
        self._task = None
        self._done.release()

    def _cancel(self) -> None:
        self._cancelled = True
        task = self._task
        if task is not None:
            task.cancel()


class Inbox:
    """
    The calls waiting for one loop. `submit` may be called from any thread; the loop starts every
    call that arrived since it last looked, in arrival order.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._queue: deque[Call[Any]] = deque()
        self._lock = threading.Lock()
        self._scheduled = False
        self._closed: BaseException | None = None

    def submit(self, coro: Coroutine[Any, Any, T]) -> Call[T]:
        """
        Hand `coro` to the loop and return its `Call`.

        Raises:
            RuntimeError: the loop is closed (the coroutine is closed, never started). A call
                of a thread that submitted while the loop was closing ends with the error given
                to `close`.
        """
        call = Call(coro)
        with self._lock:
            if self._closed is not None:
                coro.close()
                raise RuntimeError("the loop is closed")
            self._queue.append(call)
            if self._scheduled:
                return call  # the loop has been woken for an earlier call and will see this one
            self._scheduled = True
        try:
            self._loop.call_soon_threadsafe(self._drain)
        except RuntimeError:
            # The loop closed before `close` was called: fail what queued behind this call too.
            self.close(SequrityError("this client was closed while the call was waiting to run"))
            raise
        return call

    def close(self, error: BaseException) -> None:
        """
        Refuse further calls, and end every call still waiting to start with `error` (called
        once the loop has stopped for good).
        """
        with self._lock:
            if self._closed is None:
                self._closed = error
            calls = list(self._queue)
            self._queue.clear()
        for call in calls:
            call.coro.close()
            call._finish(None, error)

    def cancel(self, call: Call[Any]) -> None:
        """Cancel `call` from any thread (a no-op once it has finished or the loop has closed)."""
        try:
            self._loop.call_soon_threadsafe(call._cancel)
        except RuntimeError:  # the loop closed meanwhile
            call.coro.close()

    def _drain(self) -> None:
        with self._lock:
            calls = list(self._queue)
            self._queue.clear()
            self._scheduled = False
        for call in calls:
            call._start(self._loop)
