"""The `policy` command line: `check`, `fmt` and `eval` for SQRT files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ._errors import SqrtEvalError, SqrtParseError
from ._format import format_tree
from ._parser import parse_tree, read_source
from ._policy import ToolCall, evaluate_call
from ._sets import Meta, Value

__all__ = ["add_policy_commands", "main"]

_EVAL_HELP = """\
CALL.json describes the tool call:
  {"tool": "send_email",
   "args": {"to": {"value": "a@b.com",
                   "meta": {"producers": [], "consumers": ["*"], "tags": ["pii"]}}},
   "default_allow": true, "default_allow_enforcement_level": "soft", "fail_fast": true}
  Only "tool" is required; "meta" and each of its fields may be omitted (defaults:
  producers [], consumers ["*"], tags []).
SESSION.json holds the session metadata, optionally with a value for @session.value:
  {"producers": [], "consumers": ["*"], "tags": ["attempt1"], "value": "active"}
The decision, the deciding rule and the session after `session before` updates are printed.
Exit status: 0 allowed, 1 denied, 2 on a bad file.
"""


def add_policy_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """
    Register the `policy` command and its `check`, `fmt` and `eval` subcommands.

    Args:
        subparsers: The parent parser's subparsers; each leaf sets `func(args) -> int`.
    """
    policy = subparsers.add_parser("policy", help="check, format and evaluate SQRT policies")
    commands = policy.add_subparsers(dest="policy_command", required=True)

    check = commands.add_parser("check", help="report syntax errors as file:line:col: message")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(func=_check)

    fmt = commands.add_parser("fmt", help="rewrite files in the canonical layout")
    fmt.add_argument("--check", action="store_true", help="list files that would change; exit 1")
    fmt.add_argument("files", nargs="+", metavar="FILE")
    fmt.set_defaults(func=_fmt)

    evaluate = commands.add_parser(
        "eval",
        help="decide a tool call against a policy",
        description=_EVAL_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    evaluate.add_argument("file", metavar="FILE")
    evaluate.add_argument("--call", required=True, metavar="CALL.json")
    evaluate.add_argument("--session", metavar="SESSION.json")
    evaluate.set_defaults(func=_eval)


def main(argv: list[str] | None = None) -> int:
    """
    Run the `policy` commands on their own (`main(["policy", "check", "a.sqrt"])`).

    Args:
        argv: Arguments without the program name; defaults to `sys.argv[1:]`.

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(prog="sequrity")
    add_policy_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    status: int = args.func(args)
    return status


def _location(path: str, err: SqrtParseError) -> str:
    return f"{path}:{err.line or 1}:{err.column or 1}: {err.message}"


def _check(args: argparse.Namespace) -> int:
    status = 0
    for path in args.files:
        try:
            parse_tree(read_source(path))
        except SqrtParseError as err:
            print(_location(path, err))
            status = 1
        except OSError as err:
            print(f"{path}:1:1: {err.strerror or err}")
            status = 1
    return status


def _fmt(args: argparse.Namespace) -> int:
    status = 0
    for path in args.files:
        try:
            source = read_source(path)
            formatted = format_tree(parse_tree(source))
        except SqrtParseError as err:
            print(_location(path, err), file=sys.stderr)
            status = 1
            continue
        except OSError as err:
            print(f"{path}:1:1: {err.strerror or err}", file=sys.stderr)
            status = 1
            continue
        if formatted == source:
            continue
        if args.check:
            print(path)
            status = 1
        else:
            Path(path).write_text(formatted, encoding="utf-8")
            print(f"reformatted {path}")
    return status


def _eval(args: argparse.Namespace) -> int:
    try:
        program = parse_tree(read_source(args.file))
        call_data = json.loads(Path(args.call).read_text(encoding="utf-8"))
        session_data = {}
        if args.session:
            session_data = json.loads(Path(args.session).read_text(encoding="utf-8"))
        call = ToolCall(
            call_data["tool"],
            {
                name: Value(arg.get("value"), Meta.from_json(arg.get("meta")))
                for name, arg in (call_data.get("args") or {}).items()
            },
        )
        decision = evaluate_call(
            program,
            call,
            Meta.from_json(session_data),
            default_allow=call_data.get("default_allow", True),
            default_allow_enforcement_level=call_data.get(
                "default_allow_enforcement_level", "soft"
            ),
            fail_fast=call_data.get("fail_fast", True),
            session_value=session_data.get("value"),
        )
    except SqrtParseError as err:
        print(_location(args.file, err))
        return 2
    except (OSError, ValueError, KeyError, TypeError, AttributeError, SqrtEvalError) as err:
        print(f"error: {err}")
        return 2
    print(f"{'ALLOWED' if decision.allowed else 'DENIED'} ({decision.enforcement})")
    print(f"reason: {decision.reason}")
    if decision.rule is not None:
        print(f"rule: {args.file}:{decision.rule.rule.line}: {decision.rule.text}")
    else:
        print("rule: default")
    print(f"session: {json.dumps(decision.session.to_json(), sort_keys=True)}")
    if not decision.allowed:
        print(decision.denial_message())
    return 0 if decision.allowed else 1
