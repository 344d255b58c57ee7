"""
Batch runs from JSONL files: send every request line through a fan-out, append one result line per
request as it completes, and resume where an interrupted run stopped.

Input lines are JSON objects with a ``custom_id`` and either a ``body`` (OpenAI batch style,
``{"custom_id", "method", "url", "body"}``; the API is chosen from ``url``) or the keyword arguments
of ``create`` directly. Output lines are ``{"custom_id", "response": {...}}`` or
``{"custom_id", "error": {"type", "message", "status_code", "request_id"}}``.
"""

from __future__ import annotations

import inspect
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import attrs

from ._batch_io import (
    APIS,
    BatchItem,
    MalformedLine,
    error_line,
    parse_line,
    recover_output,
    response_line,
)
from ._core._fanout import kwargs_caller, start_many
from ._core._progress import Progress, ProgressBar, ProgressCallback
from ._exceptions import SequrityValidationError

if TYPE_CHECKING:
    from ._client import AsyncSequrityClient
    from ._sync_client import SequrityClient

__all__ = ["APIS", "BatchSummary", "MalformedLine", "run_batch", "run_batch_sync"]

StrPath = str | os.PathLike[str]


@attrs.frozen(kw_only=True)
class BatchSummary:
    """
    What a batch run did.

    Attributes:
        succeeded: Requests that succeeded in this run.
        failed: Requests that ended with an error in this run (written as error lines).
        skipped: Requests already in the output file from an earlier run.
        malformed: Input lines skipped as malformed (see `problems`).
        elapsed: Seconds the run took.
        problems: The malformed lines, with their line numbers, in input order.
        repaired_bytes: Bytes of a truncated last output line removed before appending.
    """

    succeeded: int
    failed: int
    skipped: int
    malformed: int
    elapsed: float
    problems: tuple[MalformedLine, ...] = ()
    repaired_bytes: int = 0

    @property
    def done(self) -> int:
        """Requests completed in this run (succeeded or failed)."""
        return self.succeeded + self.failed

    @property
    def ok(self) -> bool:
        """True when nothing failed and no line was malformed."""
        return self.failed == 0 and self.malformed == 0

    def __str__(self) -> str:
        return (
            f"done {self.done} (succeeded {self.succeeded}, failed {self.failed}), "
            f"skipped {self.skipped}, malformed {self.malformed}, elapsed {self.elapsed:.1f} s"
        )


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


def _prepare(source: Path, target: Path, api: str, model: str | None) -> _Prepared:
    """Check the paths, parse the input and recover the output (blocking file I/O)."""
    if not source.is_file():
        raise SequrityValidationError(f"input file not found: {source}")
    if target.exists() and not target.is_file():
        raise SequrityValidationError(f"output path is not a file: {target}")
    items, problems = _read_input(source, api, model)
    done_ids, repaired = recover_output(target)
    todo = [item for item in items if item.custom_id not in done_ids]
    return _Prepared(
        target=target,
        todo=todo,
        problems=problems,
        skipped=len(items) - len(todo),
        repaired=repaired,
    )


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


def _dispatcher(client: AsyncSequrityClient) -> Callable[[BatchItem], Awaitable[Any]]:
    callers: dict[str, tuple[Callable[..., Awaitable[Any]], frozenset[str]]] = {}

    def caller(api: str) -> tuple[Callable[..., Awaitable[Any]], frozenset[str]]:
        if api not in callers:
            resource = getattr(client.control, api, None)
            create = getattr(resource, "create", None)
            if create is None:
                raise SequrityValidationError(f"this client has no {api} API")
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
) -> BatchSummary:
    """
    Send every request of the JSONL file `input_path` and append one result line per request to
    `output_path`, flushed as each completes.

    Re-running with the same files skips every ``custom_id`` already in the output (after cutting
    off a truncated last line left by a crash), so an interrupted run loses nothing and repeats
    nothing but the requests that were in flight. Malformed lines (bad JSON, a missing or duplicate
    ``custom_id``, an invalid request) are reported in the summary with their line number and
    skipped; they are not written to the output.

    Args:
        client: The client to send through.
        input_path: The requests, one JSON object per line.
        output_path: The results file (created when missing, appended to otherwise).
        concurrency: Most requests in flight at once.
        api: The API of lines without a ``url``: ``chat``, ``messages`` or ``responses``.
        model: The model of lines that name none.
        requests_per_minute: Ceiling of attempts per sliding minute (see ``create_many``).
        tokens_per_minute: Ceiling of tokens per sliding minute (see ``create_many``).
        progress: A callback taking a `Progress`, or True for a bar on stderr (with rate, ETA
            and error count).

    Returns:
        A `BatchSummary`.

    Raises:
        SequrityValidationError: a bad argument or an unreadable input file (nothing sent).
    """
    if api not in APIS:
        raise SequrityValidationError(f"api must be one of {', '.join(APIS)}, got {api!r}")
    started = time.monotonic()
    plan = await anyio.to_thread.run_sync(_prepare, Path(input_path), Path(output_path), api, model)
    todo, problems = plan.todo, plan.problems
    bar = ProgressBar(label="batch") if progress is True else None
    callback: ProgressCallback | None = bar
    if bar is None and progress is not None and progress is not False:
        if not callable(progress):
            raise SequrityValidationError(
                f"progress must be a callable, True or None, got {progress!r}"
            )
        callback = progress
    outcomes = start_many(
        _dispatcher(client),
        todo,
        concurrency=concurrency,
        requests_per_minute=requests_per_minute,
        tokens_per_minute=tokens_per_minute,
        progress=callback,
        custom_id=lambda item: item.custom_id,
    )
    succeeded = failed = 0
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
            elif error is None:
                out.write(response_line(item.custom_id, outcome.value))
                succeeded += 1
            else:
                out.write(error_line(item.custom_id, error))
                failed += 1
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
    )


def run_batch_sync(
    client: SequrityClient,
    input_path: StrPath,
    output_path: StrPath,
    *,
    concurrency: int = 32,
    api: str = "chat",
    model: str | None = None,
    requests_per_minute: int | None = None,
    tokens_per_minute: int | None = None,
    progress: Callable[[Progress], object] | bool | None = None,
) -> BatchSummary:
    """
    `run_batch` for a blocking `SequrityClient` (same arguments; the progress callback runs on
    the client's event-loop thread). Ctrl-C cancels the run; results written so far are kept.
    """
    return client._runner.run(
        run_batch(
            client._async,
            input_path,
            output_path,
            concurrency=concurrency,
            api=api,
            model=model,
            requests_per_minute=requests_per_minute,
            tokens_per_minute=tokens_per_minute,
            progress=progress,
        )
    )
