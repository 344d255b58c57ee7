"""
Batch runs from JSONL files: send every request line through a fan-out, append one result line per
request as it completes, and resume where an interrupted run stopped.

Input lines are JSON objects with a ``custom_id`` and either a ``body`` (OpenAI batch style,
``{"custom_id", "method", "url", "body"}``; the API is chosen from ``url``) or the keyword arguments
of ``create`` directly. Output lines are ``{"custom_id", "response": {...}}`` or
``{"custom_id", "error": {"type", "message", "status_code", "request_id"}}``.

Each input line ends with exactly one output line: re-running skips the ids already written,
``retry_failed`` sends the failed ones again (their error lines are dropped first, atomically; see
`_batch_output`), a run whose requests cannot succeed (a refused key, or nothing but 400/403/404/
422 answers at the start) stops early without writing lines for them, and lines of the output
that are not result lines are reported and kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import anyio

from ._batch_collect import Collector, progress_callback, summarise
from ._batch_files import ResultsFile, StrPath, prepare
from ._batch_files import count_results as count_results
from ._batch_io import APIS, MalformedLine, response_line
from ._batch_output import DamagedLine
from ._batch_send import dispatcher
from ._batch_summary import BatchSummary, ErrorKind
from ._core._fanout import start_many
from ._core._gate import RateGate
from ._core._progress import ProgressCallback
from ._exceptions import SequrityValidationError
from ._sync_client import with_blocking_client

if TYPE_CHECKING:
    from ._client import AsyncSequrityClient

__all__ = [
    "APIS",
    "BatchSummary",
    "DamagedLine",
    "ErrorKind",
    "MalformedLine",
    "run_batch",
    "run_batch_sync",
]


async def run_batch(
    client: AsyncSequrityClient,
    input_path: StrPath,
    output_path: StrPath,
    *,
    concurrency: int = 32,
    api: str = "chat",
    model: str | None = None,
    requests_per_minute: int | None = None,
    tokens_per_minute: int | None = None,
    progress: ProgressCallback | bool | None = None,
    retry_failed: bool = False,
    stop_early: bool = True,
    notice: Callable[[str], object] | None = None,
) -> BatchSummary:
    """
    Send every request of the JSONL file `input_path` and append one result line per request to
    `output_path`, flushed as each completes.

    Re-running with the same files skips every ``custom_id`` already in the output (after cutting
    off a truncated last line left by a crash), so an interrupted run loses nothing and repeats
    nothing but the requests that were in flight. Malformed lines (bad JSON, a missing or duplicate
    ``custom_id``, an invalid request) are reported in the summary with their line number and
    skipped; they are not written to the output. Output lines that are not result lines are
    reported (`BatchSummary.damaged`), kept, and not counted as results.

    Args:
        client: The client to send through.
        input_path: The requests, one JSON object per line.
        output_path: The results file (created when missing, appended to otherwise); not the
            input file, and in a directory that exists.
        concurrency: Most requests in flight at once.
        api: The API of lines without a ``url``: ``chat``, ``messages`` or ``responses``.
        model: The model of lines that name none.
        requests_per_minute: Ceiling of attempts per sliding minute (see ``create_many``).
        tokens_per_minute: Ceiling of tokens per sliding minute (see ``create_many``).
        progress: A callback taking a `Progress`, or True for a bar on stderr (with rate, ETA
            and error count).
        retry_failed: Send the requests whose line in the output is an error line again: those
            lines are first removed from the output (atomically), and each request gets one new
            line, so the output still has exactly one line per request.
        stop_early: Stop when the requests cannot succeed: at the first 401, or when the first
            10 answers are all 400, 403, 404 or 422 errors. No line is written for those answers
            (the next run sends them); `BatchSummary.stopped` says why.
        notice: Called with a sentence about the files before anything is sent (a truncated
            line removed, damaged lines kept, failed requests to retry).

    Returns:
        A `BatchSummary`.

    Raises:
        SequrityValidationError: a bad argument, an unreadable input file, an output file that
            is the input, or an output directory that does not exist (nothing sent).
    """
    if api not in APIS:
        raise SequrityValidationError(f"api must be one of {', '.join(APIS)}, got {api!r}")
    started = time.monotonic()
    plan = await anyio.to_thread.run_sync(
        prepare, Path(input_path), Path(output_path), api, model, retry_failed
    )
    if notice is not None:
        plan.notify(notice)
    todo = plan.todo
    callback, bar = progress_callback(progress)
    gate = RateGate(requests_per_minute=requests_per_minute, tokens_per_minute=tokens_per_minute)
    outcomes = start_many(
        dispatcher(client, gate),
        todo,
        gate=gate,
        concurrency=concurrency,
        progress=callback,
        custom_id=lambda item: item.custom_id,
    )
    out = ResultsFile(plan.target)
    collector = Collector(out.write, stop_early=stop_early)
    try:
        async for outcome in outcomes:
            item = todo[outcome.index]
            error = outcome.error
            answer = response_line(item.custom_id, outcome.value) if error is None else error
            if collector.feed(item, answer):
                break
        else:
            collector.finish()
    finally:
        out.close()
        await outcomes.aclose()  # type: ignore[attr-defined]
        if bar is not None:
            bar.close()
    return summarise(plan, collector, time.monotonic() - started)


#: `run_batch` for a blocking `SequrityClient` (same arguments, run on the client's runner;
#: the progress and notice callbacks run on the event loop of the call). Ctrl-C cancels the run;
#: results written so far are kept.
run_batch_sync = with_blocking_client(run_batch)
"""`run_batch` for a blocking `SequrityClient`: the same arguments, the client first."""
