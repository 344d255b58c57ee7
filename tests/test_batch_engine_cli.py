"""`sequrity batch --engine`: options that belong to the other engine, and a missing Ray extra,
are one error line before anything is sent (the Ray runs themselves are in tests/scale)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from sequrity.cli import main


def run(
    tmp_path: Path, emulator: Any, monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, Path]:
    """Run `sequrity batch in.jsonl --out out.jsonl ARGS` in this process; return the status."""
    source = tmp_path / "in.jsonl"
    line = {"custom_id": "a", "model": "m", "messages": [{"role": "user", "content": "hi"}]}
    source.write_text(json.dumps(line) + "\n")
    out = tmp_path / "out.jsonl"
    monkeypatch.setenv("SEQURITY_API_KEY", "sq-engine")
    argv = ["batch", str(source), "--out", str(out), "--quiet", "--base-url", emulator.base_url]
    return main([*argv, *args]), out


def test_without_ray_the_ray_engine_names_the_extra_to_install(
    tmp_path: Path, sequrity_emulator: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
):
    """No Ray: one error line saying `pip install 'sequrity[ray]'`, exit 2, nothing sent."""
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    monkeypatch.delitem(sys.modules, "sequrity.batch_ray", raising=False)

    status, out = run(tmp_path, sequrity_emulator, monkeypatch, "--engine", "ray")

    err = capsys.readouterr().err
    assert (status, err.count("\n"), out.exists()) == (2, 1, False)
    assert err.startswith("sequrity: error: the Ray batch engine needs 'ray'")
    assert "pip install 'sequrity[ray]'" in err
    assert sequrity_emulator.requests == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--workers", "2"), "--workers needs --engine ray"),
        (("--address", "auto", "--block-size", "9"), "--address, --block-size needs --engine ray"),
        (("--engine", "ray", "--rpm", "60"), "--rpm and --tpm are not available with --engine ray"),
    ],
)
def test_options_of_the_other_engine_are_refused(
    tmp_path: Path,
    sequrity_emulator: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    args: tuple[str, ...],
    message: str,
):
    """Ray's options without `--engine ray`, or a per-minute ceiling with it: exit 2, no request."""
    status, _ = run(tmp_path, sequrity_emulator, monkeypatch, *args)

    err = capsys.readouterr().err
    assert (status, err.startswith(f"sequrity: error: {message}")) == (2, True)
    assert sequrity_emulator.requests == []
