"""
The batch runner on one machine against the Ray engine on this machine: the same input file, the
same fast local server (``server.py``, in its own process), wall time and requests per second,
and for Ray the throughput per worker and the cost of consulting the coordinator before every
attempt instead of every 50 ms.

Usage: ``python benchmarks/bench_batch_ray.py [--lines N] [--repeat N] [--quick] [--markdown]``
(needs ``pip install 'sequrity[ray]'``). Starts a local Ray with two CPUs, kept on loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Keep the local Ray's servers on 127.0.0.1 (read when Ray is imported).
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")

import ray
from run import start_server

from sequrity import AsyncSequrityClient
from sequrity._core._progress import Progress
from sequrity.batch import run_batch
from sequrity.batch_ray import ClusterStatus, run_batch_ray

KEY = "sq-bench"


def write_input(path: Path, lines: int) -> None:
    path.write_text(
        "".join(
            json.dumps(
                {
                    "custom_id": f"r{i}",
                    "model": "openai/gpt-5-mini",
                    "messages": [{"role": "user", "content": f"question {i}"}],
                }
            )
            + "\n"
            for i in range(lines)
        )
    )


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process of this machine, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS


class WorkerCpu:
    """A monitor noting each worker's CPU and answers when first and last seen."""

    def __init__(self) -> None:
        self.first: dict[int, tuple[float, int]] = {}
        self.last: dict[int, tuple[float, int]] = {}

    def __call__(self, status: ClusterStatus) -> None:
        for worker in status.workers:
            cpu = cpu_seconds(worker.pid)
            if cpu is None or not worker.requests:
                continue
            self.first.setdefault(worker.pid, (cpu, worker.requests))
            self.last[worker.pid] = (cpu, worker.requests)

    def per_request(self) -> float:
        """Worker CPU seconds per answer between first and last sight (start-up excluded)."""
        cpu = sum(self.last[p][0] - self.first[p][0] for p in self.last)
        answers = sum(self.last[p][1] - self.first[p][1] for p in self.last)
        return cpu / answers if answers else float("nan")


class FirstAnswer:
    """A progress callback noting when the first answer arrived (start-up excluded)."""

    def __init__(self) -> None:
        self.at: float | None = None
        self.done_then = 0

    def __call__(self, progress: Progress) -> None:
        if self.at is None and progress.done:
            self.at = time.monotonic()
            self.done_then = progress.done


def best(repeat: int, label: str, lines: int, run: Any) -> dict[str, Any]:
    """The run with the highest rate after the first answer, of `repeat` runs."""
    return max((measure(label, lines, run) for _ in range(repeat)), key=lambda r: r["steady"])


def measure(label: str, lines: int, run: Any) -> dict[str, Any]:
    first = FirstAnswer()
    workers = WorkerCpu()
    started, cpu = time.monotonic(), time.process_time()
    summary = run(first, workers)
    ended, cpu = time.monotonic(), time.process_time() - cpu
    if summary.succeeded != lines:
        raise RuntimeError(f"{label}: {summary}")
    steady = (lines - first.done_then) / (ended - (first.at or started))
    return {
        "label": label,
        "wall": ended - started,
        "rate": lines / (ended - started),
        "steady": steady,
        "first": (first.at or ended) - started,
        "driver_us": cpu / lines * 1e6,
        "worker_us": workers.per_request() * 1e6 if workers.last else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=20000)
    parser.add_argument("--quick", action="store_true", help="2,000 lines, for a smoke run")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the best is shown")
    args = parser.parse_args()
    lines = 2000 if args.quick else args.lines
    server, base = start_server()
    work = Path(tempfile.mkdtemp())
    source = work / "in.jsonl"
    write_input(source, lines)
    results: list[dict[str, Any]] = []
    runs = 0

    def out() -> Path:
        nonlocal runs
        runs += 1
        return work / f"out{runs}.jsonl"

    try:

        def local(concurrency: int) -> Any:
            async def go(first: FirstAnswer) -> Any:
                async with AsyncSequrityClient(KEY, base_url=base) as client:
                    return await run_batch(
                        client, source, out(), concurrency=concurrency, progress=first
                    )

            return lambda first, _: asyncio.run(go(first))

        local(64)(
            FirstAnswer(), None
        )  # warm-up: imports, the converter, the server's first accepts
        results.append(best(args.repeat, "one machine, c=64", lines, local(64)))
        started = time.monotonic()
        ray.init(num_cpus=2, logging_level=logging.WARNING)
        ray_start = time.monotonic() - started

        def on_ray(workers: int, concurrency: int, refresh: float = 0.05) -> Any:
            return lambda first, workers_cpu: run_batch_ray(
                source,
                out(),
                api_key=KEY,
                base_url=base,
                workers=workers,
                concurrency=concurrency,
                refresh=refresh,
                progress=first,
                monitor=workers_cpu,
            )

        for label, workers, concurrency, refresh in [
            ("Ray, 1 worker, c=64", 1, 64, 0.05),
            ("Ray, 2 workers, c=32 each", 2, 32, 0.05),
            ("Ray, 2 workers, c=64 each", 2, 64, 0.05),
            ("Ray, 2 workers, c=32 each, coordinator per attempt", 2, 32, 0.0),
        ]:
            result = best(args.repeat, label, lines, on_ray(workers, concurrency, refresh))
            result["per_worker"] = result["steady"] / workers
            results.append(result)
        ray.shutdown()
    finally:
        server.kill()
    head = [
        "run",
        "wall s",
        "first answer after s",
        "req/s",
        "req/s after the first answer",
        "per worker",
        "driver CPU us/req",
        "worker CPU us/req",
    ]
    rows = [
        [
            r["label"],
            f"{r['wall']:.1f}",
            f"{r['first']:.1f}",
            f"{r['rate']:,.0f}",
            f"{r['steady']:,.0f}",
            f"{r['per_worker']:,.0f}" if "per_worker" in r else "-",
            f"{r['driver_us']:.0f}",
            f"{r['worker_us']:.0f}" if r["worker_us"] is not None else "-",
        ]
        for r in results
    ]
    print(f"{lines:,} lines; starting the local Ray took {ray_start:.1f} s (not in the table)")
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=False)]
        for row in [head, *rows]:
            print("  ".join(x.ljust(w) for x, w in zip(row, widths, strict=False)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
