"""``sequrity batch``: send every request of a JSONL file, resumably, and summarise the run."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._cli_parser import positive
from ._cli_target import add_target_arguments, client_target

__all__ = ["add_batch_command"]

_DESCRIPTION = """\
Send the requests of a JSONL file concurrently and append one result line per request to --out.
Re-running the same command resumes: custom_ids already in --out are skipped. Without an API
key and base URL it talks to an embedded local emulator.
"""

_EPILOG = """\
examples:
  sequrity batch requests.jsonl --out results.jsonl
  sequrity batch requests.jsonl --out results.jsonl --concurrency 64 --rpm 600

exit status: 0 every request succeeded, 1 some failed or were malformed, 2 an error (usage,
configuration, unreadable files), 130 interrupted (results so far are kept).
"""


def add_batch_command(sub: argparse._SubParsersAction[Any]) -> None:
    """Register ``sequrity batch``."""
    batch = sub.add_parser(
        "batch",
        help="send every request of a JSONL file, resumably",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    batch.add_argument("input", help="requests, one JSON object with a custom_id per line")
    batch.add_argument("--out", required=True, help="results file (appended to; resumable)")
    batch.add_argument(
        "--concurrency", type=positive, default=32, help="requests in flight (default 32)"
    )
    batch.add_argument(
        "--api",
        choices=["chat", "messages", "responses"],
        default="chat",
        help="API of lines without a url (default chat)",
    )
    batch.add_argument("--model", default=None, help="model of lines that name none")
    batch.add_argument("--rpm", type=positive, default=None, help="requests per minute ceiling")
    batch.add_argument("--tpm", type=positive, default=None, help="tokens per minute ceiling")
    batch.add_argument("--quiet", action="store_true", help="no progress bar")
    add_target_arguments(batch)
    batch.set_defaults(func=_cmd_batch)


def _cmd_batch(args: argparse.Namespace) -> int:
    from . import SequrityClient
    from .batch import run_batch_sync

    err = sys.stderr
    with (
        client_target(args, err) as (base_url, key),
        SequrityClient(
            key, base_url=base_url, allow_insecure_http=args.allow_insecure_http
        ) as client,
    ):
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
