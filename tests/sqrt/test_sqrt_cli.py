"""Tests for the `policy` command line, driven through `main([...])` on temporary files."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from sequrity.sqrt._cli import add_policy_commands, main

GOOD = 'tool "t" {\n    hard deny when "pii" in data.tags;\n}\n'


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_check_passes_valid_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`policy check` exits 0 and prints nothing for valid files."""
    path = write(tmp_path, "ok.sqrt", GOOD)

    status = main(["policy", "check", str(path)])

    assert status == 0
    assert capsys.readouterr().out == ""


def test_check_reports_linter_style_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`policy check` prints file:line:col: message for each bad file; unreadable files exit 2."""
    good = write(tmp_path, "ok.sqrt", GOOD)
    bad = write(tmp_path, "bad.sqrt", 'let x = {};\ntool "t" { must allow sometimes; }\n')

    status = main(["policy", "check", str(good), str(bad), str(tmp_path / "missing.sqrt")])

    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert status == 2
    assert lines[0] == f"{bad}:2:23: Expected 'when' or 'always', found 'sometimes'"
    assert len(lines) == 3
    assert captured.err.startswith(f"sequrity: error: cannot read {tmp_path / 'missing.sqrt'}: ")


def test_fmt_rewrites_files(tmp_path: Path) -> None:
    """`policy fmt` rewrites files in place in the canonical layout."""
    path = write(tmp_path, "p.sqrt", 'tool "t"{hard deny when "pii" in data.tags;}')

    status = main(["policy", "fmt", str(path)])

    assert status == 0
    assert path.read_text(encoding="utf-8") == GOOD


def test_fmt_check_lists_changed_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`policy fmt --check` lists files that would change, exits 1 and writes nothing."""
    messy = write(tmp_path, "messy.sqrt", "let  x={};")
    clean = write(tmp_path, "clean.sqrt", GOOD)

    status = main(["policy", "fmt", "--check", str(messy), str(clean)])

    assert status == 1
    assert capsys.readouterr().out.splitlines() == [str(messy)]
    assert messy.read_text(encoding="utf-8") == "let  x={};"
    assert main(["policy", "fmt", "--check", str(clean)]) == 0


def test_fmt_refuses_invalid_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`policy fmt` leaves a file with a syntax error untouched and exits 1."""
    path = write(tmp_path, "bad.sqrt", "let x = ;")

    status = main(["policy", "fmt", str(path)])

    assert status == 1
    assert f"{path}:1:9:" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "let x = ;"


def test_eval_prints_decision_and_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`policy eval` prints the verdict and deciding rule; exit 1 means denied."""
    policy = write(tmp_path, "p.sqrt", GOOD)
    call = write(
        tmp_path,
        "call.json",
        json.dumps({"tool": "t", "args": {"data": {"value": "x", "meta": {"tags": ["pii"]}}}}),
    )

    status = main(["policy", "eval", str(policy), "--call", str(call)])

    out = capsys.readouterr().out
    assert status == 1
    assert out.startswith("DENIED (hard)\n")
    assert f'rule: {policy}:2: hard deny when "pii" in data.tags;' in out
    assert "Tool call to 't' is denied by argument checking policies." in out


def test_eval_uses_session_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`policy eval --session` feeds session metadata and value to the rules."""
    policy = write(tmp_path, "p.sqrt", 'tool "t" { hard allow when "ok" in @session.tags; }')
    call = write(tmp_path, "call.json", json.dumps({"tool": "t", "default_allow": False}))
    session = write(tmp_path, "s.json", json.dumps({"tags": ["ok"]}))

    assert (
        main(["policy", "eval", str(policy), "--call", str(call), "--session", str(session)]) == 0
    )
    assert capsys.readouterr().out.startswith("ALLOWED (hard)\n")
    assert main(["policy", "eval", str(policy), "--call", str(call)]) == 1


def test_eval_rejects_bad_call_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`policy eval` exits 2 with a message when CALL.json is malformed."""
    policy = write(tmp_path, "p.sqrt", GOOD)
    call = write(tmp_path, "call.json", "{not json")

    assert main(["policy", "eval", str(policy), "--call", str(call)]) == 2
    assert capsys.readouterr().err.startswith(f"sequrity: error: {call}: not valid JSON")


def test_eval_help_documents_json_shapes(capsys: pytest.CaptureFixture[str]) -> None:
    """The eval help text shows the CALL.json and SESSION.json shapes."""
    with pytest.raises(SystemExit):
        main(["policy", "eval", "--help"])

    out = capsys.readouterr().out
    assert '"args": {"to": {"value"' in out
    assert "SESSION.json holds the session metadata" in out


def test_add_policy_commands_plugs_into_another_parser() -> None:
    """add_policy_commands registers `policy` on any parser and sets func on each leaf."""
    parser = argparse.ArgumentParser()
    add_policy_commands(parser.add_subparsers())

    args = parser.parse_args(["policy", "fmt", "--check", "a.sqrt"])

    assert callable(args.func)
    assert (args.check, args.files) == (True, ["a.sqrt"])
