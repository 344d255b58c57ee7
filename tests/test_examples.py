"""Every script under examples/ runs unchanged against the emulator (as a user would run it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import standalone_emulator

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.stem)
def test_example_runs_against_the_emulator(script, sequrity_emulator):
    """The example exits 0 and prints an answer, talking only to the emulator."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEQURITY_")}
    env.update(SEQURITY_BASE_URL=sequrity_emulator.base_url, SEQURITY_API_KEY="sq-example")

    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    assert sequrity_emulator.requests, "the example sent nothing to the emulator"


def test_run_tools_example_makes_real_tool_calls_against_the_scripted_emulator():
    """The README's run_tools example, against `sequrity emulator --script`, runs the tool."""
    examples = EXAMPLES[0].parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEQURITY_")}

    with standalone_emulator("--script", str(examples / "run_tools_script.json")) as emu:
        env.update(SEQURITY_BASE_URL=emu.url, SEQURITY_API_KEY="sq-demo")
        done = subprocess.run(
            [sys.executable, str(examples / "run_tools.py")],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            check=False,
        )

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "get_weather called with city='Paris'",
        "tool calls: [('get_weather', {'city': 'Paris'})]",
        'result: success {"city": "Paris", "forecast": "sunny", "celsius": 21}',
    ]
