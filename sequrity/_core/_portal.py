"""
`PortalRunner`: an event loop on a daemon thread, and the one way blocking code runs the async core.
Thread-safe, fork-safe (restarted lazily in a child), usable from inside another running event loop,
and it never keeps the interpreter from exiting.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeoutError
from typing import Any, TypeVar

import anyio
from anyio.from_thread import BlockingPortal

from .._exceptions import SequrityError

__all__ = ["PortalRunner", "iterate_blocking"]

T = TypeVar("T")

_runners: weakref.WeakSet[PortalRunner] = weakref.WeakSet()
_WAIT_SLICE = 0.2


def _after_fork_in_child() -> None:
    for runner in list(_runners):
        runner._forget()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


async def _await(awaitable: Awaitable[T]) -> T:
    return await awaitable


class PortalRunner:
    """
    Runs coroutines on a private event loop thread for blocking callers.

    The thread starts on first use. After `os.fork()` the child starts its own thread on first use
    and calls `on_fork` so owners can drop state bound to the parent's loop.
    """

    def __init__(
        self, *, name: str = "sequrity-loop", on_fork: Callable[[], None] | None = None
    ) -> None:
        self._name = name
        self._on_fork = on_fork
        self._lock = threading.Lock()
        self._portal: BlockingPortal | None = None
        self._thread: threading.Thread | None = None
        self._stop_event: threading.Event | None = None
        self._closed = False
        _runners.add(self)

    def _forget(self) -> None:
        # In a forked child the loop thread does not exist; nothing of it can be closed.
        self._lock = threading.Lock()
        self._portal = None
        self._thread = None
        self._stop_event = None
        if self._on_fork is not None:
            self._on_fork()

    def _start(self) -> BlockingPortal:
        ready = threading.Event()
        box: dict[str, Any] = {}

        async def main() -> None:
            async with BlockingPortal() as portal:
                box["portal"] = portal
                ready.set()
                await portal.sleep_until_stopped()

        def target() -> None:
            try:
                anyio.run(main, backend="asyncio")
            except BaseException as exc:  # pragma: no cover - reported to the starter
                box["error"] = exc
                ready.set()

        thread = threading.Thread(target=target, name=self._name, daemon=True)
        thread.start()
        ready.wait()
        if "error" in box:  # pragma: no cover
            raise SequrityError(f"could not start the event-loop thread: {box['error']!r}")
        self._thread = thread
        portal: BlockingPortal = box["portal"]
        self._portal = portal
        return portal

    def portal(self) -> BlockingPortal:
        """Return the running portal, starting the loop thread if needed."""
        portal = self._portal
        if portal is not None:
            return portal
        with self._lock:
            if self._closed:
                raise SequrityError("this client has been closed; create a new one")
            if self._portal is None:
                return self._start()
            return self._portal

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """
        Run `coro` on the loop thread and block until it finishes.

        An exception in the calling thread while waiting (Ctrl-C) cancels the coroutine on the
        loop, so its connection is released, and then propagates.
        """
        try:
            portal = self.portal()
        except BaseException:
            coro.close()
            raise
        if threading.current_thread() is self._thread:
            coro.close()
            raise SequrityError("a blocking call was made from the client's own event-loop thread")
        future: Future[T] = portal.start_task_soon(_await, coro)
        try:
            while True:
                # Wait in slices: an untimed wait cannot be interrupted by Ctrl-C on every
                # platform (nor by _thread.interrupt_main). The wait still returns the moment
                # the result is ready.
                try:
                    return future.result(timeout=_WAIT_SLICE)
                except FutureTimeoutError:
                    continue
        except BaseException:
            if not future.done():
                future.cancel()
            raise

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Schedule `coro` on the loop without waiting (best effort; used by finalizers)."""
        portal = self._portal
        if portal is None or self._closed:
            coro.close()
            return
        try:
            portal.start_task_soon(_await, coro)
        except Exception:
            coro.close()

    def close(self) -> None:
        """Stop the loop thread. Idempotent; later `run` calls raise."""
        with self._lock:
            self._closed = True
            portal, self._portal = self._portal, None
            thread, self._thread = self._thread, None
        if portal is None:
            return
        if thread is not None and thread is threading.current_thread():
            return
        try:
            portal.call(portal.stop, True)
        except Exception:  # pragma: no cover - the loop already stopped
            pass
        if thread is not None:
            thread.join(timeout=5)

    @property
    def closed(self) -> bool:
        """True once `close()` has been called."""
        return self._closed


async def _next(iterator: AsyncIterator[T]) -> T:
    return await anext(iterator)


def iterate_blocking(runner: PortalRunner, iterator: AsyncIterator[T]) -> Iterator[T]:
    """
    Drive an async iterator from blocking code, one portal hop per item; closing the blocking
    iterator early (``break``) closes the async one on the loop.
    """
    try:
        while True:
            try:
                item: T = runner.run(_next(iterator))
            except StopAsyncIteration:
                return
            yield item
    finally:
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None and not runner.closed:
            runner.run(aclose())
