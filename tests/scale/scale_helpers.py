"""Helpers of the scale tests: input files of chat requests, and reading the results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: The API key the scale tests send (the emulator accepts any).
KEY = "sq-scale-test"


def write_input(path: Path, count: int) -> list[str]:
    """Write `count` chat requests r0..r<count-1>; return their custom ids."""
    ids = [f"r{i}" for i in range(count)]
    path.write_text(
        "".join(
            json.dumps(
                {"custom_id": cid, "model": "m", "messages": [{"role": "user", "content": cid}]}
            )
            + "\n"
            for cid in ids
        )
    )
    return ids


def records(path: Path) -> list[dict[str, Any]]:
    """The results file's lines, decoded."""
    return [json.loads(raw) for raw in path.read_text().splitlines()]
