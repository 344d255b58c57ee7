"""
Progress of a fan-out: the `Progress` snapshot given to callbacks, and `ProgressBar`, a callback
drawing a bar on a terminal (or printing occasional lines when the stream is not one).
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from typing import TextIO

import attrs

__all__ = ["Progress", "ProgressBar", "ProgressCallback", "format_duration"]


@attrs.frozen(kw_only=True)
class Progress:
    """
    A snapshot of a fan-out, passed to the ``progress`` callback after every completed request.

    Attributes:
        done: Requests completed (succeeded or failed).
        total: Requests in the run.
        succeeded: Requests that returned a result.
        failed: Requests that ended with an error.
        elapsed: Seconds since the run started.
        rate: Completed requests per second so far.
        eta: Estimated seconds until the run completes, or `None` before the first completion.
    """

    done: int
    total: int
    succeeded: int
    failed: int
    elapsed: float
    rate: float
    eta: float | None

    @property
    def fraction(self) -> float:
        """The share of the run completed, from 0 to 1 (1 for an empty run)."""
        return self.done / self.total if self.total else 1.0


#: The ``progress=`` callback of the fan-out methods.
ProgressCallback = Callable[[Progress], object]


def format_duration(seconds: float | None) -> str:
    """Format seconds as ``M:SS`` or ``H:MM:SS`` (``--:--`` when unknown)."""
    if seconds is None or not math.isfinite(seconds):
        return "--:--"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressBar:
    """
    A progress callback that draws ``[#####.....] 45/200 22% 12.3/s ETA 0:12 errors 2``.

    On a terminal the bar is redrawn in place at most every `interval` seconds (default 0.1);
    otherwise one line is printed at most every `interval` seconds (default 10) and at the end.
    Call `close` when the run ends to finish the line.

    Args:
        stream: Where to write; defaults to ``sys.stderr``.
        label: Printed before the bar.
        interval: Least seconds between two updates.
        width: Characters of the bar itself.
        clock: Monotonic seconds (injectable for tests).
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        label: str = "",
        interval: float | None = None,
        width: int = 30,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        isatty = getattr(self._stream, "isatty", None)
        self._tty = bool(isatty()) if callable(isatty) else False
        self._interval = interval if interval is not None else (0.1 if self._tty else 10.0)
        self._label = label
        self._width = width
        self._clock = clock
        self._last_write = float("-inf")
        self._pending: Progress | None = None
        self._drawn = False

    def render(self, progress: Progress) -> str:
        """The text of one update (pure)."""
        p = progress
        percent = int(p.fraction * 100)
        rate = f"{p.rate:.1f}/s"
        eta = "ETA " + format_duration(p.eta)
        counts = f"{p.done}/{p.total}"
        errors = f"errors {p.failed}"
        prefix = f"{self._label} " if self._label else ""
        if not self._tty:
            return f"{prefix}{counts} ({percent}%) done, {errors}, {rate}, {eta}"
        filled = int(p.fraction * self._width)
        bar = "#" * filled + "." * (self._width - filled)
        return f"{prefix}[{bar}] {counts} {percent:3d}% {rate} {eta} {errors}"

    def __call__(self, progress: Progress) -> None:
        """Record `progress` and redraw when the interval has passed or the run is complete."""
        now = self._clock()
        self._pending = progress
        if progress.done < progress.total and now - self._last_write < self._interval:
            return
        self._write(progress)
        self._last_write = now

    def _write(self, progress: Progress) -> None:
        self._pending = None
        text = self.render(progress)
        if self._tty:
            self._stream.write("\r\x1b[2K" + text)
            self._drawn = True
        else:
            self._stream.write(text + "\n")
        self._stream.flush()

    def close(self) -> None:
        """Write the last state if it was not shown yet, and end the bar's line."""
        if self._pending is not None:
            self._write(self._pending)
        if self._tty and self._drawn:
            self._stream.write("\n")
            self._stream.flush()
            self._drawn = False
