"""
Deterministic cost per request: instructions counted by ``valgrind --tool=callgrind``.

CPU time moves by 20% between runs on a shared machine; instruction counts move by well under 1%,
so they are the figures to compare a change with. Each workload runs ``worker.py`` twice in a fresh
interpreter under callgrind (after the same warm-up), once with ``--n`` more requests than the
other; the difference, divided by ``--n``, is the cost of one request (or one stream), free of
start-up, imports and warm-up. Only the client process is counted; the canned server
(``server.py``) runs in its own process, outside valgrind.

Workloads (``NAME``, or ``NAME+speed`` for ours with the ``[speed]`` extra):

- ``async1``, ``async32``, ``async256``: async chat requests at c=1, 32, 256;
- ``stream2``, ``stream21``, ``stream200``: chat streams of 2, 21 and 200 events, at c=32 (a
  stream's setup is ``stream2`` less two events; an event costs ``(stream21 - stream2) / 19``, and
  ``(stream200 - stream21) / 179`` in long streams);
- ``blocking``, ``blocking16``: blocking chat requests from one thread, and from 16 threads sharing
  one client;
- ``fanout``: `create_many` of chat requests at c=256 (bare: `gather` with a semaphore);
- ``first``: a whole new process, import and first chat answer (counted once, not a difference;
  our package's bytecode is compiled first, as an installed copy has it);
- ``bare-*`` of each: the floor (bare aiohttp + ``json``; ``bare-blocking`` is ``http.client``).

Usage: ``python benchmarks/instructions.py [--n 200] [--markdown] [WORKLOAD ...]``; with
``--keep DIR`` the callgrind files stay in DIR (``callgrind_annotate`` shows where the instructions
go). Requires valgrind.
"""

from __future__ import annotations

import argparse
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

from run import compile_package, start_server  # noqa: E402

#: name -> (worker workload, concurrency, events)
SHAPES: dict[str, tuple[str, int, int]] = {
    "async1": ("plain", 1, 0),
    "async32": ("plain", 32, 0),
    "async256": ("plain", 256, 0),
    "stream2": ("stream", 32, 2),
    "stream21": ("stream", 32, 21),
    "stream200": ("stream", 32, 200),
    "blocking": ("blocking", 1, 0),
    "blocking16": ("blocking", 16, 0),
    "fanout": ("fanout", 256, 0),
    "first": ("first", 1, 0),
}
DEFAULT = [
    *(f"bare-{s}" for s in SHAPES),
    *SHAPES,
    *(f"{s}+speed" for s in SHAPES),
]


def command(name: str, base: str, count: int) -> list[str]:
    """The worker command line of workload `name` sending `count` measured requests."""
    bare = name.startswith("bare-")
    speed = name.endswith("+speed")
    shape = name.removeprefix("bare-").removesuffix("+speed")
    workload, conc, events = SHAPES[shape]
    args = [sys.executable, str(HERE / "worker.py"), workload, base, str(count), str(conc)]
    if bare:
        args.append("--bare")
    if speed:
        args.append("--speed")
    if events:
        args += ["--events", str(events)]
    return args


def instructions(name: str, base: str, count: int, keep: Path | None) -> int:
    """Instructions of one worker process running `count` requests under callgrind."""
    with tempfile.TemporaryDirectory() as tmp:
        out = (keep or Path(tmp)) / f"callgrind.{name}.{count}"
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                *command(name, base, count),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=3600,
            cwd=tempfile.gettempdir(),
        )
        if done.returncode != 0:
            raise RuntimeError(f"{name} failed: {done.stderr[-2000:]}")
        match = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.MULTILINE)
        if match is None:
            raise RuntimeError(f"no instruction total in callgrind's output for {name}")
        return int(match.group(1))


def per_request(name: str, base: str, n: int, keep: Path | None) -> dict[str, Any]:
    """Instructions per request: the difference of two runs that differ by `n` requests."""
    if name.removeprefix("bare-").removesuffix("+speed") == "first":
        return {"workload": name, "per_request": instructions(name, base, 1, keep), "n": 1}
    conc = SHAPES[name.removeprefix("bare-").removesuffix("+speed")][1]
    small_n = max(200, conc)
    small = instructions(name, base, small_n, keep)
    large = instructions(name, base, small_n + n, keep)
    return {"workload": name, "per_request": (large - small) / n, "n": n}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1] if __doc__ else None)
    parser.add_argument("workloads", nargs="*", help="workload names (default: all)")
    parser.add_argument("--n", type=int, default=200, help="requests measured per workload")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--keep", type=Path, help="keep the callgrind files in this directory")
    args = parser.parse_args()
    names = args.workloads or DEFAULT
    unknown = [w for w in names if w.removeprefix("bare-").removesuffix("+speed") not in SHAPES]
    if unknown:
        parser.error(f"unknown workload(s): {', '.join(unknown)}")
    if shutil.which("valgrind") is None:
        print("instructions.py: valgrind is not installed", file=sys.stderr)
        return 2
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    compile_package()
    proc, base = start_server()
    try:
        rows = [per_request(w, base, args.n, args.keep) for w in names]
    finally:
        proc.terminate()
        proc.wait()
    by_name = {r["workload"]: r["per_request"] for r in rows}
    if args.markdown:
        print("| workload | instructions per unit | x bare |")
        print("|---|---|---|")
    for r in rows:
        name = r["workload"]
        shape = name.removeprefix("bare-").removesuffix("+speed")
        bare = by_name.get(f"bare-{shape}")
        ratio = f"{r['per_request'] / bare:.2f}" if bare and not name.startswith("bare") else "-"
        unit = {"stream21": "stream", "stream200": "stream", "first": "process"}.get(
            shape, "request"
        )
        per = r["per_request"] / 1000
        if args.markdown:
            print(f"| {name} | {per:,.0f}k per {unit} | {ratio} |")
        else:
            print(f"{name:18} {per:10,.1f}k instructions per {unit}  x bare {ratio}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
