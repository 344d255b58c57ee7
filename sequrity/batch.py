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

import inspect
import json
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import attrs

from ._batch_io import APIS, BatchItem, MalformedLine, error_line, parse_line, response_line
from ._batch_output import DamagedLine, drop_error_lines, read_results, recover_output
from ._batch_summary import BatchSummary, EarlyStop, ErrorKind, ErrorTally
from ._core._fanout import kwargs_caller, start_many
from ._core._gate import RateGate
from ._core._progress import ProgressBar, ProgressCallback
from ._exceptions import SequrityError, SequrityValidationError
from ._sync_client import with_blocking_client
from .control.resources._base import AsyncCreateResource

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

StrPath = str | os.PathLike[str]


def _read_input(
    path: Path, api: str, model: str | None
) -> tuple[list[BatchItem], list[MalformedLine]]:
    items: list[BatchItem] = []
    problems: list[MalformedLine] = []
    first_line: dict[str, int] = {}
    with path.open(encoding="utf-8", errors="replace") as file:
        for number, text in enumerate(file, start=1):
            if not text.strip():
                continue
            parsed = parse_line(text, number, api=api, model=model)
            if isinstance(parsed, MalformedLine):
                problems.append(parsed)
                continue
            if parsed.custom_id in first_line:
                problems.append(
                    MalformedLine(
                        line=number,
                        reason=f"duplicate custom_id {parsed.custom_id!r} "
                        f"(first on line {first_line[parsed.custom_id]})",
                        custom_id=parsed.custom_id,
                    )
                )
                continue
            first_line[parsed.custom_id] = number
            items.append(parsed)
    return items, problems


@attrs.frozen(kw_only=True)
class _Prepared:
    target: Path
    todo: list[BatchItem]
    problems: list[MalformedLine]
    skipped: int
    repaired: int
    retried: int
    damaged: tuple[DamagedLine, ...]


def _check_paths(source: Path, target: Path) -> None:
    if not source.is_file():
        raise SequrityValidationError(f"input file not found: {source}")
    if target.exists() and not target.is_file():
        raise SequrityValidationError(f"output path is not a file: {target}")
    if (target.exists() and source.samefile(target)) or source.resolve() == target.resolve():
        raise SequrityValidationError(
            f"the output file {target} is the input file; write the results to another file"
        )
    if not target.parent.is_dir():
        raise SequrityValidationError(f"output directory not found: {target.parent}")


def _prepare(
    source: Path, target: Path, api: str, model: str | None, retry_failed: bool
) -> _Prepared:
    """Check the paths, parse the input and recover the output (blocking file I/O)."""
    _check_paths(source, target)
    items, problems = _read_input(source, api, model)
    retried = 0
    if retry_failed:
        retried = drop_error_lines(target, {item.custom_id for item in items})
    recovered = recover_output(target)
    todo = [item for item in items if item.custom_id not in recovered.done]
    return _Prepared(
        target=target,
        todo=todo,
        problems=problems,
        skipped=len(items) - len(todo),
        repaired=recovered.cut,
        retried=retried,
        damaged=recovered.damaged,
    )


def count_results(input_path: StrPath, output_path: StrPath) -> tuple[int, int]:
    """
    Count the requests of an input file that have a result line in the output file.

    Returns:
        ``(with a result, requests)``, where requests are the input's lines with a custom_id.
    """
    ids: set[str] = set()
    with Path(input_path).open(encoding="utf-8", errors="replace") as file:
        for text in file:
            try:
                data = json.loads(text)
            except ValueError:
                continue
            if isinstance(data, dict) and isinstance(data.get("custom_id"), str):
                ids.add(data["custom_id"])
    done = read_results(Path(output_path)).done
    return len(ids & done), len(ids)


class _Output:
    """
    The results file, opened for appending. Each line goes out in one write and is flushed at
    once: a killed process leaves at most one partial last line, which the next run removes.
    """

    def __init__(self, path: Path) -> None:
        self._file = path.open("a", encoding="utf-8", newline="\n")

    def write(self, line: str) -> None:
        self._file.write(line)
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def _dispatcher(
    client: AsyncSequrityClient, gate: RateGate
) -> Callable[[BatchItem], Awaitable[Any]]:
    callers: dict[str, tuple[Callable[..., Awaitable[Any]], frozenset[str]]] = {}

    def caller(api: str) -> tuple[Callable[..., Awaitable[Any]], frozenset[str]]:
        if api not in callers:
            resource = getattr(client.control, api, None)
            if not isinstance(resource, AsyncCreateResource):
                raise SequrityValidationError(f"this client has no {api} API")
            # Every attempt of the run passes the run's one gate (a 429 pauses all workers).
            create = getattr(resource._gated(gate), "create")  # noqa: B009
            names = frozenset(inspect.signature(create).parameters)
            callers[api] = (kwargs_caller(create, f"{api}.create"), names)
        return callers[api]

    async def call(item: BatchItem) -> Any:
        send, names = caller(item.api)
        arguments = item.arguments
        if item.is_body:
            # A wire body: what `create` does not name goes on the wire unchanged.
            extra = {k: v for k, v in arguments.items() if k not in names}
            arguments = {k: v for k, v in arguments.items() if k in names}
            if extra:
                arguments["extra_body"] = extra
        return await send(arguments)

    return call


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
        _prepare, Path(input_path), Path(output_path), api, model, retry_failed
    )
    if notice is not None:
        _notify(notice, plan)
    todo, problems = plan.todo, plan.problems
    bar = ProgressBar(label="batch") if progress is True else None
    callback: ProgressCallback | None = bar
    if bar is None and progress is not None and progress is not False:
        if not callable(progress):
            raise SequrityValidationError(
                f"progress must be a callable, True or None, got {progress!r}"
            )
        callback = progress
    gate = RateGate(requests_per_minute=requests_per_minute, tokens_per_minute=tokens_per_minute)
    outcomes = start_many(
        _dispatcher(client, gate),
        todo,
        gate=gate,
        concurrency=concurrency,
        progress=callback,
        custom_id=lambda item: item.custom_id,
    )
    succeeded = failed = 0
    tally = ErrorTally()
    breaker = EarlyStop(streak=10 if stop_early else None)
    # Error lines of the opening streak wait here: if the run stops, they are not written.
    pending: list[tuple[str, SequrityError]] = []
    stopped: str | None = None
    out = _Output(plan.target)
    try:
        async for outcome in outcomes:
            item = todo[outcome.index]
            error = outcome.error
            if isinstance(error, SequrityValidationError):
                # Refused before sending: the line is at fault, not the service.
                problems.append(
                    MalformedLine(line=item.line, reason=str(error), custom_id=item.custom_id)
                )
                continue
            stopped = breaker.observe(error) if stop_early else None
            if stopped is not None:
                break
            if error is not None and breaker.undecided:
                pending.append((item.custom_id, error))
                continue
            for custom_id, held in pending:
                out.write(error_line(custom_id, held))
                tally.add(held)
            failed += len(pending)
            pending.clear()
            if error is None:
                out.write(response_line(item.custom_id, outcome.value))
                succeeded += 1
            else:
                out.write(error_line(item.custom_id, error))
                tally.add(error)
                failed += 1
        else:
            for custom_id, held in pending:
                out.write(error_line(custom_id, held))
                tally.add(held)
            failed += len(pending)
    finally:
        out.close()
        await outcomes.aclose()  # type: ignore[attr-defined]
        if bar is not None:
            bar.close()
    problems.sort(key=lambda p: p.line)
    return BatchSummary(
        succeeded=succeeded,
        failed=failed,
        skipped=plan.skipped,
        malformed=len(problems),
        elapsed=time.monotonic() - started,
        problems=tuple(problems),
        repaired_bytes=plan.repaired,
        retried=plan.retried,
        damaged=plan.damaged,
        error_kinds=tally.most_common(),
        stopped=stopped,
    )


def _notify(notice: Callable[[str], object], plan: _Prepared) -> None:
    target = plan.target
    if plan.repaired:
        notice(f"removed a truncated last line ({plan.repaired} bytes) from {target}")
    for damaged in plan.damaged:
        notice(f"{target} {damaged}; kept as is and not counted as a result")
    if plan.retried:
        notice(
            f"retrying {plan.retried} failed requests (their error lines were removed from "
            f"{target})"
        )


#: `run_batch` for a blocking `SequrityClient` (same arguments, run on the client's runner;
#: the progress and notice callbacks run on the event loop of the call). Ctrl-C cancels the run;
#: results written so far are kept.
run_batch_sync = with_blocking_client(run_batch)
"""`run_batch` for a blocking `SequrityClient`: the same arguments, the client first."""
