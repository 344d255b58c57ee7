"""
Batch runs on a Ray cluster (``pip install 'sequrity[ray]'``): the same input, output, resume and
exactly-once guarantees as `sequrity.batch.run_batch`, with the requests sent by Ray workers on
any number of machines.

The driver (this process) reads the input, splits what is left to do into blocks and hands them to
worker actors, each an event loop with its own client and connection pool. Answers come back to
the driver, which alone writes the one results file, line by line as `run_batch` does, so an
interrupted run resumes the same way and workers need no shared filesystem. A worker process that
is lost is restarted by Ray and its blocks are sent again; their answers reach the file only once,
when a block completes. One small coordinator actor holds the cluster-wide pause (a retry hint seen
by any worker pauses all of them) and what the workers report for progress.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from ._batch_cluster import (
    Block,
    ClusterBatchSummary,
    ClusterStatus,
    Coordinator,
    SyncReport,
    WorkerStatus,
    plan_blocks,
    progress_counts,
    remainder,
)
from ._batch_collect import Collector, progress_callback, summarise
from ._batch_files import ResultsFile, StrPath, prepare
from ._batch_io import APIS
from ._batch_summary import BatchSummary
from ._batch_worker import BatchWorker, BlockResult, ClientSpec
from ._client import resolve_api_key, resolve_base_url
from ._core._progress import ProgressCallback, ProgressCounter
from ._exceptions import SequrityError, SequrityValidationError
from .integrations._extras import missing_extra

try:
    import ray
    import ray.exceptions
except ImportError as _exc:  # pragma: no cover - exercised in a fresh interpreter
    raise missing_extra("ray", _exc, what="the Ray batch engine") from _exc

__all__ = ["ClusterBatchSummary", "ClusterStatus", "WorkerStatus", "run_batch_ray"]

#: Blocks handed to each worker at once: the next one waits there, so no worker idles between
#: blocks while the driver answers.
_PER_WORKER = 2
#: Keywords of `AsyncSequrityClient` a worker cannot be given (it builds its own client).
_NOT_FOR_WORKERS = frozenset({"api_key", "base_url", "transport", "http_session", "on_retry"})


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


def _positive(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SequrityValidationError(f"{name} must be a whole number >= 1, got {value!r}")


def _client_spec(
    api_key: str | None, base_url: str | None, options: Mapping[str, Any] | None
) -> ClientSpec:
    extra = dict(options or {})
    refused = sorted(set(extra) & _NOT_FOR_WORKERS)
    if refused:
        raise SequrityValidationError(
            f"client_options may not hold {', '.join(refused)}: pass api_key and base_url "
            "themselves; each worker builds its own client and transport"
        )
    spec = ClientSpec(
        api_key=resolve_api_key(api_key), base_url=resolve_base_url(base_url), options=extra
    )
    try:
        spec.build()  # the same checks as any client (plain http, option types), here and now
    except TypeError as exc:
        raise SequrityValidationError(f"invalid client_options: {exc}") from None
    return spec


@contextmanager
def _connected(address: str | None) -> Iterator[None]:
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
        collector: Collector,
        counter: ProgressCounter,
        monitor: Callable[[ClusterStatus], object] | None,
        poll: float,
    ) -> None:
        self._pending = deque(blocks)
        self._next_index = len(blocks)
        self._workers = workers
        self._load = [0] * len(workers)
        self._coordinator = coordinator
        self._collector = collector
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
                if self._take(block, self._result(ref, block)):
                    return
            if time.monotonic() - self._last_status >= self._poll:
                self.refresh()
        self._collector.finish()

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
            ref = self._workers[worker].run_block.remote(block, self._collector.undecided)
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
            if self._collector.feed(block.items[position], answer):
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
        self.status = ray.get(self._coordinator.status.remote())
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


def run_batch_ray(
    input_path: StrPath,
    output_path: StrPath,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    client_options: Mapping[str, Any] | None = None,
    address: str | None = None,
    workers: int | None = None,
    concurrency: int = 32,
    block_size: int = 1000,
    api: str = "chat",
    model: str | None = None,
    progress: ProgressCallback | bool | None = None,
    retry_failed: bool = False,
    stop_early: bool = True,
    notice: Callable[[str], object] | None = None,
    monitor: Callable[[ClusterStatus], object] | None = None,
    max_restarts: int = 3,
    refresh: float = 0.05,
) -> ClusterBatchSummary:
    """
    Send every request of the JSONL file `input_path` from Ray workers and append one result line
    per request to `output_path`: the same files, resume and exactly-once output as
    `sequrity.batch.run_batch` (see there), on as many machines as the cluster has.

    Blocking: call it from a thread (``anyio.to_thread.run_sync``) inside an event loop.

    Args:
        input_path: The requests, one JSON object per line.
        output_path: The results file (created when missing, appended to otherwise).
        api_key: The API key; defaults to ``$SEQURITY_API_KEY`` of this process.
        base_url: The base URL; defaults to ``$SEQURITY_BASE_URL``, else the public endpoint.
        client_options: Other `AsyncSequrityClient` keywords for the workers' clients
            (``timeout``, ``retry``, ``control``, ``limits``, ``default_headers``...).
        address: The Ray cluster to connect to (``ray.init(address=...)``: ``auto``,
            ``HOST:PORT``, ``ray://HOST:PORT``); by default this process's Ray connection if it
            has one, else a Ray started on this machine (or ``$RAY_ADDRESS``).
        workers: Worker actors, each with one CPU when the cluster has enough (default: one per
            CPU of the cluster).
        concurrency: Most requests in flight per worker (the cluster sends up to
            ``workers * concurrency`` at once).
        block_size: Requests per block: a lost worker costs at most its blocks in flight.
        api: The API of lines without a ``url``: ``chat``, ``messages`` or ``responses``.
        model: The model of lines that name none.
        progress: A callback taking a `Progress` of the whole cluster, or True for a bar.
        retry_failed: Send again the requests whose line in the output is an error line.
        stop_early: Stop when the requests cannot succeed (a refused key, or 10 doomed answers
            at the start), writing nothing for them.
        notice: Called with a sentence about the files before anything is sent.
        monitor: Called on this thread with a `ClusterStatus` a few times a second.
        max_restarts: How many times Ray may restart each worker (and send its blocks again).
        refresh: Seconds between a worker's reports to the coordinator; 0 consults it before
            every attempt (costly: see ``benchmarks/README.md``).

    Returns:
        A `ClusterBatchSummary`.

    Raises:
        SequrityValidationError: a bad argument or path (nothing sent).
        SequrityError: a block failed on the cluster beyond Ray's retries (the answers written
            so far are kept; run again to send the rest).
    """
    if api not in APIS:
        raise SequrityValidationError(f"api must be one of {', '.join(APIS)}, got {api!r}")
    for name, value in (("concurrency", concurrency), ("block_size", block_size)):
        _positive(name, value)
    if workers is not None:
        _positive("workers", workers)
    if isinstance(max_restarts, bool) or not isinstance(max_restarts, int) or max_restarts < 0:
        raise SequrityValidationError(
            f"max_restarts must be a whole number >= 0, got {max_restarts!r}"
        )
    if not isinstance(refresh, int | float) or refresh < 0:
        raise SequrityValidationError(f"refresh must be a number of seconds >= 0, got {refresh!r}")
    spec = _client_spec(api_key, base_url, client_options)
    started = time.monotonic()
    plan = prepare(Path(input_path), Path(output_path), api, model, retry_failed)
    if notice is not None:
        plan.notify(notice)
    callback, bar = progress_callback(progress)
    counter = ProgressCounter(total=len(plan.todo), callback=callback, display=bar)
    out = ResultsFile(plan.target)
    collector = Collector(out.write, stop_early=stop_early)
    driver: _Driver | None = None
    actors: list[Any] = []
    try:
        with _connected(address):
            cpus = float(ray.cluster_resources().get("CPU", 1.0))  # type: ignore[no-untyped-call]
            count = workers if workers is not None else max(int(cpus), 1)
            name = f"sequrity-batch-{uuid.uuid4().hex}"
            coordinator = ray.remote(Coordinator).options(num_cpus=0, name=name).remote()
            actors.append(coordinator)
            worker_class = ray.remote(BatchWorker).options(
                num_cpus=min(1.0, cpus / count),
                max_restarts=max_restarts,
                max_task_retries=max_restarts,
                scheduling_strategy="SPREAD",
            )
            pool: list[Any] = [
                worker_class.remote(
                    number,
                    spec,
                    _ActorSync(name),
                    concurrency=concurrency,
                    refresh=refresh,
                    stop_early=stop_early,
                )
                for number in range(count)
            ]
            actors.extend(pool)
            counter.start()
            driver = _Driver(
                plan_blocks(plan.todo, block_size),
                pool,
                coordinator,
                collector,
                counter,
                monitor,
                poll=0.1,
            )
            try:
                driver.run()
                driver.cancel()  # what is left of a run that stopped early
                if collector.stopped is None:
                    # One last report from each worker, so the summary counts everything.
                    ray.get([worker.report.remote() for worker in pool])
                driver.refresh()
                driver.settle()
                # Workers close their connections before they go.
                ray.get([worker.close.remote() for worker in pool])
            finally:
                driver.cancel()
                # Workers first: a worker outliving the coordinator would report its loss.
                for actor in reversed(actors):
                    ray.kill(actor)
    finally:
        out.close()
        counter.close()
    base = summarise(plan, collector, time.monotonic() - started)
    status = driver.status if driver is not None else ClusterStatus()
    return ClusterBatchSummary(
        **{field.name: getattr(base, field.name) for field in attrs.fields(BatchSummary)},
        workers=status.workers,
        pauses=status.pauses,
        blocks=driver.blocks_done if driver is not None else 0,
    )
