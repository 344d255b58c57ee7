"""
What a batch run did (`BatchSummary`), the tally of its error kinds, and the rule that stops a
run early when its requests cannot succeed (`EarlyStop`).
"""

from __future__ import annotations

from collections import Counter

import attrs

from ._batch_io import MalformedLine
from ._batch_output import DamagedLine
from ._exceptions import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    SequrityError,
    UnprocessableEntityError,
)

__all__ = ["BatchSummary", "EarlyStop", "ErrorKind", "ErrorTally", "error_kind"]

#: Errors a request gets again however often it is retried, when they come from the run's
#: configuration (model, key, base URL) rather than from one line.
_DOOMED = (BadRequestError, PermissionDeniedError, NotFoundError, UnprocessableEntityError)


def error_kind(error: SequrityError) -> str:
    """The kind of an error for summaries: ``BadRequestError (HTTP 400)``."""
    status = getattr(error, "status_code", None)
    name = type(error).__name__
    return f"{name} (HTTP {status})" if isinstance(status, int) else name


def _message(error: SequrityError) -> str:
    text = getattr(error, "message", None) or str(error)
    return " ".join(str(text).split())[:200]


@attrs.frozen(kw_only=True)
class ErrorKind:
    """
    How many requests failed with one kind of error.

    Attributes:
        kind: The error class and HTTP status, e.g. ``BadRequestError (HTTP 400)``.
        count: How many requests of this run failed with it.
        example: The message of the first of them.
    """

    kind: str
    count: int
    example: str

    def __str__(self) -> str:
        return f"{self.count} {self.kind}: {self.example}"


class ErrorTally:
    """Counts the failures of a run by kind, keeping the first message of each kind."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._examples: dict[str, str] = {}

    def add(self, error: SequrityError) -> None:
        """Count one failed request."""
        kind = error_kind(error)
        self._counts[kind] += 1
        self._examples.setdefault(kind, _message(error))

    def most_common(self) -> tuple[ErrorKind, ...]:
        """Every kind seen, most frequent first (first seen first among equals)."""
        return tuple(
            ErrorKind(kind=kind, count=count, example=self._examples[kind])
            for kind, count in self._counts.most_common()
        )


class EarlyStop:
    """
    Decides when a run should stop because its requests cannot succeed.

    A 401 stops at once (the key is refused for every line). When the first `streak` answers of
    a run are all 400, 403, 404 or 422 errors (a bad model, a forbidden provider, a wrong base
    URL) it stops too. Any success, or any other error, ends the opening streak.
    """

    def __init__(self, streak: int | None = 10) -> None:
        self._streak = streak
        self._count = 0
        self._open = streak is not None

    @property
    def undecided(self) -> bool:
        """True while the opening streak of doomed errors may still grow."""
        return self._open

    def observe(self, error: SequrityError | None) -> str | None:
        """
        Take one answer into account.

        Returns:
            Why the run should stop now, or `None` to go on.
        """
        if isinstance(error, AuthenticationError):
            return f"the API key was refused ({error_kind(error)}: {_message(error)})"
        if not self._open:
            return None
        if error is None or not isinstance(error, _DOOMED):
            self._open = False
            return None
        self._count += 1
        if self._streak is not None and self._count >= self._streak:
            return (
                f"the first {self._count} requests all failed with {error_kind(error)}: "
                f"{_message(error)}"
            )
        return None


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
        retried: Failed requests of earlier runs sent again (``retry_failed``).
        damaged: Lines of the output file that are not result lines (kept as they are).
        error_kinds: This run's failures by kind, most common first.
        stopped: Why the run stopped early, or `None` when it ran to the end. Requests whose
            answers made it stop, and those not sent, have no line: the next run sends them.
    """

    succeeded: int
    failed: int
    skipped: int
    malformed: int
    elapsed: float
    problems: tuple[MalformedLine, ...] = ()
    repaired_bytes: int = 0
    retried: int = 0
    damaged: tuple[DamagedLine, ...] = ()
    error_kinds: tuple[ErrorKind, ...] = ()
    stopped: str | None = None

    @property
    def done(self) -> int:
        """Requests completed in this run (succeeded or failed)."""
        return self.succeeded + self.failed

    @property
    def ok(self) -> bool:
        """True when nothing failed, no line was malformed and the run was not stopped."""
        return self.failed == 0 and self.malformed == 0 and self.stopped is None

    def __str__(self) -> str:
        text = (
            f"done {self.done} (succeeded {self.succeeded}, failed {self.failed}), "
            f"skipped {self.skipped}, malformed {self.malformed}, elapsed {self.elapsed:.1f} s"
        )
        if self.error_kinds:
            text += "; most common errors: " + "; ".join(str(k) for k in self.error_kinds[:3])
        return text
