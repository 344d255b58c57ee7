"""
The ``sequrity`` command line: ``chat`` (send a prompt), ``batch`` (send a JSONL file of requests),
``emulator`` (serve the local emulator) and ``policy`` (check, format and evaluate SQRT policies
offline).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TextIO

from ._cli_parser import CliParser
from ._exceptions import SequrityError
from ._version import __version__

__all__ = ["build_parser", "main"]

DEFAULT_MODEL = "openai/gpt-5-mini"


@contextlib.contextmanager
def _target(args: argparse.Namespace, err: TextIO) -> Iterator[tuple[str | None, str]]:
    """Yield (base_url, api_key): the configured service, or an embedded emulator when no key is set."""
    key = args.api_key or os.environ.get("SEQURITY_API_KEY", "")
    if key:
        yield args.base_url, key
        return
    from .testing import Emulator

    with Emulator.start_in_thread() as running:
        print(
            f"No API key configured (SEQURITY_API_KEY): using the embedded emulator at "
            f"{running.base_url}",
            file=err,
        )
        yield running.base_url, "sq-emulator-key"


def _cmd_chat(args: argparse.Namespace) -> int:
    from . import SequrityClient
    from .control import ControlConfig, FeaturesHeader

    out, err = sys.stdout, sys.stderr
    features = FeaturesHeader.dual_llm() if args.dual_llm else None
    with _target(args, err) as (base_url, key):
        config = ControlConfig(
            provider=args.provider,
            endpoint_type=args.endpoint_type,
            llm_api_key=args.llm_api_key or os.environ.get("SEQURITY_LLM_API_KEY") or None,
            features=features,
        )
        with SequrityClient(key, base_url=base_url, control=config) as client:
            messages = [{"role": "user", "content": args.prompt}]
            if args.stream:
                with client.control.chat.create(messages, args.model, stream=True) as stream:
                    for chunk in stream:
                        for choice in chunk.choices:
                            if choice.delta.content:
                                out.write(choice.delta.content)
                                out.flush()
                out.write("\n")
                session = stream.session_id
            else:
                response = client.control.chat.create(messages, args.model)
                print(response.content or "", file=out)
                session = response.session_id
            if args.show_session and session:
                print(f"session: {session}", file=err)
    return 0


def _cmd_batch(args: argparse.Namespace) -> int:
    from . import SequrityClient
    from .batch import run_batch_sync

    err = sys.stderr
    with _target(args, err) as (base_url, key), SequrityClient(key, base_url=base_url) as client:
        summary = run_batch_sync(
            client,
            args.input,
            args.out,
            concurrency=args.concurrency,
            api=args.api,
            model=args.model,
            requests_per_minute=args.rpm,
            tokens_per_minute=args.tpm,
            progress=not args.quiet,
        )
    if summary.repaired_bytes:
        print(
            f"removed a truncated last line ({summary.repaired_bytes} bytes) from {args.out}",
            file=err,
        )
    for problem in summary.problems:
        print(f"sequrity batch: malformed {args.input} {problem}", file=err)
    print(f"sequrity batch: {summary}", file=err)
    return 0 if summary.ok else 1


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def _cmd_emulator(args: argparse.Namespace) -> int:
    from .testing._cli import run_emulator

    return run_emulator(args)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``sequrity`` command (exposed for tests and docs)."""
    parser = CliParser(prog="sequrity", description="Command line of the Sequrity Control API SDK.")
    parser.add_argument("--version", action="version", version=f"sequrity {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    chat = sub.add_parser(
        "chat",
        help="send one chat completion and print the answer",
        description="Send one prompt through the Control API and print the answer. Without an "
        "API key (--api-key or SEQURITY_API_KEY) it talks to an embedded local emulator.",
    )
    chat.add_argument("prompt", help="the user message")
    chat.add_argument(
        "--model", default=DEFAULT_MODEL, help=f"model name (default {DEFAULT_MODEL})"
    )
    chat.add_argument("--stream", action="store_true", help="print the answer as it streams")
    chat.add_argument("--provider", default=None, help="openai, openrouter, sequrity_azure, ...")
    chat.add_argument("--endpoint-type", default="chat", help="chat, code, agent or lang-graph")
    chat.add_argument("--dual-llm", action="store_true", help="run in Dual-LLM mode")
    chat.add_argument("--base-url", default=None, help="defaults to SEQURITY_BASE_URL")
    chat.add_argument("--api-key", default=None, help="defaults to SEQURITY_API_KEY")
    chat.add_argument("--llm-api-key", default=None, help="provider key sent as X-Api-Key")
    chat.add_argument("--show-session", action="store_true", help="print the session id")
    chat.set_defaults(func=_cmd_chat)

    batch = sub.add_parser(
        "batch",
        help="send every request of a JSONL file, resumably",
        description="Send the requests of a JSONL file concurrently and append one result line "
        "per request to --out. Re-running skips the custom_ids already in --out. Without an API "
        "key it talks to an embedded local emulator. Exit status: 0 when every request succeeded, "
        "1 when some failed or were malformed, 2 for usage errors.",
    )
    batch.add_argument("input", help="requests, one JSON object with a custom_id per line")
    batch.add_argument("--out", required=True, help="results file (appended to; resumable)")
    batch.add_argument(
        "--concurrency", type=_positive, default=32, help="requests in flight (default 32)"
    )
    batch.add_argument(
        "--api",
        choices=["chat", "messages", "responses"],
        default="chat",
        help="API of lines without a url (default chat)",
    )
    batch.add_argument("--model", default=None, help="model of lines that name none")
    batch.add_argument("--rpm", type=_positive, default=None, help="requests per minute ceiling")
    batch.add_argument("--tpm", type=_positive, default=None, help="tokens per minute ceiling")
    batch.add_argument("--quiet", action="store_true", help="no progress bar")
    batch.add_argument("--base-url", default=None, help="defaults to SEQURITY_BASE_URL")
    batch.add_argument("--api-key", default=None, help="defaults to SEQURITY_API_KEY")
    batch.set_defaults(func=_cmd_batch)

    from .testing._cli import DESCRIPTION, EPILOG, add_emulator_arguments

    emu = sub.add_parser(
        "emulator",
        help="serve the local emulator in the foreground",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
        The process exit status: 0 on success, 1 for a failed check, 2 for usage or API errors.
    """
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        code: int = args.func(args)
    except SequrityError as exc:
        print(f"sequrity: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
