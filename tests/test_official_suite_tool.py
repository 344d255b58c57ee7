"""Tests for tools/official_suite.py (the `nox -s official-suite` runner) and its script file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sequrity.testing import ScriptFile

TOOLS = Path(__file__).resolve().parent.parent / "tools"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOLS / "official_suite.py"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_committed_script_file_is_valid() -> None:
    """The emulator script the official suite runs with loads without a problem."""
    script = ScriptFile.load(TOOLS / "official_suite" / "script.json")

    assert (script.answers >= 20, script.faults) == (True, 0)


def test_without_a_checkout_the_runner_says_how_to_get_one() -> None:
    """No CHECKOUT: exit status 2 and the git command that gets one, nothing fetched."""
    done = _run()

    assert done.returncode == 2
    assert "git clone https://github.com/sequrity-ai/sequrity-api" in done.stderr


def test_a_directory_that_is_not_a_checkout_is_refused(tmp_path: Path) -> None:
    """A directory without the official layout is refused, naming what is missing."""
    done = _run(str(tmp_path))

    assert done.returncode == 2
    assert (
        f"{tmp_path} has no test: it is not a checkout of sequrity-ai/sequrity-api" in done.stderr
    )
