"""Helpers for command-line tests: run the real ``sequrity`` entry point in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

#: The command that starts the real entry point (``sequrity`` is ``python -m sequrity``).
SEQURITY = (sys.executable, "-m", "sequrity")


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The test process's environment without any ``SEQURITY_*`` variable, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEQURITY_")}
    env.update(extra or {})
    return env


def run_sequrity(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    module: str = "sequrity",
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m <module> ARGS`` to completion and capture its output as text."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env(env),
        cwd=cwd,
        check=False,
    )
