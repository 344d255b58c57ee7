"""
Benchmarks side by side in one run: a bare baseline (aiohttp + ``json``; ``http.client`` for the
blocking workloads), our clients, our clients with the ``[speed]`` extra (uvloop and orjson), and
the official ``sequrity`` 0.4.2 package (installed on first use into ``benchmarks/.venv-official``;
it has our import name, so it runs in its own interpreter). Every contender runs the same workload
code (``worker.py``) in a fresh process against the same fast local server (``server.py``), and the
rounds are interleaved (every contender once per round), keeping each one's best.

Usage: ``python benchmarks/run.py [--quick] [--scale 1.0] [--rounds 3] [--no-official] [--markdown]
[--only TEXT]``.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OFFICIAL_VENV = HERE / ".venv-official"
OFFICIAL_SPEC = "sequrity==0.4.2"
EVENTS = 21
BARE, OURS, SPEED, OFFICIAL = "bare", "sequrity", "sequrity[speed]", "official 0.4.2"


def compile_package() -> None:
    """
    Write the bytecode of the ``sequrity`` package this interpreter imports, as ``pip install``
    does: an editable checkout under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every
    module from source in every fresh worker, which no installed copy does (the official SDK's
    virtual environment has its bytecode), and the cold-start figures would measure the compiler.
    """
    spec = importlib.util.find_spec("sequrity")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            compileall.compile_dir(location, quiet=1)


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    port_file = Path(tempfile.mkdtemp()) / "port"
    proc = subprocess.Popen([sys.executable, str(HERE / "server.py"), str(port_file), str(EVENTS)])
    for _ in range(300):
        if port_file.exists() and port_file.read_text():
            return proc, f"http://127.0.0.1:{port_file.read_text()}"
        time.sleep(0.02)
    proc.kill()
    raise RuntimeError("the benchmark server did not start")


def official_python() -> str | None:
    python = OFFICIAL_VENV / "bin" / "python"
    if not python.exists():
        print(f"installing {OFFICIAL_SPEC} into {OFFICIAL_VENV} ...", file=sys.stderr)
        venv.create(OFFICIAL_VENV, with_pip=True)
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", OFFICIAL_SPEC],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            print(f"could not install {OFFICIAL_SPEC}: {done.stderr[-500:]}", file=sys.stderr)
            return None
    return str(python)


def work(python: str, workload: str, base: str, n: int, conc: int, *extra: str) -> dict[str, Any]:
    # Run outside the repository, and without a PYTHONPATH that may name a checkout of ours, so
    # the official interpreter imports its own `sequrity`.
    env = dict(os.environ)
    if python != sys.executable:
        env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [python, str(HERE / "worker.py"), workload, base, str(n), str(conc), *extra],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        timeout=1800,
        env=env,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{workload} failed in {python}: {done.stderr[-1500:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


#: label, worker workload, requests, concurrency, events per stream, unit, contenders
Plan = tuple[str, str, int, int, int, str, tuple[str, ...]]


def plan(scale: float) -> list[Plan]:
    def n(count: int) -> int:
        return max(int(count * scale), 40)

    every = (BARE, OURS, SPEED, OFFICIAL)
    return [
        ("async chat, c=1", "plain", n(2000), 1, 0, "request", every),
        ("async chat, c=32", "plain", n(6000), 32, 0, "request", every),
        ("async chat, c=256", "plain", n(6000), 256, 0, "request", every),
        ("stream, 21 events, c=32", "stream", n(600), 32, 21, "event", every),
        ("stream, 200 events, c=32", "stream", n(150), 32, 200, "event", every),
        ("blocking, sequential", "blocking", n(2000), 1, 0, "request", every),
        ("blocking, 16 threads", "blocking", n(4000), 16, 0, "request", every),
        ("fan-out 10,000, c=256", "fanout", n(10000), 256, 0, "request", every),
        ("first answer in a new process", "first", 0, 0, 0, "ms", every),
        ("memory", "memory", 50, 0, 0, "KB", every),
    ]


def args_for(who: str, workload: str, events: int) -> tuple[str, ...]:
    extra: list[str] = []
    if who == BARE:
        extra.append("--bare")
    if who == SPEED:
        extra.append("--speed")
    if events:
        extra += ["--events", str(events)]
    return tuple(extra)


def better(a: dict[str, Any] | None, b: dict[str, Any]) -> dict[str, Any]:
    if a is None:
        return b
    key = next(k for k in ("cpu", "first_s", "client_kb") if k in b)
    return b if b[key] < a[key] else a


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small counts, one round")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the request counts")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (best kept)")
    parser.add_argument("--no-official", action="store_true", help="skip the official SDK")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--only", help="run only the workloads whose label contains this")
    args = parser.parse_args()
    scale, rounds = (0.1, 1) if args.quick else (args.scale, args.rounds)
    has_speed = all(importlib.util.find_spec(m) for m in ("uvloop", "orjson"))
    interpreters = {BARE: sys.executable, OURS: sys.executable}
    if has_speed:
        interpreters[SPEED] = sys.executable
    official = None if args.no_official else official_python()
    if official:
        interpreters[OFFICIAL] = official
    workloads = [p for p in plan(scale) if not args.only or args.only in p[0]]
    compile_package()
    proc, base = start_server()
    best: dict[tuple[str, str], dict[str, Any]] = {}
    try:
        for round_no in range(rounds):
            for label, workload, count, conc, events, _unit, contenders in workloads:
                for who in contenders:
                    python = interpreters.get(who)
                    if python is None:
                        continue
                    # The official client is slow: a quarter of the requests (half, blocking).
                    share = 4 if workload in ("plain", "stream", "fanout") else 2
                    n = max(count // share, 20) if who == OFFICIAL and count else count
                    extra = args_for(who, workload, events)
                    try:
                        result = work(python, workload, base, n, conc, *extra)
                    except RuntimeError as exc:  # one contender failing spoils no other figure
                        print(f"{label} / {who} failed: {exc}", file=sys.stderr)
                        continue
                    best[(label, who)] = better(best.get((label, who)), result)
                    print(
                        f"round {round_no + 1}: {label} / {who}: {json.dumps(result)}",
                        file=sys.stderr,
                    )
    finally:
        proc.terminate()
        proc.wait()
    report(workloads, best, args.markdown)
    return 0


def row(unit: str, events: int, r: dict[str, Any]) -> tuple[float, str, str]:
    """The figure compared (lower is better), the rate, and an extra column."""
    if unit == "ms":
        return r["first_s"] * 1000, "-", "-"
    if unit == "KB":
        return r["client_kb"], "-", f"{r['stream_kb']:.1f} KB per open stream"
    per = events if unit == "event" else 1
    rate = f"{r['n'] / r['wall']:,.0f}"
    peak = f"peak +{r.get('peak_growth_kb', 0) / 1024:.1f} MB"
    return r["cpu"] / (r["n"] * per) * 1e6, rate, peak


def report(
    workloads: list[Plan], best: dict[tuple[str, str], dict[str, Any]], markdown: bool
) -> None:
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"server and client in separate processes on loopback"
    )
    head = ["workload", "client", "req/s", "figure", "x bare", "x official", "notes"]
    lines = []
    for label, _workload, _count, _conc, events, unit, contenders in workloads:
        figures = {
            who: row(unit, events, best[(label, who)]) for who in contenders if (label, who) in best
        }
        bare = figures.get(BARE)
        off = figures.get(OFFICIAL)
        name = {"request": "CPU us/request", "event": "CPU us/event", "ms": "ms", "KB": "KB/client"}
        for who, (figure, rate, note) in figures.items():
            vs_bare = f"{figure / bare[0]:.2f}" if bare and bare[0] else "-"
            vs_off = f"{figure / off[0]:.2f}" if off and off[0] and who != OFFICIAL else "-"
            shown = f"{figure:,.1f} {name[unit]}"
            lines.append([label, who, rate, shown, vs_bare, vs_off, note])
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(str(x)) for x in col) for col in zip(head, *lines, strict=False)]
        for line in [head, *lines]:
            print("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=False)))


if __name__ == "__main__":
    sys.exit(main())
