"""
The ``sequrity`` command line: ``chat`` (send a prompt), ``batch`` (send a JSONL file of requests),
``emulator`` (serve the local emulator) and ``policy`` (check, format and evaluate SQRT policies
offline).

Every failure is one line on standard error starting ``sequrity: error:``, never a traceback;
exit statuses are listed in each command's ``--help``.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from ._cli_batch import add_batch_command
from ._cli_chat import DEFAULT_MODEL, add_chat_command
from ._cli_parser import CliParser
from ._exceptions import SequrityError
from ._version import __version__

__all__ = ["DEFAULT_MODEL", "build_parser", "main"]

_DESCRIPTION = """\
Command line of the Sequrity Control API SDK: send prompts and batches through the API, serve
a local emulator of it, and check SQRT security policies offline.
"""

_EPILOG = """\
examples:
  sequrity chat "What is the largest prime number below 100?"
  sequrity batch requests.jsonl --out results.jsonl
  sequrity emulator --port 8765
  sequrity policy check policies/*.sqrt

configuration: SEQURITY_API_KEY and SEQURITY_BASE_URL (or --api-key and --base-url); with
neither, chat and batch use an embedded emulator and say so.

exit status: 0 success, 1 a partial failure (see each command), 2 an error, 130 interrupted.
Run `sequrity COMMAND --help` for each command's options.
"""


def _cmd_emulator(args: argparse.Namespace) -> int:
    from .testing._cli import run_emulator

    return run_emulator(args)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``sequrity`` command (exposed for tests and docs)."""
    raw = argparse.RawDescriptionHelpFormatter
    parser = CliParser(
        prog="sequrity", description=_DESCRIPTION, epilog=_EPILOG, formatter_class=raw
    )
    parser.add_argument("--version", action="version", version=f"sequrity {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_chat_command(sub)
    add_batch_command(sub)

    from .testing._cli import DESCRIPTION, EPILOG, add_emulator_arguments

    emu = sub.add_parser(
        "emulator",
        help="serve the local emulator in the foreground",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=raw,
    )
    add_emulator_arguments(emu)
    emu.set_defaults(func=_cmd_emulator)

    from .sqrt._cli import add_policy_commands

    add_policy_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run the command line.

    Returns:
        The process exit status: 0 on success, 1 for a partial failure (a failed check, a denied
        Dual-LLM run, failed batch lines), 2 for usage, configuration or API errors, 130 when
        interrupted.
    """
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    err = sys.stderr
    try:
        code: int = args.func(args)
    except SequrityError as exc:
        print(f"sequrity: error: {exc}", file=err)
        return 2
    except KeyboardInterrupt:
        print("sequrity: interrupted", file=err)
        return 130
    except BrokenPipeError:
        # The reader went away (`sequrity ... | head`): nothing more to say, and nowhere to.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps interpreter exit quiet
        return 2
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"sequrity: error:{where} {exc.strerror or exc}", file=err)
        return 2
    except Exception as exc:
        # A bug: still one line for the user; the traceback only when debugging.
        print(
            f"sequrity: error: unexpected {type(exc).__name__}: {exc} "
            "(set SEQURITY_LOG=debug to see the traceback, and please report it)",
            file=err,
        )
        if os.environ.get("SEQURITY_LOG", "").lower() == "debug":
            traceback.print_exc()
        return 2
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
