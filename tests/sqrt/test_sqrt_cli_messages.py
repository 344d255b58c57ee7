"""The `sequrity policy` commands' messages for bad input, run through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run_sequrity

GOOD = 'tool "t" {\n    hard deny when "pii" in data.tags;\n}\n'


def test_check_shows_the_offending_line_and_a_caret_under_the_column(tmp_path: Path) -> None:
    """A syntax error is reported as file:line:col: message, then the source line and a caret."""
    source = 'let a = {};\n\n// fine so far\ntool "t" { hard deny when (x.value == 1; }\n'
    path = tmp_path / "bad.sqrt"
    path.write_text(source, encoding="utf-8")

    done = run_sequrity("policy", "check", str(path))

    lines = done.stdout.splitlines()
    assert done.returncode == 1
    assert lines[0] == f"{path}:4:40: Expected ')', found ';'"
    assert lines[1] == '    tool "t" { hard deny when (x.value == 1; }'
    assert lines[2] == "    " + " " * 39 + "^"
    assert "Traceback" not in done.stderr


def test_check_on_a_missing_file_names_it_without_inventing_a_position(tmp_path: Path) -> None:
    """An unreadable file is one error line on stderr naming the file, with exit status 2."""
    missing = tmp_path / "missing.sqrt"

    done = run_sequrity("policy", "check", str(missing))

    assert done.returncode == 2
    assert done.stdout == ""
    assert (
        done.stderr.strip() == f"sequrity: error: cannot read {missing}: No such file or directory"
    )


def test_fmt_shows_the_offending_line_of_a_file_it_cannot_format(tmp_path: Path) -> None:
    """`policy fmt` reports a syntax error with the source line and caret too."""
    path = tmp_path / "bad.sqrt"
    path.write_text("let x = ;\n", encoding="utf-8")

    done = run_sequrity("policy", "fmt", str(path))

    assert done.returncode == 1
    assert done.stderr.splitlines()[:3] == [
        f"{path}:1:9: Expected a predicate or a set expression, found ';'",
        "    let x = ;",
        "    " + " " * 8 + "^",
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            "{not json",
            "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)",
        ),
        ("[1, 2]", 'expected a JSON object with a "tool", got an array'),
        ("{}", '"tool" is missing (the name of the tool being called)'),
        ('{"tool": 3}', '"tool" must be a string, got a number'),
        ('{"tool": "t", "args": ["x"]}', '"args" must be an object mapping argument names to'),
        (
            '{"tool": "t", "args": {"data": "x"}}',
            'args.data must be an object {"value": ..., "meta": {...}}, got a string',
        ),
        (
            '{"tool": "t", "args": {"data": {"value": 1, "meta": {"tags": "pii"}}}}',
            "args.data.meta.tags must be an array of strings, got a string",
        ),
        (
            '{"tool": "t", "args": {"data": {"value": 1, "metas": {}}}}',
            'args.data has an unknown key "metas" (allowed: value, meta)',
        ),
        (
            '{"tool": "t", "default_allow": "yes"}',
            '"default_allow" must be true or false, got a string',
        ),
        (
            '{"tool": "t", "default_allow_enforcement_level": "medium"}',
            '"default_allow_enforcement_level" must be "soft" or "hard", got "medium"',
        ),
        ('{"tool": "t", "color": "red"}', 'unknown key "color"'),
    ],
)
def test_eval_explains_a_bad_call_file_and_names_it(
    tmp_path: Path, call: str, message: str
) -> None:
    """A malformed CALL.json is one line naming the file and the problem, never Python internals."""
    policy = tmp_path / "p.sqrt"
    policy.write_text(GOOD, encoding="utf-8")
    call_path = tmp_path / "call.json"
    call_path.write_text(call, encoding="utf-8")

    done = run_sequrity("policy", "eval", str(policy), "--call", str(call_path))

    assert done.returncode == 2
    assert done.stdout == ""
    errors = done.stderr.splitlines()
    assert len(errors) == 1, done.stderr
    assert errors[0].startswith(f"sequrity: error: {call_path}: ")
    assert message in errors[0]


@pytest.mark.parametrize(
    ("session", "message"),
    [
        ("[]", "expected a JSON object, got an array"),
        ('{"tags": 5}', "tags must be an array of strings, got a number"),
        (
            '{"tags": [], "colour": 1}',
            'unknown key "colour" (allowed: producers, consumers, tags, value)',
        ),
        ("", "not valid JSON: Expecting value (line 1, column 1)"),
    ],
)
def test_eval_explains_a_bad_session_file_and_names_it(
    tmp_path: Path, session: str, message: str
) -> None:
    """A malformed SESSION.json is one line naming the file and the problem."""
    policy = tmp_path / "p.sqrt"
    policy.write_text(GOOD, encoding="utf-8")
    call_path = tmp_path / "call.json"
    call_path.write_text(json.dumps({"tool": "t"}), encoding="utf-8")
    session_path = tmp_path / "session.json"
    session_path.write_text(session, encoding="utf-8")

    done = run_sequrity(
        "policy", "eval", str(policy), "--call", str(call_path), "--session", str(session_path)
    )

    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"sequrity: error: {session_path}: {message}"]


def test_eval_names_a_missing_call_file(tmp_path: Path) -> None:
    """A CALL.json that does not exist is named in a one-line error."""
    policy = tmp_path / "p.sqrt"
    policy.write_text(GOOD, encoding="utf-8")
    missing = tmp_path / "nope.json"

    done = run_sequrity("policy", "eval", str(policy), "--call", str(missing))

    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"sequrity: error: cannot read {missing}: No such file or directory"
    ]


def test_eval_reports_a_policy_syntax_error_with_the_line_and_caret(tmp_path: Path) -> None:
    """A policy that does not parse is reported like `policy check` does, on stderr."""
    policy = tmp_path / "p.sqrt"
    policy.write_text('tool "t" { hard deny sometimes; }\n', encoding="utf-8")
    call_path = tmp_path / "call.json"
    call_path.write_text(json.dumps({"tool": "t"}), encoding="utf-8")

    done = run_sequrity("policy", "eval", str(policy), "--call", str(call_path))

    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0] == f"{policy}:1:22: Expected 'when' or 'always', found 'sometimes'"
    assert lines[1:] == ['    tool "t" { hard deny sometimes; }', "    " + " " * 21 + "^"]


def test_eval_reports_an_evaluation_error_without_python_internals(tmp_path: Path) -> None:
    """A policy that parses but cannot be evaluated gives one clear line naming the policy file."""
    policy = tmp_path / "p.sqrt"
    policy.write_text('tool "t" { hard deny when undefined_name; }\n', encoding="utf-8")
    call_path = tmp_path / "call.json"
    call_path.write_text(json.dumps({"tool": "t"}), encoding="utf-8")

    done = run_sequrity("policy", "eval", str(policy), "--call", str(call_path))

    assert done.returncode == 2
    assert done.stderr.startswith(f"sequrity: error: {policy}: ")
    assert "undefined_name" in done.stderr
    assert "Traceback" not in done.stderr
