"""The `policy` command line: `check`, `fmt` and `eval` for SQRT files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ._errors import SqrtParseError

__all__ = ["add_policy_commands", "diagnostic", "main"]

_POLICY_HELP = """\
Work with SQRT policies offline: the same parser the emulator uses, no network and no API key.
"""

_POLICY_EPILOG = """\
examples:
  sequrity policy check policies/*.sqrt
  sequrity policy fmt --check policies/*.sqrt
  sequrity policy eval email.sqrt --call call.json --session session.json

Run `sequrity policy COMMAND --help` for the details of each command.

exit status: 0 success, 1 a syntax error, a file to reformat or a denied call, 2 a file cannot
be read or is malformed.
"""

_CHECK_HELP = """\
Report the first syntax error of each file as FILE:LINE:COLUMN: MESSAGE, followed by the
offending line and a caret under the column (on standard output).

exit status: 0 every file is valid, 1 a file has a syntax error, 2 a file cannot be read.
"""

_FMT_HELP = """\
Rewrite each file in the canonical layout (keywords spaced, 4-space indents, comments kept).
Files with a syntax error are reported on standard error and left untouched.

exit status: 0 nothing to do or all rewritten, 1 a file would change (--check) or has a syntax
error, 2 a file cannot be read.
"""

_EVAL_HELP = """\
Decide whether a tool call is allowed by a policy, and print why.

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
"""

_EVAL_EPILOG = """\
example:
  sequrity policy eval email.sqrt --call call.json

exit status: 0 allowed, 1 denied, 2 a file cannot be read or is malformed.
"""


def add_policy_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """
    Register the `policy` command and its `check`, `fmt` and `eval` subcommands.

    Args:
        subparsers: The parent parser's subparsers; each leaf sets `func(args) -> int`.
    """
    raw = argparse.RawDescriptionHelpFormatter
    policy = subparsers.add_parser(
        "policy",
        help="check, format and evaluate SQRT policies offline",
        description=_POLICY_HELP,
        epilog=_POLICY_EPILOG,
        formatter_class=raw,
    )
    commands = policy.add_subparsers(dest="policy_command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="report syntax errors as file:line:col: message",
        description=_CHECK_HELP,
        epilog="example:\n  sequrity policy check policies/*.sqrt",
        formatter_class=raw,
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="SQRT files to check")
    check.set_defaults(func=_check)

    fmt = commands.add_parser(
        "fmt",
        help="rewrite files in the canonical layout",
        description=_FMT_HELP,
        epilog="examples:\n  sequrity policy fmt email.sqrt\n"
        "  sequrity policy fmt --check policies/*.sqrt   # in CI",
        formatter_class=raw,
    )
    fmt.add_argument("--check", action="store_true", help="list files that would change; exit 1")
    fmt.add_argument("files", nargs="+", metavar="FILE", help="SQRT files to format")
    fmt.set_defaults(func=_fmt)

    evaluate = commands.add_parser(
        "eval",
        help="decide a tool call against a policy",
        description=_EVAL_HELP,
        epilog=_EVAL_EPILOG,
        formatter_class=raw,
    )
    evaluate.add_argument("file", metavar="FILE", help="the SQRT policy")
    evaluate.add_argument("--call", required=True, metavar="CALL.json", help="the tool call")
    evaluate.add_argument("--session", metavar="SESSION.json", help="the session metadata")
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


def diagnostic(path: str, err: SqrtParseError) -> str:
    """
    Render a syntax error like a compiler: ``FILE:LINE:COL: MESSAGE``, then the offending line
    and a caret under the column (when the position is known).

    Args:
        path: The file name to show.
        err: The error.

    Returns:
        One to three lines, without a trailing newline.
    """
    if err.line is None:
        return f"{path}: {err.message}"
    column = err.column or 1
    text = f"{path}:{err.line}:{column}: {err.message}"
    snippet = err.source_snippet
    if snippet:
        # Keep tabs in the padding so the caret lines up however tabs are displayed.
        pad = "".join(c if c == "\t" else " " for c in snippet[: column - 1])
        text += f"\n    {snippet}\n    {pad}^"
    return text


def _cannot_read(path: str, err: OSError, out: TextIO) -> None:
    print(f"sequrity: error: cannot read {path}: {err.strerror or err}", file=out)


def _check(args: argparse.Namespace) -> int:
    from ._errors import SqrtParseError
    from ._parser import parse_tree, read_source

    status = 0
    for path in args.files:
        try:
            parse_tree(read_source(path))
        except SqrtParseError as err:
            print(diagnostic(path, err))
            status = max(status, 1)
        except OSError as err:
            _cannot_read(path, err, sys.stderr)
            status = 2
    return status


def _fmt(args: argparse.Namespace) -> int:
    from ._errors import SqrtParseError
    from ._format import format_tree
    from ._parser import parse_tree, read_source

    status = 0
    for path in args.files:
        try:
            source = read_source(path)
            formatted = format_tree(parse_tree(source))
        except SqrtParseError as err:
            print(diagnostic(path, err), file=sys.stderr)
            status = max(status, 1)
            continue
        except OSError as err:
            _cannot_read(path, err, sys.stderr)
            status = 2
            continue
        if formatted == source:
            continue
        if args.check:
            print(path)
            status = max(status, 1)
        else:
            try:
                Path(path).write_text(formatted, encoding="utf-8")
            except OSError as err:
                print(
                    f"sequrity: error: cannot write {path}: {err.strerror or err}", file=sys.stderr
                )
                status = 2
                continue
            print(f"reformatted {path}")
    return status


def _eval(args: argparse.Namespace) -> int:
    from ._cli_inputs import InputFileError, SessionFile, read_call, read_session
    from ._errors import SqrtEvalError, SqrtParseError
    from ._parser import parse_tree, read_source
    from ._policy import evaluate_call

    err = sys.stderr
    reading = args.file
    try:
        program = parse_tree(read_source(args.file))
        reading = args.call
        call = read_call(args.call)
        reading = args.session
        session = read_session(args.session) if args.session else SessionFile()
    except SqrtParseError as exc:
        print(diagnostic(args.file, exc), file=err)
        return 2
    except InputFileError as exc:
        print(f"sequrity: error: {exc}", file=err)
        return 2
    except OSError as exc:
        _cannot_read(reading, exc, err)
        return 2
    try:
        decision = evaluate_call(
            program,
            call.call,
            session.meta,
            default_allow=call.default_allow,
            default_allow_enforcement_level=call.default_allow_enforcement_level,
            fail_fast=call.fail_fast,
            session_value=session.value,
        )
    except SqrtEvalError as exc:
        print(f"sequrity: error: {args.file}: {exc}", file=err)
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
