"""
`BlockingRunner`: how blocking code runs the async core.

A blocking call runs on an event loop owned by the calling thread (kept between calls), so it costs
no thread hop. Two cases go to one shared loop thread instead: a call made while another thread is
in a blocking call (one loop multiplexing every thread's I/O beats many loops contending for the
GIL), and a call from a thread whose loop is already running (Jupyter, async web frameworks); a
transport that cannot serve many loops (see `LoopTransport`) uses the shared loop thread for every
call. Thread-safe, fork-safe (state is dropped in a forked child and rebuilt on first use), Ctrl-C
cancels the request, and nothing keeps the interpreter alive. The runner is what everything
blocking holds (client, resources, session handles, streams): its loops stay open while any of them
is in use, and are closed when the last one goes.
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
import weakref
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import Any, ParamSpec, TypeVar

from .._exceptions import SequrityError
from ._handoff import Inbox
from ._loop_runner import LoopRunner, close_loop, new_loop
from ._loop_transport import LoopTransport

__all__ = ["BlockingRunner", "LoopHandle", "blocking", "iterate_blocking", "loop_running"]

T = TypeVar("T")
P = ParamSpec("P")

_runners: weakref.WeakSet[_Loops] = weakref.WeakSet()


def loop_running() -> bool:
    """Whether an event loop runs in this thread (the public API: no loop raises)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


_WAIT_SLICE = 0.2
_ABANDONED: list[object] = []


def _after_fork_in_child() -> None:
    for runner in list(_runners):
        runner._forget()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class LoopHandle:
    """
    One event loop the runner drives: a calling thread's own loop, or the shared loop thread.
    Streams remember the handle that opened them, because their connection lives on its loop.
    """

    def __init__(self, runner: LoopRunner | None, loop: asyncio.AbstractEventLoop) -> None:
        self._runner = runner
        self.loop = loop
        self._lock = threading.Lock()
        self._pending: list[Callable[[], Coroutine[Any, Any, Any]]] = []
        self.thread: threading.Thread | None = None
        # The shared loop thread's: how the other threads hand it their calls.
        self.inbox: Inbox | None = None
        self.stopped = False
        self._beating = False

    def _beat(self) -> None:
        # Re-armed while a call runs on the loop; the next call re-arms it after a pause.
        if self._runner is not None and self._runner.busy:
            self.loop.call_later(_HEARTBEAT, self._beat)
        else:
            self._beating = False

    @property
    def closed(self) -> bool:
        """True once the loop was closed or stopped: the client was closed."""
        return self.stopped or self.loop.is_closed()

    def run(self, coro: Coroutine[Any, Any, T], *, idle_thread: bool = False) -> T:
        """
        Run `coro` on this handle's loop and block until it finishes. `idle_thread` says the
        caller has just checked that no loop runs in this thread (a check costs about 1.4 us).
        """
        if self.closed:
            coro.close()
            raise SequrityError(
                "this client has been closed; what it opened (a stream, say) cannot be used "
                "any more"
            )
        if self._runner is None:
            return self._run_threadsafe(coro)
        if not idle_thread and loop_running():
            coro.close()
            raise SequrityError("this thread's event loop is running; cannot block on it")
        if not self._lock.acquire(blocking=False):
            coro.close()
            raise SequrityError(
                "a stream opened in one thread is being consumed in another while the first is "
                "busy; consume a stream in the thread that opened it"
            )
        runner = self._runner
        try:
            self._flush_pending()
            if not self._beating and threading.current_thread() is threading.main_thread():
                # Wake the loop now and then so a simulated interrupt (``_thread.interrupt_main``,
                # some IDEs) is noticed promptly; a real SIGINT interrupts the wait by itself.
                # One timer per loop while calls run, not one per call.
                self._beating = True
                self.loop.call_later(_HEARTBEAT, self._beat)
            return runner.run(coro)
        except BaseException:
            # Ctrl-C outside the runner's own handler (a custom SIGINT handler, say) leaves the
            # task pending: cancel it and let it finish, so its connection is released now.
            task = runner.task
            if task is not None and not task.done() and not self.loop.is_closed():
                task.cancel()
                self.loop.run_until_complete(asyncio.gather(task, return_exceptions=True))
            raise
        finally:
            self._lock.release()

    def _run_threadsafe(self, coro: Coroutine[Any, Any, T]) -> T:
        assert self.inbox is not None
        try:
            call = self.inbox.submit(coro)
        except RuntimeError:  # the loop closed meanwhile
            raise SequrityError("this client has been closed; create a new one") from None
        try:
            # Wait in slices: an untimed wait cannot be interrupted by Ctrl-C everywhere.
            return call.wait(_WAIT_SLICE)
        except BaseException:
            self.inbox.cancel(call)
            raise

    def defer(self, cleanup: Callable[[], Coroutine[Any, Any, Any]]) -> None:
        """
        Run ``cleanup()`` the next time this loop runs (a thread's own loop), or now (the loop
        thread). Safe to call from any thread, including a garbage-collector callback.
        """
        if self._runner is None:
            if not self.loop.is_closed():
                try:
                    self.loop.call_soon_threadsafe(lambda: self.loop.create_task(cleanup()))
                except RuntimeError:  # the loop closed meanwhile
                    pass
            return
        self._pending.append(cleanup)

    def _flush_pending(self) -> None:
        while self._pending:
            assert self._runner is not None
            self._runner.run(self._pending.pop()())

    def close(self) -> None:
        """Run deferred cleanups and close the loop (from an idle loop only)."""
        if self._runner is None:
            return
        with self._lock:
            try:
                self._flush_pending()
            finally:
                self._runner.close()


class _Loops:
    """
    The loops a `BlockingRunner` drives (see the module docstring): the state and the work, kept
    apart from the runner so that the runner's finalizer can close them without keeping it alive.
    """

    def __init__(self, transport: LoopTransport, name: str) -> None:
        self._name = name
        self._transport = transport
        self._per_loop = transport.per_loop
        self._lock = threading.Lock()
        self._local = threading.local()
        self._handles: dict[int, tuple[weakref.ref[threading.Thread], LoopHandle]] = {}
        self._thread_handle: LoopHandle | None = None
        self._pid = os.getpid()
        self._closed = False
        self._count_lock = threading.Lock()
        self._in_flight = 0
        _runners.add(self)

    # -- lifecycle -------------------------------------------------------------------------------

    def _forget(self) -> None:
        # A forked child has only the calling thread; the parent's loops must not be touched.
        _ABANDONED.append((self._handles, self._thread_handle, self._local))
        self._lock = threading.Lock()
        self._local = threading.local()
        self._handles = {}
        self._thread_handle = None
        self._pid = os.getpid()
        self._count_lock = threading.Lock()
        self._in_flight = 0
        self._transport.forget_after_fork()

    def _own_handle(self) -> LoopHandle:
        handle: LoopHandle | None = getattr(self._local, "handle", None)
        if handle is not None and not self._closed:
            return handle
        with self._lock:
            if self._closed:
                raise SequrityError("this client has been closed; create a new one")
            self._sweep_dead_threads()
            runner = LoopRunner()
            handle = LoopHandle(runner, runner.get_loop())
            thread = threading.current_thread()
            handle.thread = thread
            self._handles[id(handle)] = (weakref.ref(thread), handle)
        self._local.handle = handle
        return handle

    def _sweep_dead_threads(self) -> None:
        # Loops of threads that ended are closed here, from an idle loop, by whoever comes next.
        for key, (ref, handle) in list(self._handles.items()):
            thread = ref()
            if thread is None or not thread.is_alive():
                del self._handles[key]
                self._close_handle(handle)

    def _close_handle(self, handle: LoopHandle) -> None:
        if loop_running():
            # A loop runs in this thread (a finalizer fired inside async code): another loop
            # cannot be driven here, so leave this one to the garbage collector.
            _ABANDONED.append(handle)
            return
        try:
            if not handle.loop.is_closed():
                handle.run(self._transport.aclose_loop())
        except Exception:  # pragma: no cover - best effort during cleanup
            pass
        finally:
            handle.close()

    def _loop_thread(self) -> LoopHandle:
        handle = self._thread_handle
        if handle is not None:
            return handle
        with self._lock:
            if self._closed:
                raise SequrityError("this client has been closed; create a new one")
            if self._thread_handle is None:
                loop = new_loop()
                handle = LoopHandle(None, loop)
                handle.inbox = inbox = Inbox(loop)
                thread = threading.Thread(
                    target=_serve, args=(loop, inbox), name=self._name, daemon=True
                )
                handle.thread = thread
                thread.start()
                self._thread_handle = handle
            return self._thread_handle

    # -- running ---------------------------------------------------------------------------------

    def handle(self, *, shared: bool = False) -> LoopHandle:
        """
        The loop a call from this thread should use: its own loop; the shared loop thread when
        asked (`shared`), when a loop already runs in this thread, or when the transport can
        serve only one loop.
        """
        if self._pid != os.getpid():
            _after_fork_in_child()
        if shared or not self._per_loop or loop_running():
            handle = self._loop_thread()
            if threading.current_thread() is handle.thread:
                raise SequrityError("a blocking call was made from the client's own loop thread")
            return handle
        return self._own_handle()

    def run_with_handle(self, coro: Coroutine[Any, Any, T]) -> tuple[T, LoopHandle]:
        """
        Run `coro` and block until it finishes; also return the loop it ran on (streams stay
        there). Ctrl-C in the calling thread cancels it (releasing its connection) and propagates.

        A lone caller runs on its own thread's loop (no thread hop). While another thread is in a
        blocking call, the call goes to the shared loop thread instead: one loop multiplexing every
        thread's requests costs less than many loops contending for the GIL.
        """
        with self._count_lock:
            shared = self._in_flight > 0
            self._in_flight += 1
        try:
            try:
                handle = self.handle(shared=shared)
            except BaseException:
                coro.close()
                raise
            # `handle()` gave this thread's own loop only if no loop runs here.
            return handle.run(coro, idle_thread=True), handle
        finally:
            with self._count_lock:
                self._in_flight -= 1

    def close(self) -> None:
        """Close every loop (after the client's cleanup ran on it). Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            handles = [h for _, h in self._handles.values()]
            self._handles.clear()
            thread_handle, self._thread_handle = self._thread_handle, None
        for handle in handles:
            if handle.loop.is_running():
                continue  # in use by another thread right now; its thread still owns it
            self._close_handle(handle)
        if thread_handle is not None:
            try:
                thread_handle.run(self._transport.aclose_loop())
            finally:
                thread_handle.stopped = True
                thread_handle.loop.call_soon_threadsafe(thread_handle.loop.stop)
                if (
                    thread_handle.thread is not None
                    and thread_handle.thread is not threading.current_thread()
                ):
                    thread_handle.thread.join(timeout=5)

    @property
    def closed(self) -> bool:
        """True once `close()` has been called."""
        return self._closed


class BlockingRunner:
    """
    Runs coroutines for blocking callers (see the module docstring).

    Everything blocking built on one client holds its runner; when the last holder is gone, the
    runner's loops (and the transport's state on them) are closed. `close()` does it at once.

    Args:
        transport: The transport, as the runner drives it (`LoopTransport`).
        name: Name of the shared loop thread.
    """

    __slots__ = ("__weakref__", "_finalizer", "_loops")

    def __init__(self, transport: LoopTransport, *, name: str = "sequrity-loop") -> None:
        self._loops = loops = _Loops(transport, name)
        self._finalizer = weakref.finalize(self, loops.close)

    def handle(self, *, shared: bool = False) -> LoopHandle:
        """
        The loop a call from this thread should use: its own loop, or the shared loop thread
        (when asked, inside a running loop, or for a transport that serves one loop only).
        """
        return self._loops.handle(shared=shared)

    def run_with_handle(self, coro: Coroutine[Any, Any, T]) -> tuple[T, LoopHandle]:
        """Run `coro` and block until it finishes; also return the loop it ran on."""
        return self._loops.run_with_handle(coro)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` and block until it finishes."""
        return self._loops.run_with_handle(coro)[0]

    def close(self) -> None:
        """Close every loop (after the transport released what it holds there). Idempotent."""
        self._finalizer()

    @property
    def closed(self) -> bool:
        """True once `close()` has been called (or the runner was collected)."""
        return self._loops.closed


def _serve(loop: asyncio.AbstractEventLoop, inbox: Inbox) -> None:
    asyncio.set_event_loop(loop)
    try:
        loop.run_forever()
    finally:
        try:
            # Calls handed over too late to start: their threads must not wait forever. Before
            # `close_loop`, which runs the loop again: a call it started would never finish.
            inbox.close(SequrityError("this client was closed while the call was waiting to run"))
        finally:
            close_loop(loop)


_HEARTBEAT = 0.1


async def _next(iterator: AsyncIterator[T]) -> T:
    return await anext(iterator)


def iterate_blocking(runner: BlockingRunner, iterator: AsyncIterator[T]) -> Iterator[T]:
    """
    Drive an async iterator from blocking code, one step per item on the caller's loop; closing the
    blocking iterator early (``break``) closes the async one.
    """
    handle = runner.handle()
    try:
        while True:
            try:
                item: T = handle.run(_next(iterator))
            except StopAsyncIteration:
                return
            yield item
    finally:
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None and not handle.loop.is_closed():
            handle.run(aclose())


class _NoTransport:
    """A `LoopTransport` holding nothing: for coroutines that open and close their own client."""

    per_loop = True

    async def aclose_loop(self) -> None:
        """Nothing to release."""

    def forget_after_fork(self) -> None:
        """Nothing to forget."""


def blocking(function: Callable[P, Coroutine[Any, Any, T]]) -> Callable[P, T]:
    """
    The blocking twin of a self-contained coroutine function (one that opens and closes its own
    client): each call runs it to completion on a runner of its own, like `asyncio.run` but also
    from a thread whose loop is running (Jupyter). Ctrl-C cancels it.
    """

    @functools.wraps(function)
    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        runner = BlockingRunner(_NoTransport(), name="sequrity-call")
        try:
            return runner.run(function(*args, **kwargs))
        finally:
            runner.close()

    call.__name__ = call.__qualname__ = function.__name__ + "_sync"
    return call
