"""
The results file of a batch run (pure file helpers): recovering it after an interrupted run,
reporting damaged lines, and dropping error lines so that ``--retry-failed`` can send them again.

Exactly-once output: every input line ends with exactly one result line. Lines are appended,
each in one flushed write, so a killed run leaves at most one partial last line, which the next
run cuts off. ``--retry-failed`` first rewrites the file without the error lines of the requests
to retry (into a temporary file beside it, then an atomic rename), so a run killed at any point
leaves either the old file or the new one, never both lines for one request.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection
from pathlib import Path
from typing import Any

import attrs

__all__ = ["DamagedLine", "Recovered", "drop_error_lines", "read_results", "recover_output"]


@attrs.frozen(kw_only=True)
class DamagedLine:
    """
    A line of the results file that is not a result line; it is kept as it is.

    Attributes:
        line: Its 1-based line number.
        reason: What is wrong with it.
    """

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line} is not a result line ({self.reason})"


@attrs.frozen(kw_only=True)
class Recovered:
    """
    What an earlier run left in the results file.

    Attributes:
        done: The custom ids that have a result line (a response or an error).
        failed: Those whose line is an error line.
        cut: Bytes of a partial last line that were removed.
        damaged: Lines in the middle that are not result lines (kept, not counted).
    """

    done: set[str] = attrs.field(factory=set)
    failed: set[str] = attrs.field(factory=set)
    cut: int = 0
    damaged: tuple[DamagedLine, ...] = ()


def _classify(raw: bytes) -> tuple[str | None, bool, str]:
    """Return (custom_id, is_error, problem) for one line; a problem means it is damaged."""
    try:
        record: Any = json.loads(raw)
    except ValueError:
        return None, False, "not valid JSON"
    if not isinstance(record, dict):
        return None, False, "not a JSON object"
    custom_id = record.get("custom_id")
    if not isinstance(custom_id, str):
        return None, False, "no custom_id"
    if ("response" in record) == ("error" in record):
        return None, False, 'needs exactly one of "response" and "error"'
    return custom_id, "error" in record, ""


def read_results(path: Path) -> Recovered:
    """
    Read the results file without changing it (a missing file has no results).

    Returns:
        The ids done and failed, and the damaged lines (a partial last line included).
    """
    if not path.exists():
        return Recovered()
    recovered = Recovered()
    for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
        if not raw.strip():
            continue
        custom_id, is_error, problem = _classify(raw)
        if custom_id is None:
            recovered = attrs.evolve(
                recovered, damaged=(*recovered.damaged, DamagedLine(line=number, reason=problem))
            )
            continue
        recovered.done.add(custom_id)
        if is_error:
            recovered.failed.add(custom_id)
        else:
            recovered.failed.discard(custom_id)
    return recovered


def recover_output(path: Path) -> Recovered:
    """
    Prepare the results file for appending: cut off a partial or damaged last line left by a
    crash, and report damaged lines elsewhere (which are kept as they are).

    Returns:
        The ids already done (and failed), the bytes cut and the damaged lines kept.
    """
    if not path.exists():
        return Recovered()
    data = path.read_bytes()
    keep = len(data)
    if data and not data.endswith(b"\n"):
        keep = data.rfind(b"\n") + 1
    lines = data[:keep].splitlines(keepends=True)
    if lines and _classify(lines[-1])[2] == "not valid JSON" and lines[-1].strip():
        keep -= len(lines[-1])  # a torn last write: drop it and send its request again
    cut = len(data) - keep
    if cut:
        with path.open("r+b") as file:
            file.truncate(keep)
    return attrs.evolve(read_results(path), cut=cut)


def drop_error_lines(path: Path, custom_ids: Collection[str]) -> int:
    """
    Rewrite the results file without the error lines of `custom_ids`, atomically (a temporary
    file beside it is renamed over it). Every other line, damaged ones included, is kept.

    Returns:
        How many error lines were dropped.
    """
    if not path.exists():
        return 0
    kept: list[bytes] = []
    dropped = 0
    for raw in path.read_bytes().splitlines(keepends=True):
        custom_id, is_error, _ = _classify(raw)
        if is_error and custom_id in custom_ids:
            dropped += 1
            continue
        kept.append(raw)
    if not dropped:
        return 0
    temporary = path.with_name(path.name + ".retry-tmp")
    with temporary.open("wb") as file:
        file.writelines(kept)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
    return dropped
