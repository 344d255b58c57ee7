"""Tests for fan-out progress (`sequrity._core._progress`): counts, and the bar in each place it runs."""

from __future__ import annotations

import io
import subprocess
import sys
import types

import pytest

from sequrity import Progress
from sequrity._core._progress import (
    ProgressBar,
    ProgressCounter,
    _bar_class,
    display_mode,
    format_duration,
)


class FakeClock:
    """Virtual time that moves only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Tty(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def progress(done: int, total: int = 4, failed: int = 0) -> Progress:
    """A snapshot with fixed rate and ETA."""
    return Progress(
        done=done, total=total, succeeded=done - failed, failed=failed, elapsed=1, rate=2, eta=1
    )


@pytest.fixture
def jupyter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend the code runs in a Jupyter kernel (IPython's `get_ipython` gives a ZMQ shell)."""

    class ZMQInteractiveShell:
        pass

    class ColabShell(ZMQInteractiveShell):
        pass

    fake = types.ModuleType("IPython")
    fake.get_ipython = ColabShell  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", fake)


# -- counting ------------------------------------------------------------------------------------


def test_counter_reports_each_change_with_rate_and_eta() -> None:
    """Counts fed one by one or in bulk give snapshots with the right totals, rate and ETA."""
    clock = FakeClock()
    seen: list[Progress] = []
    counter = ProgressCounter(total=10, callback=seen.append, clock=clock)
    counter.start()

    clock.now += 2
    counter.record(True)
    counter.record(False)
    clock.now += 2
    counter.add(succeeded=4, failed=1)

    assert [(p.done, p.succeeded, p.failed) for p in seen] == [(1, 1, 0), (2, 1, 1), (7, 5, 2)]
    assert (seen[-1].elapsed, seen[-1].rate, seen[-1].eta) == (4.0, 1.75, 3 / 1.75)


def test_counter_without_elapsed_time_has_no_eta() -> None:
    """Before any time has passed the rate is 0 and the ETA unknown."""
    counter = ProgressCounter(total=3, clock=FakeClock())
    counter.start()
    counter.add(succeeded=1)

    assert (counter.snapshot().rate, counter.snapshot().eta) == (0.0, None)


def test_counter_closes_its_display() -> None:
    """Closing the counter ends the bar it feeds, which then shows the final state."""
    out = io.StringIO()
    bar = ProgressBar(out, mode="lines", clock=FakeClock())
    counter = ProgressCounter(total=2, callback=bar, clock=FakeClock(), display=bar)
    counter.start()
    counter.add(succeeded=1)
    counter.add(failed=1)
    counter.close()

    assert out.getvalue().splitlines()[-1].startswith("2/2 (100%) done, errors 1")


# -- where the bar runs --------------------------------------------------------------------------


def test_display_mode_follows_the_stream_and_the_kernel(jupyter: None) -> None:
    """Inside a Jupyter kernel the notebook display is chosen, whatever the stream."""
    assert display_mode(io.StringIO()) == "notebook"
    assert display_mode(Tty()) == "notebook"


def test_display_mode_outside_a_notebook() -> None:
    """A terminal gets the bar; a file, a pipe or a log gets plain lines."""
    assert display_mode(Tty()) == "terminal"
    assert display_mode(io.StringIO()) == "lines"
    assert display_mode(object()) == "lines"  # type: ignore[arg-type]


def test_lines_when_not_a_terminal_are_plain_and_occasional() -> None:
    """Off a terminal: a line per interval and the final state, with no control characters."""
    clock = FakeClock()
    out = io.StringIO()
    bar = ProgressBar(out, interval=10, clock=clock)

    bar(progress(1))
    clock.now += 1
    bar(progress(2))
    bar(progress(3, failed=1))
    bar(progress(4, failed=1))
    bar.close()

    assert out.getvalue().splitlines() == [
        "1/4 (25%) done, errors 0, 2.0/s, ETA 0:01",
        "4/4 (100%) done, errors 1, 2.0/s, ETA 0:01",
    ]
    assert "\r" not in out.getvalue()
    assert "\x1b" not in out.getvalue()


def test_lines_show_the_last_state_on_close() -> None:
    """A run stopped early still ends with a line giving the state it stopped in."""
    clock = FakeClock()
    out = io.StringIO()
    bar = ProgressBar(out, label="batch", clock=clock)

    bar(progress(1, total=9))
    bar(progress(2, total=9, failed=1))
    bar.close()

    assert out.getvalue().splitlines() == [
        "batch 1/9 (11%) done, errors 0, 2.0/s, ETA 0:01",
        "batch 2/9 (22%) done, errors 1, 2.0/s, ETA 0:01",
    ]


def test_terminal_bar_redraws_one_line_in_place() -> None:
    """On a terminal the bar is redrawn with carriage returns and shows counts and errors."""
    out = Tty()
    bar = ProgressBar(out, label="batch")

    for done in range(1, 11):
        bar(progress(done, total=10, failed=done // 5))
    bar.close()

    text = out.getvalue()
    assert bar.mode == "terminal"
    assert "\r" in text
    assert text.endswith("\n")
    assert text.count("\n") == 1
    final = text.rsplit("\r", 1)[-1]
    assert final.startswith("batch: 100%")
    assert "10/10" in final
    assert "errors 2" in final


def test_notebook_without_widgets_draws_the_text_bar(jupyter: None) -> None:
    """In a notebook without ipywidgets the text bar goes to the stream (Jupyter redraws it)."""
    out = io.StringIO()
    bar = ProgressBar(out)

    bar(progress(2, total=2))
    bar.close()

    assert bar.mode == "notebook"
    assert "2/2" in out.getvalue().rsplit("\r", 1)[-1]


def test_notebook_uses_the_widget_when_ipywidgets_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With ipywidgets installed the notebook bar is tqdm's widget; elsewhere the plain tqdm."""
    import tqdm
    import tqdm.notebook

    real = sys.modules.get("ipywidgets")
    monkeypatch.setattr(
        "importlib.util.find_spec", lambda name: object() if name == "ipywidgets" else None
    )

    assert issubclass(_bar_class("notebook"), tqdm.notebook.tqdm)
    assert not issubclass(_bar_class("terminal"), tqdm.notebook.tqdm)
    assert issubclass(_bar_class("terminal"), tqdm.tqdm)
    assert sys.modules.get("ipywidgets") is real


def test_bar_starts_no_monitor_thread() -> None:
    """The bar adds no background thread (tqdm's monitor is off)."""
    assert _bar_class("terminal").monitor_interval == 0


def test_importing_sequrity_does_not_import_tqdm() -> None:
    """tqdm is loaded on the first progress update, never by `import sequrity`."""
    code = "import sys, sequrity; print('tqdm' in sys.modules)"

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )

    assert done.stdout.strip() == "False"


def test_format_duration() -> None:
    """Durations print as M:SS or H:MM:SS, unknown as --:--."""
    assert [format_duration(s) for s in (None, 5, 75, 3725)] == [
        "--:--",
        "0:05",
        "1:15",
        "1:02:05",
    ]
