"""Running a script in a fresh interpreter, for tests of what a new process loads and does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def fresh(script: str, *args: str, warnings_as_errors: bool = True) -> tuple[Any, str]:
    """
    Run `script` in a fresh interpreter at the repository's root, without ``SEQURITY_``
    variables (and with warnings as errors, unless told otherwise); return its last line of
    output read as JSON, and its standard error. A failing script fails the test.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEQURITY_")}
    flags = ["-W", "error"] if warnings_as_errors else []
    done = subprocess.run(
        [sys.executable, *flags, "-c", script, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr
