"""`Inbox`: coroutines handed from blocking threads to one loop thread, and their results back."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from sequrity import SequrityError
from sequrity._core._handoff import Inbox


class LoopThread:
    """A loop running forever in its own thread, counting the callbacks other threads schedule."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.wakeups = 0
        real = self.loop.call_soon_threadsafe

        def counting(callback: Any, *args: Any, **kwargs: Any) -> Any:
            self.wakeups += 1
            return real(callback, *args, **kwargs)

        self.loop.call_soon_threadsafe = counting  # type: ignore[method-assign]
        self.inbox = Inbox(self.loop)
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)


@pytest.fixture
def loop_thread() -> Iterator[LoopThread]:
    running = LoopThread()
    yield running
    running.stop()
    if not running.loop.is_closed():
        running.loop.close()


async def _double(x: int) -> int:
    await asyncio.sleep(0)
    return 2 * x


async def _fail() -> int:
    raise ValueError("bad input")


def test_a_result_and_an_error_come_back_to_the_calling_thread(loop_thread: LoopThread):
    """The caller gets the coroutine's value, or its exception unchanged."""
    assert loop_thread.inbox.submit(_double(21)).wait(0.2) == 42
    with pytest.raises(ValueError, match="bad input"):
        loop_thread.inbox.submit(_fail()).wait(0.2)


def test_many_threads_get_their_own_results(loop_thread: LoopThread):
    """Sixteen threads calling at once each get the answer to their own call."""
    results: dict[int, int] = {}

    def caller(i: int) -> None:
        for j in range(20):
            results[i * 100 + j] = loop_thread.inbox.submit(_double(i * 100 + j)).wait(0.2)

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert results == {k: 2 * k for k in results}
    assert len(results) == 16 * 20


def test_calls_arriving_while_the_loop_is_busy_wake_it_once(loop_thread: LoopThread):
    """A batch handed over while the loop is busy costs one wake-up and starts in order."""
    busy, release = threading.Event(), threading.Event()
    started: list[int] = []

    def block() -> None:
        busy.set()
        release.wait(10)

    loop_thread.loop.call_soon_threadsafe(block)
    assert busy.wait(10)
    before = loop_thread.wakeups

    async def record(i: int) -> int:
        started.append(i)
        return i

    calls = [loop_thread.inbox.submit(record(i)) for i in range(10)]
    release.set()

    assert [c.wait(0.2) for c in calls] == list(range(10))
    assert started == list(range(10))
    assert loop_thread.wakeups - before == 1


def test_cancelling_a_call_cancels_its_task(loop_thread: LoopThread):
    """`cancel` from the calling thread cancels the running coroutine on the loop."""
    entered, cancelled = threading.Event(), threading.Event()

    async def forever() -> None:
        entered.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    call = loop_thread.inbox.submit(forever())
    assert entered.wait(10)
    loop_thread.inbox.cancel(call)

    assert cancelled.wait(10)


def test_a_call_running_when_its_loop_shuts_down_ends_with_a_typed_error(loop_thread: LoopThread):
    """A call cut off by the loop's shutdown raises SequrityError in its thread, not hangs."""
    from sequrity._core._loop_runner import close_loop

    entered = threading.Event()

    async def forever() -> None:
        entered.set()
        await asyncio.Event().wait()

    call = loop_thread.inbox.submit(forever())
    assert entered.wait(10)
    loop_thread.stop()
    close_loop(loop_thread.loop)

    with pytest.raises(SequrityError, match="closed while the call was running"):
        call.wait(0.2)


def test_calls_still_queued_when_the_loop_stops_end_with_the_close_error(loop_thread: LoopThread):
    """`close` ends every call that never started, and later calls are refused."""
    busy, release = threading.Event(), threading.Event()

    def block() -> None:
        busy.set()
        release.wait(10)
        loop_thread.loop.stop()  # stops before the queued calls start

    loop_thread.loop.call_soon_threadsafe(block)
    assert busy.wait(10)
    queued = loop_thread.inbox.submit(_double(1))
    release.set()
    loop_thread.thread.join(10)
    loop_thread.inbox.close(SequrityError("client closed"))

    with pytest.raises(SequrityError, match="client closed"):
        queued.wait(0.2)
    coro = _double(2)
    with pytest.raises(RuntimeError):
        loop_thread.inbox.submit(coro)
    assert coro.cr_frame is None  # closed, so no "never awaited" warning


def test_a_call_handed_over_while_the_loop_thread_stops_ends_instead_of_hanging():
    """A call submitted as the shared loop stops ends with SequrityError once the thread is gone."""
    from sequrity._core._runner import _serve

    loop = asyncio.new_event_loop()
    inbox = Inbox(loop)
    thread = threading.Thread(target=_serve, args=(loop, inbox), daemon=True)
    thread.start()
    calls = []

    def stop_then_submit() -> None:
        # What a client's close() and another thread's call do on the loop, in that order.
        loop.stop()
        calls.append(inbox.submit(asyncio.sleep(3600)))

    loop.call_soon_threadsafe(stop_then_submit)
    thread.join(30)

    assert not thread.is_alive()
    assert not calls[0]._done.locked()  # finished: its thread does not wait forever
    with pytest.raises(SequrityError, match="client was closed"):
        calls[0].wait(0.2)
