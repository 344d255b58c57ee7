"""Shared fixtures of the integration tests."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable

import pytest

RunPython = Callable[[str], dict[str, object]]


def _run_python(code: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture
def run_python() -> RunPython:
    """Run code in a fresh interpreter (no state of other tests); it prints one JSON object,
    which is returned."""
    return _run_python
