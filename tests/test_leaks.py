"""
No leaks under cancellation and faults: connections are released at once, the pool stays bounded,
no tasks, memory or unclosed resources are left behind, through both clients.

Connection counts come from aiohttp's private `TCPConnector._acquired` (connections lent to a
request) and `TCPConnector._conns` (idle keep-alive connections). They are private, but they are
the only direct evidence of a leaked connection; aiohttp has kept both since 3.x and a rename
would fail these tests loudly (AttributeError), never silently pass them.
"""

from __future__ import annotations

import _thread
import asyncio
import contextlib
import gc
import logging
import os
import random
import signal
import threading
import time
import tracemalloc
import warnings
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import pytest

from sequrity import (
    AsyncSequrityClient,
    RetryPolicy,
    SequrityClient,
    SequrityError,
    Timeout,
)

pytestmark = pytest.mark.anyio

MODEL = "openai/gpt-5-mini"
HELLO = [{"role": "user", "content": "What is the largest prime number below 100?"}]
FAST_RETRY = RetryPolicy(initial_backoff=0, max_backoff=0)
POOL = 8
SOAK_TIMEOUT = Timeout(connect=2, read=2, total=5)


def connectors_of(client: AsyncSequrityClient) -> list[Any]:
    """
    The aiohttp connectors behind a client (private API, see the module docstring): one for an
    async client, one per calling thread's loop for the transport of a blocking client.
    """
    transport = client._transport
    sessions = [transport._session, *transport._sessions.values()]
    return [s.connector for s in sessions if s is not None and s.connector is not None]


def acquired(client: AsyncSequrityClient) -> int:
    """Connections currently lent to requests."""
    return sum(len(c._acquired) for c in connectors_of(client))


def open_connections(client: AsyncSequrityClient) -> int:
    """Connections lent out plus idle keep-alive connections that are still connected."""
    total = 0
    for connector in connectors_of(client):
        idle = sum(
            1 for conns in connector._conns.values() for proto, *_ in conns if proto.is_connected()
        )
        total += len(connector._acquired) + idle
    return total


async def arrived(emulator: Any, count: int) -> None:
    """Wait until the emulator has received `count` requests (its request log, polled)."""
    for _ in range(2000):
        if len(emulator.requests) >= count:
            return
        await anyio.sleep(0.005)
    raise AssertionError(f"the emulator received {len(emulator.requests)} of {count} requests")


@pytest.fixture
async def aclient(sequrity_emulator: Any) -> AsyncIterator[AsyncSequrityClient]:
    """An async client with a small pool, talking to the thread-hosted emulator."""
    async with AsyncSequrityClient(
        "sq-test-key",
        base_url=sequrity_emulator.base_url,
        retry=FAST_RETRY,
        max_connections=POOL,
        timeout=SOAK_TIMEOUT,
    ) as c:
        await c.control.chat.create(HELLO, MODEL)  # opens the session and one connection
        yield c


# -- cancellation releases the connection at once ----------------------------------------------


async def test_cancelled_call_releases_its_connection_at_once(aclient, sequrity_emulator):
    """Cancelling a call waiting for its answer frees its pooled connection immediately."""
    sequrity_emulator.faults.next_n(1).delay(1.0)

    with anyio.move_on_after(0.1) as scope:
        await aclient.control.chat.create(HELLO, MODEL)

    assert scope.cancelled_caught
    assert acquired(aclient) == 0
    assert (await aclient.control.chat.create(HELLO, MODEL)).content


async def test_cancelled_stream_releases_its_connection_at_once(aclient, sequrity_emulator):
    """Cancelling a stream between events frees its connection immediately."""
    sequrity_emulator.faults.next_n(1).stream_delay(0.5)
    seen = []

    with anyio.move_on_after(0.2) as scope:
        async with await aclient.control.chat.create(HELLO, MODEL, stream=True) as s:
            async for chunk in s:
                seen.append(chunk)

    assert scope.cancelled_caught
    assert acquired(aclient) == 0
    assert s.closed


async def test_abandoned_stream_released_by_break(aclient, sequrity_emulator):
    """Leaving a stream early with `break` inside `async with` frees its connection."""
    async with await aclient.control.chat.create(HELLO, MODEL, stream=True) as s:
        async for _ in s:
            break

    assert acquired(aclient) == 0
    assert s.closed


async def test_cancelled_task_group_of_calls_releases_every_connection(aclient, sequrity_emulator):
    """Cancelling a task group running 20 slow calls frees all their connections at once."""
    sequrity_emulator.faults.next_n(20).delay(1.0)
    answered: list[object] = []

    async def call() -> None:
        answered.append(await aclient.control.chat.create(HELLO, MODEL))

    async with anyio.create_task_group() as tg:
        for _ in range(20):
            tg.start_soon(call)
        # The server has the warm-up call and one request per pooled connection.
        await arrived(sequrity_emulator, POOL + 1)
        peak = acquired(aclient)
        tg.cancel_scope.cancel()

    assert peak == POOL
    assert acquired(aclient) == 0
    assert answered == []  # cancelled while the server held the answers, not after


# -- soaks -------------------------------------------------------------------------------------

FAULTS: list[tuple[str, Callable[[Any], Any]]] = [
    ("none", lambda f: None),
    ("status_503", lambda f: f.status(503)),
    ("status_429", lambda f: f.status(429, retry_after=0)),
    ("status_400", lambda f: f.status(400)),
    ("reset", lambda f: f.reset()),
    ("reset_body", lambda f: f.reset(during_body=True, after_events=1)),
    ("truncate_body", lambda f: f.truncate_body()),
    ("truncate_stream", lambda f: f.truncate_stream(after_events=1)),
    ("stream_error", lambda f: f.stream_error()),
    ("delay", lambda f: f.delay(0.005)),
    ("trickle", lambda f: f.trickle(chunk_size=64, seconds=0)),
]


def make_plan(rng: random.Random, n: int) -> list[tuple[str, bool, float | None, bool]]:
    """Per call: fault kind, stream?, cancel after (s) or None, leave the stream early?"""
    plan = []
    for _ in range(n):
        fault = rng.choice(FAULTS)[0] if rng.random() < 0.5 else "none"
        cancel = rng.uniform(0, 0.01) if rng.random() < 0.15 else None
        plan.append((fault, rng.random() < 0.5, cancel, rng.random() < 0.2))
    return plan


async def one_call(
    client: AsyncSequrityClient,
    emulator: Any,
    step: tuple[str, bool, float | None, bool],
    outcomes: Counter[str],
) -> None:
    """Run one planned call; record its outcome; let anything but a SequrityError escape."""
    fault, stream, cancel, leave_early = step
    install = dict(FAULTS)[fault]
    install(emulator.faults.next_n(1))
    scope = anyio.move_on_after(cancel) if cancel is not None else contextlib.nullcontext()
    with scope:
        try:
            if stream:
                async with await client.control.chat.create(HELLO, MODEL, stream=True) as s:
                    async for _ in s:
                        if leave_early:
                            break
            else:
                await client.control.chat.create(HELLO, MODEL)
            outcomes["ok"] += 1
            return
        except SequrityError as exc:
            outcomes[type(exc).__name__] += 1
            return
    outcomes["cancelled"] += 1


async def run_batches(
    client: AsyncSequrityClient,
    emulator: Any,
    plan: list[Any],
    outcomes: Counter[str],
    width: int = 50,
) -> None:
    """Run `plan` `width` calls at a time; forget the emulator's records between batches."""
    for start in range(0, len(plan), width):
        async with anyio.create_task_group() as tg:
            for step in plan[start : start + width]:
                tg.start_soon(one_call, client, emulator, step, outcomes)
        emulator.reset()


@pytest.mark.slow
async def test_soak_of_1000_faulted_and_cancelled_calls_leaks_nothing(
    aclient, sequrity_emulator, caplog
):
    """1,000 random calls (faults, cancellations, early exits) leave no connection, task or memory."""
    rng = random.Random(20240611)
    outcomes: Counter[str] = Counter()
    baseline_tasks = set(asyncio.all_tasks())
    caplog.set_level(logging.WARNING)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        await run_batches(aclient, sequrity_emulator, make_plan(rng, 200), Counter())
        gc.collect()
        # Traced from here on: what the warm-up allocated and keeps is not growth.
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            with anyio.fail_after(60):
                await run_batches(aclient, sequrity_emulator, make_plan(rng, 1000), outcomes)
            gc.collect()
            after = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()

    leftover = set(asyncio.all_tasks()) - baseline_tasks - {asyncio.current_task()}
    assert sum(outcomes.values()) == 1000
    assert outcomes["ok"] > 300
    assert outcomes["cancelled"] > 50
    assert acquired(aclient) == 0
    assert open_connections(aclient) <= POOL
    assert leftover == set()
    assert after - before < 5 * 1024 * 1024, f"grew {(after - before) / 1e6:.1f} MB"
    print(f"outcomes {dict(outcomes)}; traced growth {(after - before) / 1e3:.0f} kB")
    assert [str(w.message) for w in caught] == []
    assert [r.getMessage() for r in caplog.records if "nclosed" in r.getMessage()] == []


@pytest.mark.slow
async def test_soak_through_the_blocking_client_from_16_threads(sequrity_emulator, caplog):
    """16 threads share one blocking client through 640 faulted calls; nothing is left over."""
    caplog.set_level(logging.WARNING)
    client = SequrityClient(
        "sq-test-key",
        base_url=sequrity_emulator.base_url,
        retry=FAST_RETRY,
        max_connections=POOL,
        timeout=SOAK_TIMEOUT,
    )
    outcomes: Counter[str] = Counter()
    unexpected: list[BaseException] = []
    lock = threading.Lock()

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(40):
            fault, stream, _, leave_early = make_plan(rng, 1)[0]
            dict(FAULTS)[fault](sequrity_emulator.faults.next_n(1))
            try:
                if stream:
                    with client.control.chat.create(HELLO, MODEL, stream=True) as s:
                        for _ in s:
                            if leave_early:
                                break
                else:
                    client.control.chat.create(HELLO, MODEL)
                name = "ok"
            except SequrityError as exc:
                name = type(exc).__name__
            except BaseException as exc:
                with lock:
                    unexpected.append(exc)
                return
            with lock:
                outcomes[name] += 1

    def run_all() -> None:
        threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with anyio.fail_after(60):
            await anyio.to_thread.run_sync(run_all)
        inner = client.async_client
        left_acquired = acquired(inner)
        left_open = open_connections(inner)
        await anyio.to_thread.run_sync(client.close)
        gc.collect()

    assert unexpected == []
    assert sum(outcomes.values()) == 640
    assert outcomes["ok"] > 200
    assert left_acquired == 0
    assert left_open <= POOL * 16  # one pool per calling thread's loop
    assert inner._transport._sessions == {}
    assert [str(w.message) for w in caught] == []
    assert [r.getMessage() for r in caplog.records if "nclosed" in r.getMessage()] == []


# -- interrupting a blocking call ----------------------------------------------------------------


class Held:
    """A responder that holds the emulator's answer (in its thread) until released."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.released = threading.Event()
        self.answered = threading.Event()

    def __call__(self, call: Any) -> None:
        self.arrived.set()
        self.released.wait(10)
        self.answered.set()


def interrupted_call(client: SequrityClient, emulator: Any, interrupt: Callable[[], None]) -> bool:
    """
    Make a blocking call whose answer the emulator holds, and fire `interrupt` from another thread
    once the request has arrived. Return whether KeyboardInterrupt reached the caller while the
    answer was still held (False if it came only with or after the answer, or never).
    """
    held = Held()
    emulator.script.responder(held, times=1)

    def fire() -> None:
        if held.arrived.wait(10):
            interrupt()

    thread = threading.Thread(target=fire)
    try:
        try:
            thread.start()
            client.control.chat.create(HELLO, MODEL)
            thread.join()  # a late interrupt lands here, inside the try
        except KeyboardInterrupt:
            return not held.answered.is_set()
    finally:
        held.released.set()
        thread.join()
    return False


def wait_until(predicate: Callable[[], bool], timeout: float = 2.0) -> bool:
    """Poll `predicate` until it holds or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


@pytest.fixture
def blocking(sequrity_emulator: Any, loop_kind: str) -> Any:
    """A blocking client (no retries) with one warm connection, on each kind of owned loop."""
    with SequrityClient("sq-test-key", base_url=sequrity_emulator.base_url, retry=None) as c:
        c.control.chat.create(HELLO, MODEL)
        yield c


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="main only")
def test_sigint_interrupts_a_blocking_call_and_cancels_the_request(blocking, sequrity_emulator):
    """A real SIGINT during a blocking call raises KeyboardInterrupt at once and frees the request."""
    interrupted_while_held = interrupted_call(
        blocking, sequrity_emulator, lambda: os.kill(os.getpid(), signal.SIGINT)
    )

    assert interrupted_while_held
    assert wait_until(lambda: acquired(blocking.async_client) == 0)
    assert blocking.control.chat.create(HELLO, MODEL).content


def test_interrupt_main_interrupts_a_blocking_call_and_cancels_the_request(
    blocking, sequrity_emulator
):
    """`_thread.interrupt_main()` during a blocking call raises KeyboardInterrupt promptly."""
    # Regression: BlockingRunner.run used an untimed future.result(), a lock wait that
    # interrupt_main (and Ctrl-C on Windows) cannot break, so the interrupt landed only at the end.
    interrupted_while_held = interrupted_call(blocking, sequrity_emulator, _thread.interrupt_main)

    assert interrupted_while_held
    assert wait_until(lambda: acquired(blocking.async_client) == 0)
    assert blocking.control.chat.create(HELLO, MODEL).content


def test_interrupted_blocking_call_leaves_the_client_usable(blocking, sequrity_emulator):
    """After an interrupt, later blocking calls and streams work and hold no connection."""
    assert interrupted_call(
        blocking, sequrity_emulator, lambda: os.kill(os.getpid(), signal.SIGINT)
    )

    with blocking.control.chat.create(HELLO, MODEL, stream=True) as s:
        chunks = list(s)

    assert chunks
    assert wait_until(lambda: acquired(blocking.async_client) == 0)
