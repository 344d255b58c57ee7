"""
`LoopRunner`: drives one event loop from the thread that owns it, one coroutine at a time, with
Ctrl-C cancelling the running task (so its connection is released) before KeyboardInterrupt; and
`new_loop`, the loop of every thread the SDK owns (uvloop's with the ``[speed]`` extra).
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # C-level signal functions: no enum conversion
import asyncio
import functools
import signal
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

__all__ = ["LoopRunner", "close_loop", "loop_kind", "new_loop", "use_loop"]

T = TypeVar("T")

#: Makes the loops of the threads the SDK owns; decided on first use (see `use_loop`).
_factory: Callable[[], asyncio.AbstractEventLoop] | None = None
_kind = ""


def use_loop(kind: str | None) -> str:
    """
    Choose the loops the SDK makes for the threads it owns (the blocking client's, hence the
    command line's and batch runs'): ``"uvloop"``, ``"asyncio"``, or `None` for uvloop when it
    is installed. Returns the kind chosen. A loop the caller runs is never touched, and no event
    loop policy is ever installed.

    Raises:
        ImportError: ``"uvloop"`` was asked for and is not installed.
    """
    global _factory, _kind
    if kind not in (None, "uvloop", "asyncio"):
        raise ValueError(f"unknown event loop kind {kind!r}")
    factory: Callable[[], asyncio.AbstractEventLoop] = asyncio.new_event_loop
    if kind != "asyncio":
        try:
            import uvloop
        except ImportError:
            if kind == "uvloop":
                raise
            kind = "asyncio"
        else:
            factory, kind = uvloop.new_event_loop, "uvloop"
    _factory, _kind = factory, kind
    return kind


def loop_kind() -> str:
    """The kind of loop `new_loop` makes (deciding it now if no loop was made yet)."""
    return _kind or use_loop(None)


def new_loop() -> asyncio.AbstractEventLoop:
    """A new event loop for a thread the SDK owns (see `use_loop`)."""
    factory = _factory
    if factory is None:
        use_loop(None)
        factory = _factory
        assert factory is not None
    return factory()


class LoopRunner:
    """
    Drives one event loop from its thread, one coroutine at a time, like `asyncio.Runner`: Ctrl-C
    cancels the running task (so its connection is released) and then raises KeyboardInterrupt.

    Unlike `asyncio.Runner` it swaps the SIGINT handler through the C-level `_signal` functions,
    a private module kept on purpose: Python 3.11's public `signal.signal` converts the previous
    handler to an enum, which fails for any Python callable and builds the error's message on
    every call. Measured: a swap and its restore cost 25 us through `signal`, 1.5 us through
    `_signal`, and `signal.getsignal` another 7 us, about 12% of a whole blocking request (the
    house limit for keeping a private API is 5%). With `asyncio.Runner`'s `functools.partial`
    handler the message also reprs the task and its result: a quarter of a blocking call.
    """

    def __init__(self) -> None:
        self._loop = new_loop()
        self._interrupted = False
        #: The task of the call running now (or one an interrupt left pending), for cleanup.
        self.task: asyncio.Task[Any] | None = None

    @property
    def busy(self) -> bool:
        """True while a call runs."""
        task = self.task
        return task is not None and not task.done()

    def get_loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        loop = self._loop
        self.task = task = loop.create_task(coro)
        previous: Any = None
        if (
            threading.current_thread() is threading.main_thread()
            and _signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            previous = _signal.signal(signal.SIGINT, functools.partial(self._on_sigint, task))
        self._interrupted = False
        try:
            return loop.run_until_complete(task)
        except asyncio.CancelledError:
            if self._interrupted:
                raise KeyboardInterrupt from None
            raise
        finally:
            if previous is not None:
                _signal.signal(signal.SIGINT, previous)
            if task.done():
                self.task = None  # do not keep its result alive

    def _on_sigint(self, task: asyncio.Task[Any], signum: int, frame: object) -> None:
        if self._interrupted or task.done():
            raise KeyboardInterrupt
        self._interrupted = True
        task.cancel()
        self._loop.call_soon_threadsafe(lambda: None)  # wake the loop to deliver it

    def close(self) -> None:
        if not self._loop.is_closed():
            close_loop(self._loop, executor=True)


def close_loop(loop: asyncio.AbstractEventLoop, *, executor: bool = False) -> None:
    """
    Close a loop that is not running: cancel its tasks and let them finish, close its async
    generators (and, with `executor`, its default executor), then the loop.
    """
    try:
        tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        if executor:
            loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        loop.close()
