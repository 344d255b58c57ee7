"""
The pure parts of a batch run on a Ray cluster, none of which imports Ray: blocks of requests,
what a worker reports to the coordinator (`SyncReport`), the cluster-wide pause (`PauseBoard`),
the coordinator itself (`Coordinator`, made a Ray actor by `sequrity.batch_ray`), the status it
gives the driver, progress counts, and the run's summary.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

import attrs

from ._batch_io import BatchItem
from ._batch_summary import BatchSummary

__all__ = [
    "Block",
    "ClusterBatchSummary",
    "ClusterStatus",
    "Coordinator",
    "PauseBoard",
    "SyncReport",
    "WorkerStatus",
    "plan_blocks",
    "progress_counts",
    "remainder",
]

#: Counts of one block so far: (succeeded, failed).
Counts = tuple[int, int]


@attrs.frozen(kw_only=True)
class Block:
    """
    Requests sent together by one worker; a lost block is sent again as a whole.

    Attributes:
        index: Its number in the run (unique; a block's remainder gets a new one).
        items: The requests, in input order.
    """

    index: int
    items: tuple[BatchItem, ...]


def plan_blocks(items: Sequence[BatchItem], size: int, *, first: int = 0) -> list[Block]:
    """
    Split `items` into blocks of `size` requests (the last may be smaller), numbered from
    `first`, keeping input order.

    Raises:
        ValueError: `size` is not at least 1.
    """
    if size < 1:
        raise ValueError(f"a block holds at least one request, got {size}")
    return [
        Block(index=first + n, items=tuple(items[start : start + size]))
        for n, start in enumerate(range(0, len(items), size))
    ]


def remainder(block: Block, answered: set[int], index: int) -> Block | None:
    """
    The requests of `block` whose positions are not in `answered` (a worker stopped the block
    early), as a new block numbered `index`; `None` when every request was answered.
    """
    if len(answered) >= len(block.items):
        return None
    rest = tuple(item for n, item in enumerate(block.items) if n not in answered)
    return Block(index=index, items=rest)


@attrs.frozen(kw_only=True)
class SyncReport:
    """
    What a worker tells the coordinator, a few times a second and at once after a retry hint.

    Attributes:
        worker: The worker's number (the same after Ray restarts it).
        pid: Its process id.
        host: The machine it runs on.
        requests: Answers it has received so far (every block).
        pauses: Pause windows it has honoured so far (its own retry hints and the cluster's).
        blocks: Its running blocks, each with its counts so far.
        paused_for: A retry hint (seconds) it received since its last report, else `None`.
    """

    worker: int
    pid: int
    host: str
    requests: int = 0
    pauses: int = 0
    blocks: Mapping[int, Counts] = attrs.field(factory=dict)
    paused_for: float | None = None


@attrs.frozen(kw_only=True)
class WorkerStatus:
    """
    One worker, as the coordinator last heard from it.

    Attributes:
        worker: Its number.
        pid: Its current process id.
        host: The machine it runs on.
        requests: Answers it has received (across restarts).
        pauses: Pause windows it has honoured (across restarts).
        restarts: How many times its process was replaced (Ray restarted it after a loss).
        blocks: The blocks it is running.
    """

    worker: int
    pid: int
    host: str
    requests: int
    pauses: int
    restarts: int
    blocks: tuple[int, ...]


@attrs.frozen(kw_only=True)
class ClusterStatus:
    """
    The whole cluster, as the driver sees it.

    Attributes:
        workers: Every worker heard from, by number.
        live: Counts of the running blocks (the furthest any attempt got).
        pauses: Cluster-wide pause windows so far (retry hints arriving during a pause extend it).
        paused_for: Seconds left of the current pause (0 when not paused).
    """

    workers: tuple[WorkerStatus, ...] = ()
    live: Mapping[int, Counts] = attrs.field(factory=dict)
    pauses: int = 0
    paused_for: float = 0.0


@attrs.define(kw_only=True)
class PauseBoard:
    """
    The cluster-wide pause: a retry hint reported by any worker holds every worker until it ends.
    Deadlines are kept on this process's clock and handed out as seconds left, so workers on
    other machines need no synchronised clocks.

    Args:
        clock: Monotonic seconds.
    """

    clock: Callable[[], float] = time.monotonic
    resume_at: float = float("-inf")
    #: Pause windows so far: a hint arriving while paused extends the window, not a new one.
    windows: int = 0

    def report(self, seconds: float) -> None:
        """A worker was told to wait `seconds`: pause the cluster (never shortening a pause)."""
        now = self.clock()
        until = now + max(seconds, 0.0)
        if until <= self.resume_at:
            return
        if now >= self.resume_at:
            self.windows += 1
        self.resume_at = until

    def remaining(self) -> float:
        """Seconds left of the pause (0 when not paused)."""
        return max(self.resume_at - self.clock(), 0.0)


@attrs.define
class _Seen:
    report: SyncReport
    restarts: int = 0
    carried_requests: int = 0
    carried_pauses: int = 0


class Coordinator:
    """
    The one small piece of shared state of a run (a Ray actor with no CPU of its own): the
    cluster-wide pause, and what each worker last reported, for the driver's progress.

    Workers call `sync` (a few times a second); the driver calls `status`. Calls are served one
    at a time, so there is no locking.

    Args:
        clock: Monotonic seconds, for the pause.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._board = PauseBoard(clock=clock)
        self._workers: dict[int, _Seen] = {}

    def sync(self, report: SyncReport) -> float:
        """
        Take a worker's report.

        Returns:
            Seconds left of the cluster-wide pause, for the worker to honour (0: none).
        """
        if report.paused_for is not None:
            self._board.report(report.paused_for)
        seen = self._workers.get(report.worker)
        if seen is None:
            self._workers[report.worker] = _Seen(report)
        elif seen.report.pid != report.pid:
            # Ray replaced the worker's process: what the lost one did still counts.
            seen.restarts += 1
            seen.carried_requests += seen.report.requests
            seen.carried_pauses += seen.report.pauses
            seen.report = report
        else:
            seen.report = report
        return self._board.remaining()

    def status(self) -> ClusterStatus:
        """The workers, the running blocks and the pause, as last reported."""
        live: dict[int, Counts] = {}
        workers = []
        for number in sorted(self._workers):
            seen = self._workers[number]
            report = seen.report
            for block, counts in report.blocks.items():
                if block not in live or sum(counts) > sum(live[block]):
                    live[block] = counts
            workers.append(
                WorkerStatus(
                    worker=number,
                    pid=report.pid,
                    host=report.host,
                    requests=seen.carried_requests + report.requests,
                    pauses=seen.carried_pauses + report.pauses,
                    restarts=seen.restarts,
                    blocks=tuple(sorted(report.blocks)),
                )
            )
        return ClusterStatus(
            workers=tuple(workers),
            live=live,
            pauses=self._board.windows,
            paused_for=self._board.remaining(),
        )


def progress_counts(
    finished: Counts, finished_blocks: set[int] | frozenset[int], live: Mapping[int, Counts]
) -> Counts:
    """
    The run's (succeeded, failed) to show: the exact counts of the blocks the driver has
    received, plus the reported counts of the blocks still running.
    """
    succeeded, failed = finished
    for block, (ok, bad) in live.items():
        if block not in finished_blocks:
            succeeded += ok
            failed += bad
    return succeeded, failed


@attrs.frozen(kw_only=True)
class ClusterBatchSummary(BatchSummary):
    """
    What a batch run on a Ray cluster did: a `BatchSummary`, and the cluster's part.

    Attributes:
        workers: Each worker: its process, machine, answers, pauses and restarts.
        pauses: Cluster-wide pause windows (a retry hint seen by any worker paused them all).
        blocks: Blocks of requests completed.
    """

    workers: tuple[WorkerStatus, ...] = ()
    pauses: int = 0
    blocks: int = 0

    @property
    def restarts(self) -> int:
        """How many worker processes were lost and replaced (their blocks were sent again)."""
        return sum(worker.restarts for worker in self.workers)

    def __str__(self) -> str:
        return (
            f"{super().__str__()}; workers {len(self.workers)}, blocks {self.blocks}, "
            f"pauses {self.pauses}, restarts {self.restarts}"
        )
