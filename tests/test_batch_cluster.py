"""The pure parts of a batch run on a Ray cluster (`sequrity._batch_cluster`): blocks, the
cluster-wide pause, the coordinator's bookkeeping and progress counts, without Ray."""

from __future__ import annotations

import pytest

from sequrity._batch_cluster import (
    Block,
    ClusterBatchSummary,
    Coordinator,
    PauseBoard,
    SyncReport,
    WorkerStatus,
    plan_blocks,
    progress_counts,
    remainder,
)
from sequrity._batch_io import BatchItem


class Clock:
    """Virtual monotonic time."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def items(count: int) -> list[BatchItem]:
    return [
        BatchItem(line=n + 1, custom_id=f"r{n}", api="chat", arguments={"model": "m"})
        for n in range(count)
    ]


def test_blocks_keep_input_order_and_the_last_one_is_smaller():
    """2,500 requests in blocks of 1,000 are three blocks, numbered from `first`, in order."""
    requests = items(2500)

    blocks = plan_blocks(requests, 1000, first=7)

    assert [b.index for b in blocks] == [7, 8, 9]
    assert [len(b.items) for b in blocks] == [1000, 1000, 500]
    assert [i for b in blocks for i in b.items] == requests


def test_no_requests_make_no_blocks_and_a_block_needs_room_for_one():
    """An empty run has no blocks; a block size below one is refused."""
    assert plan_blocks([], 10) == []
    with pytest.raises(ValueError, match="at least one"):
        plan_blocks(items(3), 0)


def test_the_remainder_of_a_stopped_block_is_what_was_not_answered():
    """Positions 0 and 2 answered out of four: the rest is a new block of positions 1 and 3."""
    block = Block(index=4, items=tuple(items(4)))

    rest = remainder(block, {0, 2}, 9)

    assert rest == Block(index=9, items=(block.items[1], block.items[3]))
    assert remainder(block, {0, 1, 2, 3}, 10) is None


def test_hints_during_a_pause_make_one_window_and_never_shorten_it():
    """A 5 s hint, then a 1 s and a 6 s one during it: one window, ending 6 s after the last."""
    clock = Clock()
    board = PauseBoard(clock=clock)

    board.report(5)
    clock.now += 2
    board.report(1)
    board.report(6)
    during = board.remaining()
    clock.now += 10
    after = board.remaining()
    board.report(1)

    assert (during, after, board.windows) == (6.0, 0.0, 2)


def test_the_coordinator_hands_every_worker_the_pause_one_of_them_reported():
    """Worker 0 reports a 3 s hint; worker 1, reporting a second later, is told 2 s are left."""
    clock = Clock()
    coordinator = Coordinator(clock=clock)

    first = coordinator.sync(SyncReport(worker=0, pid=10, host="a", paused_for=3.0))
    clock.now += 1
    second = coordinator.sync(SyncReport(worker=1, pid=11, host="b"))

    assert (first, second, coordinator.status().pauses) == (3.0, 2.0, 1)


def test_the_status_counts_a_replaced_process_as_a_restart_and_keeps_its_work():
    """A worker whose pid changes was restarted: its answers and pauses so far still count."""
    coordinator = Coordinator(clock=Clock())
    coordinator.sync(SyncReport(worker=0, pid=10, host="a", requests=40, pauses=1))
    coordinator.sync(SyncReport(worker=0, pid=12, host="a", requests=5, blocks={3: (5, 0)}))

    status = coordinator.status()

    assert status.workers == (
        WorkerStatus(worker=0, pid=12, host="a", requests=45, pauses=1, restarts=1, blocks=(3,)),
    )


def test_a_block_running_twice_shows_the_attempt_that_got_furthest():
    """Block 3 on a lost worker got to 8 answers and its new attempt to 2: the status says 8."""
    coordinator = Coordinator(clock=Clock())
    coordinator.sync(SyncReport(worker=0, pid=10, host="a", blocks={3: (7, 1)}))
    coordinator.sync(SyncReport(worker=1, pid=11, host="a", blocks={3: (2, 0), 4: (1, 0)}))

    assert coordinator.status().live == {3: (7, 1), 4: (1, 0)}


def test_progress_counts_finished_blocks_exactly_and_running_ones_as_reported():
    """Block 1 finished (its report is stale and ignored); block 2 is still running."""
    counts = progress_counts((90, 10), {1}, {1: (40, 0), 2: (5, 1)})

    assert counts == (95, 11)


def test_a_cluster_summary_says_how_many_workers_blocks_pauses_and_restarts():
    """The summary line adds the cluster's part to the usual one."""
    worker = WorkerStatus(worker=0, pid=1, host="a", requests=3, pauses=1, restarts=2, blocks=())
    summary = ClusterBatchSummary(
        succeeded=3,
        failed=0,
        skipped=0,
        malformed=0,
        elapsed=1.0,
        workers=(worker,),
        pauses=1,
        blocks=2,
    )

    assert summary.restarts == 2
    assert str(summary).endswith("; workers 1, blocks 2, pauses 1, restarts 2")
