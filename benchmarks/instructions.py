"""
Deterministic cost per request: instructions counted by ``valgrind --tool=callgrind``.

CPU time moves by 20% between runs on a shared machine; instruction counts move by well under 1%,
so they are the figures to compare a change with. Each workload runs twice in a fresh interpreter
under callgrind (after the same warm-up), once with ``--n`` more requests than the other; the
difference, divided by ``--n``, is the cost of one request (or one stream of ``EVENTS`` events),
free of start-up, imports and warm-up. Only the client process is counted; the canned server
(``server.py``) runs in its own process, outside valgrind.

Workloads: ``async`` (chat requests at c=1), ``stream`` (one chat stream of 20 events at a time),
``blocking`` (blocking chat requests from one thread), and ``bare``/``bare-stream`` (bare aiohttp
doing the same, the reference floor).

Usage: ``python benchmarks/instructions.py [--n 200] [--warmup 50] [WORKLOAD ...]``;
``--markdown`` prints a table. Requires valgrind.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import EVENTS, start_server  # noqa: E402
from worker import MESSAGES, MODEL, bare_one  # noqa: E402

WORKLOADS = ("async", "stream", "blocking", "bare", "bare-stream")


# -- the measured child ------------------------------------------------------------------------


async def _bare(base: str, count: int, stream: bool) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        one = bare_one(base, stream)(session)  # the same floor as run.py's
        for _ in range(count):
            await one()


async def _ours(base: str, count: int, stream: bool) -> None:
    from sequrity import AsyncSequrityClient

    async with AsyncSequrityClient(api_key="k", base_url=base) as client:
        chat = client.control.chat
        for _ in range(count):
            if stream:
                events = await chat.create(MESSAGES, MODEL, stream=True)
                async for _event in events:
                    pass
            else:
                await chat.create(MESSAGES, MODEL)


def _blocking(base: str, count: int) -> None:
    from sequrity import SequrityClient

    with SequrityClient(api_key="k", base_url=base) as client:
        for _ in range(count):
            client.control.chat.create(MESSAGES, MODEL)


def child(workload: str, base: str, count: int) -> None:
    """Run `count` requests of `workload` (the warm-up is part of `count`)."""
    if workload == "blocking":
        _blocking(base, count)
    elif workload in ("bare", "bare-stream"):
        asyncio.run(_bare(base, count, workload == "bare-stream"))
    else:
        asyncio.run(_ours(base, count, workload == "stream"))


# -- the parent --------------------------------------------------------------------------------


def instructions(workload: str, base: str, count: int) -> int:
    """Instructions of one child process running `count` requests under callgrind."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                str(Path(__file__).resolve()),
                "--child",
                workload,
                base,
                str(count),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=1800,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{workload} failed: {done.stderr[-2000:]}")
        match = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.MULTILINE)
        if match is None:
            raise RuntimeError(f"no instruction total in callgrind's output for {workload}")
        return int(match.group(1))


def per_request(workload: str, base: str, n: int, warmup: int) -> dict[str, Any]:
    """Instructions per request: the difference of two runs that differ by `n` requests."""
    small = instructions(workload, base, warmup)
    large = instructions(workload, base, warmup + n)
    return {"workload": workload, "per_request": (large - small) / n, "n": n, "warmup": warmup}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1] if __doc__ else None)
    parser.add_argument("workloads", nargs="*", help=f"some of {', '.join(WORKLOADS)} (all)")
    parser.add_argument("--n", type=int, default=200, help="requests measured per workload")
    parser.add_argument("--warmup", type=int, default=50, help="requests before the measured ones")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--child", nargs=3, metavar=("WORKLOAD", "BASE", "COUNT"), help="internal")
    args = parser.parse_args()
    if args.child:
        workload, base, count = args.child
        child(workload, base, int(count))
        return 0
    unknown = sorted(set(args.workloads) - set(WORKLOADS))
    if unknown:
        parser.error(f"unknown workload(s): {', '.join(unknown)}")
    if shutil.which("valgrind") is None:
        print("instructions.py: valgrind is not installed", file=sys.stderr)
        return 2
    proc, base = start_server()
    try:
        rows = [per_request(w, base, args.n, args.warmup) for w in args.workloads or WORKLOADS]
    finally:
        proc.terminate()
        proc.wait()
    by_name = {r["workload"]: r["per_request"] for r in rows}
    if args.markdown:
        print("| workload | instructions per request | x bare |")
        print("|---|---|---|")
    for r in rows:
        name = r["workload"]
        bare = by_name.get("bare-stream" if "stream" in name else "bare")
        ratio = f"{r['per_request'] / bare:.2f}" if bare and not name.startswith("bare") else "-"
        unit = f"stream of {EVENTS} events" if "stream" in name else "request"
        if args.markdown:
            print(f"| {name} | {r['per_request'] / 1000:,.0f}k per {unit} | {ratio} |")
        else:
            per = r["per_request"] / 1000
            print(f"{name:12} {per:10,.1f}k instructions per {unit}  x bare {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
