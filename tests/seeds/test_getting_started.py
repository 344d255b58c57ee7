"""The getting-started guide (a seed product document, vendored verbatim): its Python examples run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parent / "getting-started.md"
#: A fenced Python block, possibly indented (the guide puts them in tabs).
_BLOCK = re.compile(r"^(?P<indent>[ \t]*)```python\n(?P<code>.*?)^(?P=indent)```", re.M | re.S)


def python_examples() -> list[str]:
    """The guide's runnable Python examples (the blocks that import the SDK), dedented only."""
    blocks = [textwrap.dedent(m.group("code")) for m in _BLOCK.finditer(GUIDE.read_text("utf-8"))]
    return [code for code in blocks if "import SequrityClient" in code]


def _shared_copy() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "seeds" / GUIDE.name
        if candidate.is_file():
            return candidate
    return None


def test_vendored_guide_matches_the_shared_seed() -> None:
    """The copy here is the seed document byte for byte (checked where the seeds are present)."""
    shared = _shared_copy()
    if shared is None:
        pytest.skip("the shared seed documents are not next to this checkout")

    assert GUIDE.read_bytes() == shared.read_bytes()


def test_the_guide_has_its_two_client_examples() -> None:
    """Both examples (single- and dual-LLM) are found, each using the `sequrity_api` import name."""
    examples = python_examples()

    assert len(examples) == 2
    assert all("from sequrity_api import SequrityClient" in code for code in examples)


@pytest.mark.parametrize("index", [0, 1], ids=["single-llm", "dual-llm"])
def test_guide_example_runs_as_written(index: int, sequrity_emulator: object) -> None:
    """The example runs unchanged in a fresh interpreter against the emulator and prints the answer."""
    code = python_examples()[index]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEQURITY_")}
    env["SEQURITY_BASE_URL"] = sequrity_emulator.base_url  # type: ignore[attr-defined]

    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "97" in done.stdout
