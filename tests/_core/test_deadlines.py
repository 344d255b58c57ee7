"""`Deadlines`: one timer watches an attempt's connect, read and total deadlines."""

from __future__ import annotations

import asyncio
import gc
import weakref

import pytest

from sequrity._core._deadlines import Deadlines

pytestmark = pytest.mark.anyio


async def expire(deadlines: Deadlines, wait: float = 5.0) -> str | None:
    """Wait until the deadlines cancel this task; the deadline that expired."""
    try:
        await asyncio.sleep(wait)
    except asyncio.CancelledError:
        kind = deadlines.expired()
        if kind is None:
            raise
        return kind
    finally:
        deadlines.stop()
    return None


async def test_the_connect_deadline_expires_while_connecting():
    """Before `connected()`, the connect deadline is the one that passes."""
    deadlines = Deadlines(0.01, 0.01, None)

    assert await expire(deadlines) == "connect"


async def test_once_connected_the_read_deadline_takes_over():
    """After `connected()`, a silent peer hits the read deadline, not the connect one."""
    deadlines = Deadlines(5.0, 0.01, None)
    deadlines.connected()

    assert await expire(deadlines) == "read"


async def test_progress_restarts_the_read_deadline():
    """Bytes arriving push the read deadline back, so a slow but steady body is not cut off."""
    deadlines = Deadlines(None, 0.05, None)
    deadlines.connected()
    for _ in range(6):
        await asyncio.sleep(0.02)
        deadlines.progress()

    assert await expire(deadlines) == "read"


async def test_the_total_deadline_is_absolute():
    """The total deadline passes even while bytes keep arriving."""
    loop = asyncio.get_running_loop()
    deadlines = Deadlines(None, 5.0, loop.time() + 0.05)
    deadlines.connected()

    async def steady() -> None:
        while True:
            await asyncio.sleep(0.01)
            deadlines.progress()

    feeder = asyncio.create_task(steady())
    try:
        assert await expire(deadlines) == "total"
    finally:
        feeder.cancel()


async def test_no_deadline_never_fires():
    """With no limits at all, nothing is armed and the attempt runs to its end."""
    deadlines = Deadlines(None, None, None)
    deadlines.connected()
    deadlines.progress()

    assert await expire(deadlines, wait=0.01) is None


async def test_a_cancellation_from_outside_is_not_a_timeout():
    """When the caller cancels the task, `expired()` says so and the cancellation goes on."""
    deadlines = Deadlines(5.0, 5.0, None)
    task = asyncio.create_task(expire(deadlines))
    await asyncio.sleep(0)

    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task


async def test_stop_disarms_the_timer():
    """After `stop()`, a passed deadline no longer cancels the task."""
    deadlines = Deadlines(0.01, None, None)
    deadlines.stop()

    await asyncio.sleep(0.03)

    assert deadlines.expired() is None


async def test_a_short_deadline_started_after_a_long_one_fires_first():
    """Attempts share their loop's timer: a later, shorter deadline still fires on time."""
    long = Deadlines(5.0, 5.0, None)
    try:
        short = Deadlines(0.01, 5.0, None)

        assert await expire(short) == "connect"
        assert long.expired() is None
    finally:
        long.stop()


async def test_attempts_of_one_loop_share_one_timer(monkeypatch: pytest.MonkeyPatch):
    """Fifty attempts with the usual deadlines arm the loop's timer once, not fifty times."""
    loop = asyncio.get_running_loop()
    armed = []
    call_at = loop.call_at

    def counting(when: float, callback: object, *args: object, **kwargs: object) -> object:
        armed.append(callback)
        return call_at(when, callback, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loop, "call_at", counting)
    attempts = [Deadlines(10.0, 300.0, loop.time() + 600.0) for _ in range(50)]
    for deadlines in attempts:
        deadlines.connected()
        deadlines.progress()
    for deadlines in attempts:
        deadlines.stop()

    assert len(armed) <= 1


def test_a_closed_loop_is_not_kept_alive_by_its_watch():
    """A loop whose attempts are over is freed once closed, though its shared timer was pending."""

    async def one_attempt() -> None:
        Deadlines(10.0, 300.0, None).stop()  # leaves the loop's timer armed, 10 s ahead

    loop = asyncio.new_event_loop()
    loop.run_until_complete(one_attempt())
    loop.close()
    gone = weakref.ref(loop)
    del loop
    gc.collect()

    assert gone() is None
