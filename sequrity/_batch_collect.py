"""
`Collector`: the one place where a batch run's answers become result lines, shared by both
engines. It applies the early-stop rule, holds back the error lines of an opening streak (they
are not written if the run stops), counts, and tallies the errors. Also the run's progress
callback and its summary.
"""

from __future__ import annotations

from collections.abc import Callable

from ._batch_files import Prepared
from ._batch_io import BatchItem, MalformedLine, error_line
from ._batch_summary import BatchSummary, EarlyStop, ErrorTally
from ._core._progress import ProgressBar, ProgressCallback
from ._exceptions import SequrityError, SequrityValidationError

__all__ = ["Collector", "progress_callback", "summarise"]


class Collector:
    """
    Takes the answers of a run one at a time and writes one line per request through `write`.

    A `SequrityValidationError` (the request was refused before it was sent) is a malformed
    line, not a result. With `stop_early`, the `EarlyStop` rule decides after each answer; error
    lines of an opening streak of doomed answers wait until the streak is broken, so a run that
    stops has written nothing for them.

    Args:
        write: Appends one line to the results (a `ResultsFile`'s ``write``, or a list's).
        stop_early: Apply the early-stop rule.
    """

    def __init__(self, write: Callable[[str], object], *, stop_early: bool) -> None:
        self._write = write
        self._stop_early = stop_early
        self._breaker = EarlyStop(streak=10 if stop_early else None)
        self._pending: list[tuple[str, SequrityError]] = []
        self.succeeded = 0
        self.failed = 0
        self.tally = ErrorTally()
        self.problems: list[MalformedLine] = []
        #: Why the run stopped early, once it did.
        self.stopped: str | None = None

    @property
    def undecided(self) -> bool:
        """True while an opening streak of doomed answers may still stop the run."""
        return self._stop_early and self._breaker.undecided

    def feed(self, item: BatchItem, answer: str | SequrityError) -> bool:
        """
        Take the answer to `item`: its result line when it succeeded, else its error.

        Returns:
            True when the run must stop now (`stopped` says why); nothing more is written.
        """
        if isinstance(answer, SequrityValidationError):
            # Refused before sending: the line is at fault, not the service.
            self.problems.append(
                MalformedLine(line=item.line, reason=str(answer), custom_id=item.custom_id)
            )
            return False
        error = None if isinstance(answer, str) else answer
        if self._stop_early:
            self.stopped = self._breaker.observe(error)
            if self.stopped is not None:
                return True
        if isinstance(answer, str):
            self._release()
            self._write(answer)
            self.succeeded += 1
        elif self.undecided:
            self._pending.append((item.custom_id, answer))
        else:
            self._release()
            self._write(error_line(item.custom_id, answer))
            self.tally.add(answer)
            self.failed += 1
        return False

    def finish(self) -> None:
        """The run ended without stopping: write the error lines still held back."""
        if self.stopped is None:
            self._release()

    def _release(self) -> None:
        for custom_id, held in self._pending:
            self._write(error_line(custom_id, held))
            self.tally.add(held)
        self.failed += len(self._pending)
        self._pending.clear()


def progress_callback(
    progress: ProgressCallback | bool | None,
) -> tuple[ProgressCallback | None, ProgressBar | None]:
    """
    The callback for a run's ``progress`` argument, and the bar to close when it is one.

    Raises:
        SequrityValidationError: `progress` is neither a callable, True nor None.
    """
    if progress is True:
        bar = ProgressBar(label="batch")
        return bar, bar
    if progress is None or progress is False:
        return None, None
    if not callable(progress):
        raise SequrityValidationError(
            f"progress must be a callable, True or None, got {progress!r}"
        )
    return progress, None


def summarise(plan: Prepared, collector: Collector, elapsed: float) -> BatchSummary:
    """The `BatchSummary` of a run: what the files said and what the collector counted."""
    problems = sorted([*plan.problems, *collector.problems], key=lambda p: p.line)
    return BatchSummary(
        succeeded=collector.succeeded,
        failed=collector.failed,
        skipped=plan.skipped,
        malformed=len(problems),
        elapsed=elapsed,
        problems=tuple(problems),
        repaired_bytes=plan.repaired,
        retried=plan.retried,
        damaged=plan.damaged,
        error_kinds=collector.tally.most_common(),
        stopped=collector.stopped,
    )
