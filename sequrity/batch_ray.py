"""
Batch runs on a Ray cluster (``pip install 'sequrity[ray]'``): the same input, output, resume and
exactly-once guarantees as `sequrity.batch.run_batch`, with the requests sent by Ray workers on
any number of machines.

The driver (this process) reads the input, splits what is left to do into blocks and hands them to
worker actors, each an event loop with its own client and connection pool. Answers come back to
the driver, which alone writes the one results file, in the same format and with the same recovery
as `run_batch` (each block's lines in one flushed write), so an interrupted run resumes the same
way and workers need no shared filesystem. A worker process that is lost is restarted by Ray and
its blocks are sent again; their answers reach the file only once, when a block completes. One
small coordinator actor holds the cluster-wide pause (a retry hint seen by any worker pauses all of
them) and what the workers report for progress (`_batch_ray_driver` runs all this).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ._batch_cluster import ClusterBatchSummary, ClusterStatus, WorkerStatus
from ._batch_collect import progress_callback, summarise
from ._batch_files import ResultsFile, StrPath, prepare
from ._batch_io import APIS
from ._batch_ray_driver import Settings, connected, drive
from ._batch_summary import BatchSummary
from ._batch_worker import ClientSpec
from ._client import resolve_api_key, resolve_base_url
from ._core._progress import ProgressCallback, ProgressCounter
from ._exceptions import SequrityValidationError

__all__ = ["ClusterBatchSummary", "ClusterStatus", "WorkerStatus", "run_batch_ray"]

#: Keywords of `AsyncSequrityClient` a worker cannot be given (it builds its own client).
_NOT_FOR_WORKERS = frozenset({"api_key", "base_url", "transport", "http_session", "on_retry"})


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
        address: The Ray cluster to connect to (``ray.init(address=...)``: ``auto``, or the
            head's ``HOST:PORT``); by default ``$RAY_ADDRESS``, else a Ray started on this
            machine for the run. A Ray connection this process already has is used as it is.
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
    settings = Settings(
        workers=workers,
        concurrency=concurrency,
        block_size=block_size,
        stop_early=stop_early,
        max_restarts=max_restarts,
        refresh=refresh,
        monitor=monitor,
    )
    try:
        with connected(address):
            driver = drive(plan.todo, out, counter, spec, settings)
    finally:
        out.close()
        counter.close()
    base = summarise(plan, driver.collector, time.monotonic() - started)
    return ClusterBatchSummary(
        **{field.name: getattr(base, field.name) for field in attrs.fields(BatchSummary)},
        workers=driver.status.workers,
        pauses=driver.status.pauses,
        blocks=driver.blocks_done,
    )
