"""Tests for `sequrity._core._runner`: how blocking code runs coroutines (no server needed)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator

import pytest

from sequrity import SequrityError
from sequrity._core._runner import BlockingRunner, blocking, iterate_blocking, loop_running


class Pools:
    """A `LoopTransport` that records on which loops it was asked to release its state."""

    per_loop = True

    def __init__(self) -> None:
        self.closed_on: list[asyncio.AbstractEventLoop] = []

    async def aclose_loop(self) -> None:
        self.closed_on.append(asyncio.get_running_loop())

    def forget_after_fork(self) -> None:
        pass


@pytest.fixture
def runner(loop_kind: str) -> Iterator[BlockingRunner]:
    """A runner over a transport that holds nothing, on each kind of owned loop."""
    r = BlockingRunner(Pools())
    yield r
    r.close()


async def where() -> tuple[str, int]:
    """The thread this coroutine runs in, and the id of its loop."""
    return threading.current_thread().name, id(asyncio.get_running_loop())


def test_a_lone_call_runs_on_the_calling_threads_own_loop(runner: BlockingRunner):
    """No thread hop: the coroutine runs in the caller's thread, on the same loop every time."""
    first = runner.run(where())
    second = runner.run(where())

    assert first == second
    assert first[0] == threading.current_thread().name


def test_errors_propagate_unchanged(runner: BlockingRunner):
    """An exception of the coroutine reaches the blocking caller as it is."""

    async def fail() -> None:
        raise LookupError("nothing here")

    with pytest.raises(LookupError, match="nothing here"):
        runner.run(fail())


def test_a_call_from_a_running_loop_goes_to_the_shared_loop_thread(runner: BlockingRunner):
    """Inside a running loop (Jupyter) the call runs on the runner's loop thread instead."""

    async def inside() -> tuple[str, int]:
        return runner.run(where())

    name, _ = asyncio.run(inside())

    assert name == "sequrity-loop"


def test_a_closed_runner_refuses_calls_and_closed_every_loop():
    """After `close()` a call raises `SequrityError`; the transport released each loop first."""
    pools = Pools()
    runner = BlockingRunner(pools)
    _, loop_id = runner.run(where())

    runner.close()

    assert [id(loop) for loop in pools.closed_on] == [loop_id]
    assert runner.closed
    coro = where()
    with pytest.raises(SequrityError, match="closed"):
        runner.run(coro)


def test_a_dropped_runner_closes_its_loops():
    """Nothing holds the runner any more: its finalizer releases the transport's loops."""
    pools = Pools()
    runner = BlockingRunner(pools)
    runner.run(where())

    del runner

    assert len(pools.closed_on) == 1


def test_iterate_blocking_yields_and_closes_the_async_iterator_on_break(runner: BlockingRunner):
    """Leaving the loop early closes the async generator (its `finally` runs)."""
    closed: list[bool] = []

    async def numbers() -> AsyncIterator[int]:
        try:
            for n in range(10):
                yield n
        finally:
            closed.append(True)

    taken = []
    for n in iterate_blocking(runner, numbers()):
        taken.append(n)
        if n == 2:
            break

    assert (taken, closed) == ([0, 1, 2], [True])


def test_loop_running_tells_whether_a_loop_runs_here():
    """False in plain code, True inside a coroutine."""

    async def inside() -> bool:
        return loop_running()

    assert (loop_running(), asyncio.run(inside())) == (False, True)


async def add(a: int, b: int = 0) -> int:
    """Add two numbers."""
    await asyncio.sleep(0)
    return a + b


def test_blocking_runs_a_coroutine_function_to_completion():
    """`blocking(f)(...)` returns what `await f(...)` would, under the name `f_sync`."""
    add_sync = blocking(add)

    assert add_sync(2, b=3) == 5
    assert add_sync.__name__ == "add_sync"
    assert add_sync.__doc__ == "Add two numbers."


def test_blocking_works_inside_a_running_loop():
    """Called from async code (a notebook cell), the blocking twin runs on a loop thread."""

    async def cell() -> int:
        return blocking(add)(40, 2)

    assert asyncio.run(cell()) == 42


def test_the_runner_runs_the_chosen_kind_of_loop(runner, loop_kind):
    """Owned loops are uvloop's with the [speed] extra (or when asked), else asyncio's."""
    loop = runner.run(current_loop())

    assert ("uvloop" in type(loop).__module__) == (loop_kind == "uvloop")


def test_a_callers_own_loop_is_never_replaced(loop_kind):
    """Running the SDK installs no event loop policy: asyncio.run still makes asyncio's loop."""
    policy = asyncio.get_event_loop_policy()
    r = BlockingRunner(Pools())
    try:
        r.run(current_loop())
    finally:
        r.close()

    assert asyncio.get_event_loop_policy() is policy
    assert type(asyncio.run(current_loop())).__module__.startswith("asyncio")


async def current_loop() -> asyncio.AbstractEventLoop:
    """The loop this coroutine runs on."""
    return asyncio.get_running_loop()
