"""
Progress of a fan-out: the `Progress` snapshot given to callbacks, `ProgressCounter` (counts in,
snapshots out, fed by the fan-out or from elsewhere) and `ProgressBar`, the callback that shows it:
a tqdm bar on a terminal or in a notebook, plain lines anywhere else.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
import sys
import time
from collections.abc import Callable
from typing import Any, Literal, TextIO

import attrs

__all__ = [
    "DisplayMode",
    "Progress",
    "ProgressBar",
    "ProgressCallback",
    "ProgressCounter",
    "display_mode",
    "format_duration",
]


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


@attrs.define(eq=False, kw_only=True)
class ProgressCounter:
    """
    Counts finished requests and reports a `Progress` to `callback` after every change.

    The fan-out feeds it one outcome at a time (`record`); code that learns about finished
    requests another way (results gathered from worker processes or machines) feeds it counts
    with `add`. `close` closes `display` (a `ProgressBar`) when there is one.

    Args:
        total: Requests in the run.
        callback: Receives each `Progress` (a user's callable or a `ProgressBar`); `None` counts
            silently.
        clock: Monotonic seconds, for `elapsed`, `rate` and `eta`.
        display: Closed by `close`.
    """

    total: int
    callback: ProgressCallback | None = None
    clock: Callable[[], float] = time.monotonic
    display: ProgressBar | None = None
    started: float = 0.0
    succeeded: int = 0
    failed: int = 0

    def start(self) -> None:
        """Start the clock of the run (`elapsed` counts from here)."""
        self.started = self.clock()

    def record(self, ok: bool) -> None:
        """Count one finished request: succeeded when `ok`, else failed."""
        if ok:
            self.add(succeeded=1)
        else:
            self.add(failed=1)

    def add(self, *, succeeded: int = 0, failed: int = 0) -> None:
        """Count requests finished elsewhere and report the new state."""
        self.succeeded += succeeded
        self.failed += failed
        if self.callback is not None:
            self.callback(self.snapshot())

    def snapshot(self) -> Progress:
        """The current state as a `Progress`."""
        done = self.succeeded + self.failed
        elapsed = max(self.clock() - self.started, 0.0)
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - done) / rate if rate > 0 else None
        return Progress(
            done=done,
            total=self.total,
            succeeded=self.succeeded,
            failed=self.failed,
            elapsed=elapsed,
            rate=rate,
            eta=eta,
        )

    def close(self) -> None:
        """Close the display, if any."""
        if self.display is not None:
            self.display.close()


#: How a `ProgressBar` shows progress: a bar redrawn in place (``terminal``), tqdm's notebook
#: widget or text bar (``notebook``), or occasional plain lines (``lines``).
DisplayMode = Literal["terminal", "notebook", "lines"]


def _in_notebook() -> bool:
    # Only a Jupyter kernel (or a kernel derived from it, such as Colab's) renders widgets and
    # carriage returns; a terminal IPython is a terminal like any other.
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    shell = get_ipython() if callable(get_ipython) else None
    return shell is not None and any(
        cls.__name__ == "ZMQInteractiveShell" for cls in type(shell).__mro__
    )


def display_mode(stream: TextIO) -> DisplayMode:
    """
    Decide how to show progress on `stream`: ``notebook`` inside a Jupyter kernel, ``terminal``
    when the stream is a terminal, ``lines`` otherwise (files, pipes, CI logs).
    """
    if _in_notebook():
        return "notebook"
    isatty = getattr(stream, "isatty", None)
    return "terminal" if callable(isatty) and isatty() else "lines"


def _bar_class(mode: DisplayMode) -> type[Any]:
    """The tqdm class for `mode`, imported here: `import sequrity` never imports tqdm."""
    # Through importlib: tqdm ships no type information, and only `update`, `set_postfix_str`,
    # `n` and `close` are used.
    name = "tqdm"
    if mode == "notebook" and importlib.util.find_spec("ipywidgets") is not None:
        name = "tqdm.notebook"  # the widget; without ipywidgets, the text bar
    base: type[Any] = importlib.import_module(name).tqdm

    class Bar(base):  # type: ignore[misc]
        # No tqdm monitor thread: the bar is updated on every completion anyway.
        monitor_interval = 0

    return Bar


class ProgressBar:
    """
    A progress callback that shows a fan-out's progress where it runs.

    - On a terminal: a tqdm bar redrawn in place, as wide as the terminal, with the count,
      percentage, rate, time left and errors, refreshed at most every `interval` seconds
      (default 0.1).
    - In a Jupyter notebook: tqdm's widget when ``ipywidgets`` is installed, otherwise the text
      bar (notebooks render it in place).
    - Anywhere else (a file, a pipe, CI logs): no control characters; one plain line such as
      ``batch 45/200 (22%) done, errors 2, 12.3/s, ETA 0:12`` at the first completion, then at
      most every `interval` seconds (default 10), and the final state on `close`.

    tqdm is imported on the first update. Call `close` when the run ends.

    Args:
        stream: Where to write; defaults to ``sys.stderr``.
        label: Shown before the bar.
        interval: Least seconds between two updates.
        clock: Monotonic seconds for the plain-line mode (injectable for tests).
        mode: How to show progress; decided by `display_mode` when not given.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        label: str = "",
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        mode: DisplayMode | None = None,
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self.mode: DisplayMode = mode if mode is not None else display_mode(self._stream)
        lines = self.mode == "lines"
        self._interval = interval if interval is not None else (10.0 if lines else 0.1)
        self._label = label
        self._clock = clock
        self._last_write = float("-inf")
        self._pending: Progress | None = None
        self._bar: Any = None

    def render(self, progress: Progress) -> str:
        """The text of one plain line (pure)."""
        p = progress
        prefix = f"{self._label} " if self._label else ""
        return (
            f"{prefix}{p.done}/{p.total} ({int(p.fraction * 100)}%) done, errors {p.failed}, "
            f"{p.rate:.1f}/s, ETA {format_duration(p.eta)}"
        )

    def __call__(self, progress: Progress) -> None:
        """Show `progress` (a plain line only when the interval has passed)."""
        if self.mode != "lines":
            self._update_bar(progress)
            return
        now = self._clock()
        self._pending = progress
        if progress.done < progress.total and now - self._last_write < self._interval:
            return
        self._write_line(progress)
        self._last_write = now

    def _update_bar(self, progress: Progress) -> None:
        bar = self._bar
        if bar is None:
            bar = self._bar = _bar_class(self.mode)(
                total=progress.total,
                desc=self._label or None,
                file=self._stream,
                unit="req",
                mininterval=self._interval,
                dynamic_ncols=True,
            )
        bar.set_postfix_str(f"errors {progress.failed}", refresh=False)
        bar.update(progress.done - bar.n)

    def _write_line(self, progress: Progress) -> None:
        self._pending = None
        self._stream.write(self.render(progress) + "\n")
        self._stream.flush()

    def close(self) -> None:
        """Show the last state if it was not shown yet, and end the bar."""
        if self._pending is not None:
            self._write_line(self._pending)
        if self._bar is not None:
            self._bar.close()
            self._bar = None
