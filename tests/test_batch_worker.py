"""A batch worker of a Ray run (`sequrity._batch_worker`) without Ray: its blocks against the
emulator, its reports to an in-process coordinator, and its gate following the cluster's pause."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable

import anyio
import pytest
from multidict import CIMultiDict

from sequrity import RateLimitError, RetryPolicy
from sequrity._batch_cluster import Block, Coordinator, SyncReport
from sequrity._batch_io import BatchItem
from sequrity._batch_worker import BatchWorker, ClientSpec, ClusterGate
from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio


class Clock:
    """Virtual monotonic time."""

    def __init__(self) -> None:
        self.now = 10.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


class Link:
    """An in-process line to a coordinator, keeping every report."""

    def __init__(self, coordinator: Coordinator, *, fail: bool = False) -> None:
        self.coordinator = coordinator
        self.reports: list[SyncReport] = []
        self.fail = fail

    async def __call__(self, report: SyncReport) -> float:
        self.reports.append(report)
        if self.fail:
            raise RuntimeError("the coordinator's node was lost")
        return self.coordinator.sync(report)


def block(count: int, index: int = 0) -> Block:
    return Block(
        index=index,
        items=tuple(
            BatchItem(
                line=n + 1,
                custom_id=f"r{n}",
                api="chat",
                arguments={"model": "m", "messages": [{"role": "user", "content": f"q{n}"}]},
            )
            for n in range(count)
        ),
    )


Make = Callable[..., Awaitable[BatchWorker]]


@pytest.fixture
async def make_worker(emulator: Emulator) -> AsyncIterator[Make]:
    """Builds workers on the emulator (no retries' backoff) and closes them after the test."""
    made: list[BatchWorker] = []

    async def make(
        link: Link, *, number: int = 0, refresh: float = 3600.0, stop_early: bool = True
    ) -> BatchWorker:
        spec = ClientSpec(
            api_key="sq-test-key",
            base_url=emulator.base_url,
            options={"retry": RetryPolicy(initial_backoff=0, max_backoff=0)},
        )
        worker = BatchWorker(
            number, spec, link, concurrency=4, refresh=refresh, stop_early=stop_early
        )
        made.append(worker)
        return worker

    yield make
    for worker in made:
        await worker.close()


async def test_a_worker_answers_every_request_of_a_block_with_its_result_line(
    make_worker: Make, emulator: Emulator
):
    """Thirty requests, thirty answers: one result line each, for the right custom_id."""
    worker = await make_worker(Link(Coordinator()), number=3)

    result = await worker.run_block(block(30, index=5), True)

    records = {position: json.loads(answer) for position, answer in result.answers}  # type: ignore[arg-type]
    assert sorted(records) == list(range(30))
    content = records[7]["response"]["choices"][0]["message"]["content"]
    assert (records[7]["custom_id"], content) == ("r7", "Emulated answer to: q7")
    assert (result.index, result.worker, len(emulator.requests)) == (5, 3, 30)


async def test_a_block_stops_at_an_opening_streak_only_when_the_driver_asks(
    make_worker: Make, emulator: Emulator
):
    """All 400s: with the streak rule the block stops after ten answers, without it runs on."""
    emulator.faults.always().status(400, "no such model")
    worker = await make_worker(Link(Coordinator()))

    stopped = await worker.run_block(block(30), True)
    full = await worker.run_block(block(30, index=1), False)

    assert (len(stopped.answers), len(full.answers)) == (10, 30)


async def test_a_refused_key_stops_a_block_at_once_unless_told_to_keep_going(
    make_worker: Make, emulator: Emulator
):
    """A 401 ends the block at the first answer; a worker told to keep going answers all."""
    emulator.faults.always().status(401, "bad key")
    careful = await make_worker(Link(Coordinator()))
    stubborn = await make_worker(Link(Coordinator()), stop_early=False)

    stopped = await careful.run_block(block(20), False)
    full = await stubborn.run_block(block(20), False)

    assert (len(stopped.answers), len(full.answers)) == (1, 20)


async def test_with_no_refresh_interval_every_attempt_consults_the_coordinator(
    make_worker: Make, emulator: Emulator
):
    """`refresh=0` costs one report per attempt: twenty requests, twenty reports."""
    link = Link(Coordinator())
    worker = await make_worker(link, refresh=0)

    await worker.run_block(block(20), True)

    assert (len(link.reports), len(emulator.requests)) == (20, 20)


async def test_a_hint_seen_by_one_worker_pauses_another_through_the_coordinator(
    make_worker: Make, emulator: Emulator
):
    """Worker 0 gets a 429 (Retry-After 30): it reports it, and worker 1's next report pauses it."""
    coordinator = Coordinator()
    hit, other = (
        await make_worker(Link(coordinator)),
        await make_worker(Link(coordinator), number=1),
    )
    emulator.faults.next.status(429, retry_after=30)

    # Cancelled as Ray cancels an actor's call: once, the asyncio way (worker 0 would
    # otherwise wait out the 30 s pause).
    running = asyncio.ensure_future(hit.run_block(block(5), True))
    try:
        with anyio.fail_after(10):
            while coordinator.status().pauses == 0:  # noqa: ASYNC110 - another task's state
                await anyio.sleep(0.01)
        await other.report()
        await other.report()  # the status shows a worker's pauses from its next report on
    finally:
        running.cancel()
        await asyncio.wait({running})

    assert (hit.pauses, other.pauses, coordinator.status().pauses) == (1, 1, 1)
    assert [w.pauses for w in coordinator.status().workers] == [1, 1]


async def test_a_worker_goes_on_when_the_coordinator_does_not_answer(
    make_worker: Make, emulator: Emulator
):
    """Reports that fail are given up; the block is answered all the same."""
    link = Link(Coordinator(), fail=True)
    worker = await make_worker(link, refresh=0)

    result = await worker.run_block(block(10), True)

    assert (len(result.answers), len(link.reports)) == (10, 10)


def limited(seconds: int) -> RateLimitError:
    return RateLimitError(
        "slow down", status_code=429, body="", headers=CIMultiDict({"Retry-After": str(seconds)})
    )


async def test_the_reporting_worker_is_not_paused_twice_by_its_own_hint():
    """The cluster's copy of a worker's own pause changes nothing; a longer one extends it."""
    clock = Clock()
    gate = ClusterGate(clock=clock, sleep=clock.sleep)

    gate.observe_error(limited(5), max_wait=60)
    hint = gate.take_hint()
    gate.follow(5.01)
    same = (gate.windows, gate.remaining())
    gate.follow(8)
    extended = (gate.windows, gate.remaining())
    clock.now += 10
    gate.follow(2)

    assert (hint, gate.take_hint(), same, extended, gate.windows) == (
        5.0,
        None,
        (1, 5.0),
        (1, 8.0),
        2,
    )


class DeafLink(Link):
    """A line to the coordinator that, while `deaf`, swallows the cancellation of a report in
    progress (as an awaited future completing while it is cancelled can, on Python 3.11)."""

    def __init__(self, coordinator: Coordinator) -> None:
        super().__init__(coordinator)
        self.reporting = asyncio.Event()
        self.deaf = True

    async def __call__(self, report: SyncReport) -> float:
        self.reporting.set()
        try:
            await asyncio.sleep(0.05)
        except asyncio.CancelledError:
            if not self.deaf:
                raise
        return await super().__call__(report)


async def test_closing_a_worker_ends_its_report_loop_even_if_the_cancellation_is_lost():
    """close() returns although the report it interrupted swallowed the cancellation."""
    link = DeafLink(Coordinator())
    # No request is sent: the client is only built.
    spec = ClientSpec(api_key="sq-test-key", base_url="http://127.0.0.1:9")
    worker = BatchWorker(0, spec, link, concurrency=1, refresh=0.001, stop_early=True)
    await worker.report()  # builds the client and starts the report loop
    link.reporting.clear()
    closed = False
    try:
        with anyio.fail_after(10):
            await link.reporting.wait()  # the loop is inside a report now

            await worker.close()
            closed = True
    finally:
        link.deaf = False
        with anyio.move_on_after(5):
            await worker.close()  # only does something if the first close did not finish

    assert closed
