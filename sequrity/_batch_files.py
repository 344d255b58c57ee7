"""
The files of a batch run, shared by both engines (one machine, and Ray): checking the paths,
reading the input, recovering the results file left by an earlier run, and appending to it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import attrs

from ._batch_io import BatchItem, MalformedLine, parse_line
from ._batch_output import DamagedLine, drop_error_lines, read_results, recover_output
from ._exceptions import SequrityValidationError

__all__ = ["Prepared", "ResultsFile", "StrPath", "count_results", "prepare", "read_input"]

StrPath = str | os.PathLike[str]


def read_input(
    path: Path, api: str, model: str | None
) -> tuple[list[BatchItem], list[MalformedLine]]:
    """The valid requests of the input file, and its malformed lines (duplicates included)."""
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
class Prepared:
    """
    A run ready to send: what is left to do, and what the files said.

    Attributes:
        target: The results file.
        todo: The requests without a result line, in input order.
        problems: The malformed input lines.
        skipped: Requests that already have a result line.
        repaired: Bytes of a partial last line that were cut off.
        retried: Error lines removed so that their requests are sent again.
        damaged: Lines of the results file that are not result lines (kept).
    """

    target: Path
    todo: list[BatchItem]
    problems: list[MalformedLine]
    skipped: int
    repaired: int
    retried: int
    damaged: tuple[DamagedLine, ...]

    def notify(self, notice: Callable[[str], object]) -> None:
        """Tell `notice` what was done to the results file before sending anything."""
        target = self.target
        if self.repaired:
            notice(f"removed a truncated last line ({self.repaired} bytes) from {target}")
        for damaged in self.damaged:
            notice(f"{target} {damaged}; kept as is and not counted as a result")
        if self.retried:
            notice(
                f"retrying {self.retried} failed requests (their error lines were removed from "
                f"{target})"
            )


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


def prepare(
    source: Path, target: Path, api: str, model: str | None, retry_failed: bool
) -> Prepared:
    """
    Check the paths, parse the input and recover the output (blocking file I/O).

    Raises:
        SequrityValidationError: a missing input, an output that is the input or not a file, or
            an output directory that does not exist.
    """
    _check_paths(source, target)
    items, problems = read_input(source, api, model)
    retried = 0
    if retry_failed:
        retried = drop_error_lines(target, {item.custom_id for item in items})
    recovered = recover_output(target)
    todo = [item for item in items if item.custom_id not in recovered.done]
    return Prepared(
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


class ResultsFile:
    """
    The results file, opened for appending. Each line goes out in one write and is flushed at
    once: a killed process leaves at most one partial last line, which the next run removes.
    """

    def __init__(self, path: Path) -> None:
        self._file = path.open("a", encoding="utf-8", newline="\n")

    def write(self, line: str) -> None:
        """Append one complete line and flush it."""
        self._file.write(line)
        self._file.flush()

    def write_lines(self, lines: list[str]) -> None:
        """Append complete lines and flush them together (a crash keeps whole lines and at
        most one partial last line, as with `write`)."""
        if lines:
            self._file.write("".join(lines))
            self._file.flush()

    def close(self) -> None:
        """Close the file."""
        self._file.close()
