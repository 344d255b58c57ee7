"""The framework examples under examples/integrations/ run, on their embedded emulator."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "integrations"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("script", "needs", "expected"),
    [
        (
            "openai_agents_sdk.py",
            "agents",
            [
                "answer: It is sunny and 24 degrees in Paris.",
                "streamed: Lovely weather for a walk along the Seine.",
                "denied: Tool call to 'send_email' is denied by argument checking policies",
                "same session, next turn: 4",
            ],
        ),
        (
            "langgraph_agent.py",
            "langgraph",
            [
                "tool: Tool call to 'send_email' is denied by argument checking policies.",
                "ai: I read the Q3 report but may not email it outside example.com.",
                "streamed: Q3 revenue was 12.4M.",
                "server denied: Tool call to 'send_email' is denied by argument checking policies",
            ],
        ),
    ],
)
def test_the_example_runs_and_prints_what_it_shows(
    script: str, needs: str, expected: list[str]
) -> None:
    """With no SEQURITY_API_KEY the example scripts an embedded emulator and prints each step."""
    pytest.importorskip(needs, reason=f"the example needs {needs!r} (its sequrity extra)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEQURITY_")}

    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )

    lines = done.stdout.splitlines()
    assert (done.returncode, done.stderr) == (0, "")
    assert [any(line.startswith(e) for line in lines) for e in expected] == [True] * len(expected)
