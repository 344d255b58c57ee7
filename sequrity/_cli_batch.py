"""``sequrity batch``: send every request of a JSONL file, resumably, and summarise the run."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._cli_parser import positive
from ._cli_target import add_target_arguments, client_target
from ._exceptions import SequrityValidationError

if TYPE_CHECKING:
    from ._batch_summary import BatchSummary

__all__ = ["add_batch_command"]

_DESCRIPTION = """\
Send the requests of a JSONL file concurrently and append one result line per request to --out:
{"custom_id", "response"} or {"custom_id", "error"}. Each request ends with exactly one line.

Re-running the same command resumes: custom_ids already in --out are skipped (after Ctrl-C the
command to resume is printed). --retry-failed sends the requests whose line is an error again:
their error lines are removed from --out first, so each still has one line. A run whose
requests cannot succeed (the API key is refused, or the first 10 answers are all 400/403/404/
422 errors) stops early and writes nothing for them. Lines of --out that are not result lines
are reported and kept. Without an API key and base URL it talks to an embedded local emulator.

--engine ray sends the requests from the workers of a Ray cluster (pip install 'sequrity[ray]'):
--address names the cluster (default: a Ray started on this machine), --workers how many worker
processes (default one per CPU), --concurrency is then per worker. The output, resume and exit
statuses are the same; this machine writes --out, so the workers need no shared filesystem.
"""

_EPILOG = """\
examples:
  sequrity batch requests.jsonl --out results.jsonl
  sequrity batch requests.jsonl --out results.jsonl --retry-failed
  sequrity batch requests.jsonl --out results.jsonl --concurrency 64 --rpm 600
  sequrity batch requests.jsonl --out results.jsonl --engine ray --address auto --workers 16

exit status: 0 every request succeeded, 1 some failed or were malformed, 2 an error (usage,
configuration, unreadable files, a run stopped early), 130 interrupted (results so far are kept).
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
    batch.add_argument(
        "--out", required=True, metavar="FILE", help="results file (appended to; resumable)"
    )
    batch.add_argument(
        "--concurrency",
        type=positive,
        default=32,
        metavar="N",
        help="requests in flight (default 32)",
    )
    batch.add_argument(
        "--api",
        choices=["chat", "messages", "responses"],
        default="chat",
        help="API of lines without a url (default chat)",
    )
    batch.add_argument("--model", default=None, help="model of lines that name none")
    batch.add_argument(
        "--rpm", type=positive, default=None, metavar="N", help="requests per minute ceiling"
    )
    batch.add_argument(
        "--tpm", type=positive, default=None, metavar="N", help="tokens per minute ceiling"
    )
    batch.add_argument(
        "--retry-failed",
        action="store_true",
        help="send again the requests whose line in --out is an error line",
    )
    batch.add_argument(
        "--keep-going",
        action="store_true",
        help="do not stop early when the first answers are all 400/403/404/422 errors",
    )
    batch.add_argument("--quiet", action="store_true", help="no progress bar")
    ray = batch.add_argument_group("on a Ray cluster (--engine ray)")
    ray.add_argument(
        "--engine",
        choices=["local", "ray"],
        default="local",
        help="send from this process (default) or from the workers of a Ray cluster",
    )
    ray.add_argument(
        "--address",
        default=None,
        metavar="ADDR",
        help="the Ray cluster (auto, or the head's HOST:PORT; default: start one here)",
    )
    ray.add_argument(
        "--workers",
        type=positive,
        default=None,
        metavar="N",
        help="worker processes (default one per CPU of the cluster)",
    )
    ray.add_argument(
        "--block-size",
        type=positive,
        default=None,
        metavar="N",
        help="requests per block handed to a worker (default 1000)",
    )
    add_target_arguments(batch)
    batch.set_defaults(func=_cmd_batch)


def _cmd_batch(args: argparse.Namespace) -> int:
    err = sys.stderr

    def notice(text: str) -> None:
        print(f"sequrity batch: {text}", file=err, flush=True)

    _check_engine_options(args)
    try:
        summary = _run_ray(args, notice) if args.engine == "ray" else _run_local(args, notice)
    except KeyboardInterrupt:
        _interrupted(args, notice)
        return 130
    for problem in summary.problems:
        notice(f"malformed {args.input} {problem}")
    notice(str(summary))
    if summary.stopped is not None:
        notice(
            f"stopped early: {summary.stopped}. Nothing was written for those requests; fix "
            "the cause and run the same command again to send them (--keep-going runs on)."
        )
        return 2
    return 0 if summary.ok else 1


def _check_engine_options(args: argparse.Namespace) -> None:
    """Refuse options that the chosen engine does not have."""
    if args.engine == "local":
        given = [
            flag
            for flag, value in (
                ("--address", args.address),
                ("--workers", args.workers),
                ("--block-size", args.block_size),
            )
            if value is not None
        ]
        if given:
            raise SequrityValidationError(f"{', '.join(given)} needs --engine ray")
    elif args.rpm is not None or args.tpm is not None:
        raise SequrityValidationError(
            "--rpm and --tpm are not available with --engine ray (each worker would count only "
            "its own requests); a 429 from the service still pauses every worker"
        )


def _run_local(args: argparse.Namespace, notice: Callable[[str], None]) -> BatchSummary:
    from . import SequrityClient
    from .batch import run_batch_sync

    with (
        client_target(args, sys.stderr) as (base_url, key),
        SequrityClient(
            key, base_url=base_url, allow_insecure_http=args.allow_insecure_http
        ) as client,
    ):
        return run_batch_sync(
            client,
            args.input,
            args.out,
            concurrency=args.concurrency,
            api=args.api,
            model=args.model,
            requests_per_minute=args.rpm,
            tokens_per_minute=args.tpm,
            progress=not args.quiet,
            retry_failed=args.retry_failed,
            stop_early=not args.keep_going,
            notice=notice,
        )


def _run_ray(args: argparse.Namespace, notice: Callable[[str], None]) -> BatchSummary:
    # Imported first: without the extra, say so before starting anything.
    from .batch_ray import run_batch_ray

    with client_target(args, sys.stderr) as (base_url, key):
        return run_batch_ray(
            args.input,
            args.out,
            api_key=key,
            base_url=base_url,
            client_options={"allow_insecure_http": args.allow_insecure_http},
            address=args.address,
            workers=args.workers,
            concurrency=args.concurrency,
            block_size=args.block_size or 1000,
            api=args.api,
            model=args.model,
            progress=not args.quiet,
            retry_failed=args.retry_failed,
            stop_early=not args.keep_going,
            notice=notice,
        )


def _interrupted(args: argparse.Namespace, notice: Callable[[str], None]) -> None:
    """Say what an interrupted run saved and the exact command that resumes it."""
    from .batch import count_results

    try:
        saved, total = count_results(args.input, args.out)
    except OSError:
        notice("interrupted")
    else:
        notice(f"interrupted: {saved} of {total} requests have a result in {args.out}")
    notice(f"resume with: {shlex.join(['sequrity', *sys.argv[1:]])}")
