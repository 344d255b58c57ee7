"""
The driver of a batch run on a Ray cluster (`sequrity.batch_ray`): it starts the coordinator and
the worker actors, hands out blocks (two per worker, so none idles between blocks), writes each
block's answers to the results file in one flushed write, shows the cluster's progress, and stops
the actors at the end.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import attrs

from ._batch_cluster import (
    Block,
    ClusterStatus,
    Coordinator,
    SyncReport,
    plan_blocks,
    progress_counts,
    remainder,
)
from ._batch_collect import Collector
from ._batch_files import ResultsFile
from ._batch_io import BatchItem
from ._batch_worker import BatchWorker, BlockResult, ClientSpec
from ._core._progress import ProgressCounter
from ._exceptions import SequrityError
from .integrations._extras import missing_extra

try:
    import ray
    import ray.exceptions
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy
except ImportError as _exc:  # pragma: no cover - exercised in a fresh interpreter
    raise missing_extra("ray", _exc, what="the Ray batch engine") from _exc

__all__ = ["Settings", "connected", "drive"]

logger = logging.getLogger("sequrity")

#: Blocks handed to each worker at once: the next one waits there, so no worker idles between
#: blocks while the driver answers.
_PER_WORKER = 2


class _ActorSync:
    """
    A worker's line to the coordinator actor, found by name on first use. (An actor handle
    among a restartable actor's constructor arguments would be kept in the object store, from
    which a restart cannot always get it back.)
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._coordinator: Any = None

    def __call__(self, report: SyncReport) -> Any:
        if self._coordinator is None:
            self._coordinator = ray.get_actor(self._name)
        # An ObjectRef: awaitable on the worker's event loop.
        return self._coordinator.sync.remote(report)


@contextmanager
def connected(address: str | None) -> Iterator[None]:
    """Use the process's Ray connection, else connect (or start a local Ray) for the run."""
    if ray.is_initialized():
        yield
        return
    ray.init(address=address, logging_level=logging.WARNING)
    try:
        yield
    finally:
        ray.shutdown()


class _Driver:
    """Hands blocks to the workers, writes their answers, and shows the cluster's progress."""

    def __init__(
        self,
        blocks: list[Block],
        workers: list[Any],
        coordinator: Any,
        out: ResultsFile,
        *,
        stop_early: bool,
        counter: ProgressCounter,
        monitor: Callable[[ClusterStatus], object] | None,
        poll: float,
    ) -> None:
        # The lines of a block are written (and flushed) together: one write per block.
        self._lines: list[str] = []
        self._out = out
        self.collector = Collector(self._lines.append, stop_early=stop_early)
        self._pending = deque(blocks)
        self._next_index = len(blocks)
        self._workers = workers
        self._load = [0] * len(workers)
        self._coordinator = coordinator
        self._counter = counter
        self._monitor = monitor
        self._poll = poll
        self._inflight: dict[Any, tuple[Block, int]] = {}
        self._finished: tuple[int, int] = (0, 0)
        self._finished_blocks: set[int] = set()
        self._last_status = 0.0
        self.status = ClusterStatus()

    def run(self) -> None:
        """Send every block; return when all are answered or the run stops early."""
        while self._pending or self._inflight:
            self._submit()
            ready, _ = ray.wait(list(self._inflight), num_returns=1, timeout=self._poll)
            for ref in ready:
                block, worker = self._inflight.pop(ref)
                self._load[worker] -= 1
                stop = self._take(block, self._result(ref, block))
                self._write()
                if stop:
                    return
            if time.monotonic() - self._last_status >= self._poll:
                self.refresh()
        self.collector.finish()
        self._write()

    def _write(self) -> None:
        self._out.write_lines(self._lines)
        self._lines.clear()

    @property
    def blocks_done(self) -> int:
        """Blocks whose answers were written."""
        return len(self._finished_blocks)

    def cancel(self) -> None:
        """Cancel the blocks still running (their answers are not written)."""
        for ref in self._inflight:
            ray.cancel(ref)
        self._inflight.clear()

    def _submit(self) -> None:
        while self._pending:
            worker = min(range(len(self._workers)), key=self._load.__getitem__)
            if self._load[worker] >= _PER_WORKER:
                return
            block = self._pending.popleft()
            ref = self._workers[worker].run_block.remote(block, self.collector.undecided)
            self._inflight[ref] = (block, worker)
            self._load[worker] += 1

    def _result(self, ref: Any, block: Block) -> BlockResult:
        try:
            result: BlockResult = ray.get(ref)
        except ray.exceptions.RayError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise SequrityError(
                f"a block of {len(block.items)} requests failed on the cluster "
                f"({type(exc).__name__}: {first}); the answers written so far are kept, run "
                "again to send the rest"
            ) from exc
        return result

    def _take(self, block: Block, result: BlockResult) -> bool:
        answered: set[int] = set()
        succeeded = failed = 0
        for position, answer in result.answers:
            answered.add(position)
            if self.collector.feed(block.items[position], answer):
                return True
            if isinstance(answer, str):
                succeeded += 1
            else:
                failed += 1
        done_ok, done_bad = self._finished
        self._finished = (done_ok + succeeded, done_bad + failed)
        self._finished_blocks.add(block.index)
        rest = remainder(block, answered, self._next_index)
        if rest is not None:
            # The worker stopped the block at an opening streak the run as a whole has since
            # broken: the rest goes out again as a block of its own.
            self._pending.appendleft(rest)
            self._next_index += 1
        self._show()
        return False

    def refresh(self) -> None:
        """Ask the coordinator for the cluster's status; update the progress and the monitor."""
        self._last_status = time.monotonic()
        try:
            self.status = ray.get(self._coordinator.status.remote(), timeout=10)
        except ray.exceptions.RayError as exc:
            # Progress only: the blocks' answers still arrive, and the next poll asks again.
            logger.warning("batch: no status from the coordinator: %s", exc)
            return
        self._show()
        if self._monitor is not None:
            self._monitor(self.status)

    def _show(self) -> None:
        counter = self._counter
        succeeded, failed = progress_counts(self._finished, self._finished_blocks, self.status.live)
        # A block sent again after a lost worker starts from zero: hold the bar rather than
        # moving it back.
        if succeeded + failed > counter.succeeded + counter.failed:
            counter.add(succeeded=succeeded - counter.succeeded, failed=failed - counter.failed)

    def settle(self) -> None:
        """Make the progress exact once the answers are all in."""
        succeeded, failed = self._finished
        counter = self._counter
        if (succeeded, failed) != (counter.succeeded, counter.failed):
            counter.add(succeeded=succeeded - counter.succeeded, failed=failed - counter.failed)


def _wait_for(refs: list[Any], seconds: float = 30.0) -> None:
    """Wait for the workers' last calls, but never hang the end of a finished run on them."""
    try:
        ray.get(refs, timeout=seconds)
    except ray.exceptions.RayError as exc:
        logger.warning("batch: a worker did not finish its last call: %s", exc)


@attrs.frozen(kw_only=True)
class Settings:
    """How a run uses the cluster (see `run_batch_ray`)."""

    workers: int | None
    concurrency: int
    block_size: int
    stop_early: bool
    max_restarts: int
    refresh: float
    monitor: Callable[[ClusterStatus], object] | None


def drive(
    todo: list[BatchItem],
    out: ResultsFile,
    counter: ProgressCounter,
    spec: ClientSpec,
    settings: Settings,
) -> _Driver:
    """Start the coordinator and the workers, run every block, and stop the actors."""
    cpus = float(ray.cluster_resources().get("CPU", 1.0))  # type: ignore[no-untyped-call]
    count = settings.workers if settings.workers is not None else max(int(cpus), 1)
    name = f"sequrity-batch-{uuid.uuid4().hex}"
    coordinator = (
        ray.remote(Coordinator)
        .options(
            num_cpus=0,
            name=name,
            max_restarts=settings.max_restarts,
            # Beside the driver: it lives and dies with the run.
            scheduling_strategy=NodeAffinitySchedulingStrategy(
                node_id=ray.get_runtime_context().get_node_id(), soft=True
            ),
        )
        .remote()
    )
    actors: list[Any] = [coordinator]
    try:
        worker_class = ray.remote(BatchWorker).options(
            # One CPU each when the cluster has enough; otherwise they share what there is.
            num_cpus=min(1.0, cpus / count),
            max_restarts=settings.max_restarts,
            max_task_retries=settings.max_restarts,
            scheduling_strategy="SPREAD",
        )
        pool: list[Any] = [
            worker_class.remote(
                number,
                spec,
                _ActorSync(name),
                concurrency=settings.concurrency,
                refresh=settings.refresh,
                stop_early=settings.stop_early,
            )
            for number in range(count)
        ]
        actors.extend(pool)
        counter.start()
        driver = _Driver(
            plan_blocks(todo, settings.block_size),
            pool,
            coordinator,
            out,
            stop_early=settings.stop_early,
            counter=counter,
            monitor=settings.monitor,
            poll=0.1,
        )
        try:
            driver.run()
        finally:
            driver.cancel()  # what is left of a run that stopped early or failed
        if driver.collector.stopped is None:
            # One last report from each worker, so the summary counts everything.
            _wait_for([worker.report.remote() for worker in pool])
        driver.refresh()
        driver.settle()
        # Workers close their connections before they go.
        _wait_for([worker.close.remote() for worker in pool])
        return driver
    finally:
        # Workers first: a worker outliving the coordinator would report its loss.
        for actor in reversed(actors):
            ray.kill(actor)
