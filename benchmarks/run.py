"""
Benchmarks side by side in one run: our async and blocking clients, a bare aiohttp baseline, and the
official ``sequrity`` 0.4.2 package (installed on first use into ``benchmarks/.venv-official``; it has
our import name, so it runs in its own interpreter). Every contender runs the same workload code
(``worker.py``) in a fresh process against the same fast local server (``server.py``).

Usage: ``python benchmarks/run.py [--quick] [--no-official] [--markdown]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
OFFICIAL_VENV = HERE / ".venv-official"
OFFICIAL_SPEC = "sequrity==0.4.2"
EVENTS = 20


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


def work(python: str, workload: str, base: str, n: int, conc: int, *extra: str) -> dict[str, float]:
    # Run outside the repository so the official interpreter imports its own `sequrity`.
    done = subprocess.run(
        [python, str(HERE / "worker.py"), workload, base, str(n), str(conc), *extra],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{workload} failed in {python}: {done.stderr[-1500:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def best_of(runs: int, *args: object) -> dict[str, float]:
    results = [work(*args) for _ in range(runs)]  # type: ignore[arg-type]
    return min(results, key=lambda r: r.get("cpu", r.get("import_s", 0)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke run")
    parser.add_argument("--no-official", action="store_true", help="skip the official SDK")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    scale = 0.1 if args.quick else 1.0
    runs = 1 if args.quick else 3

    def n(count: int) -> int:
        return max(int(count * scale), 20)

    ours = sys.executable
    official = None if args.no_official else official_python()
    proc, base = start_server()
    rows: list[tuple[str, str, dict[str, float], str]] = []
    try:
        plan = [
            ("async, c=1", "plain", n(2000), 1, "request"),
            ("async, c=32", "plain", n(6000), 32, "request"),
            ("async, c=256", "plain", n(6000), 256, "request"),
            (f"stream ({EVENTS} events), c=16", "stream", n(600), 16, "event"),
            ("fan-out 10,000, c=256", "fanout", n(10000), 256, "request"),
        ]
        for label, workload, count, conc, unit in plan:
            rows.append(
                (
                    label,
                    "bare aiohttp",
                    best_of(runs, ours, workload, base, count, conc, "--bare"),
                    unit,
                )
            )
            rows.append((label, "sequrity", best_of(runs, ours, workload, base, count, conc), unit))
            if official:
                off_count = max(count // 4, 20)
                rows.append(
                    (
                        label,
                        "official 0.4.2",
                        best_of(runs, official, workload, base, off_count, conc),
                        unit,
                    )
                )
        for label, threads, count in (
            ("blocking, 1 thread", 1, n(2000)),
            ("blocking, 16 threads", 16, n(4000)),
        ):
            rows.append(
                (
                    label,
                    "sequrity",
                    best_of(runs, ours, "blocking", base, count, threads),
                    "request",
                )
            )
            if official:
                rows.append(
                    (
                        label,
                        "official 0.4.2",
                        best_of(runs, official, "blocking", base, max(count // 2, 20), threads),
                        "request",
                    )
                )
        imports = {"sequrity": best_of(5, ours, "import", base, 0, 0)["import_s"]}
        if official:
            imports["official 0.4.2"] = best_of(5, official, "import", base, 0, 0)["import_s"]
    finally:
        proc.terminate()
        proc.wait()
    report(rows, imports, args.markdown)
    return 0


def report(
    rows: list[tuple[str, str, dict[str, float], str]], imports: dict[str, float], markdown: bool
) -> None:
    by_label: dict[str, dict[str, dict[str, float]]] = {}
    units: dict[str, str] = {}
    for label, who, r, unit in rows:
        by_label.setdefault(label, {})[who] = r
        units[label] = unit
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"server and client in separate processes on loopback"
    )
    head = [
        "workload",
        "client",
        "req/s",
        "CPU us/unit",
        "x bare CPU",
        "x official req/s",
        "peak MB",
    ]
    lines = []
    for label, contenders in by_label.items():
        per = EVENTS if units[label] == "event" else 1
        bare = contenders.get("bare aiohttp")
        off = contenders.get("official 0.4.2")
        for who, r in contenders.items():
            rate = r["n"] / r["wall"]
            cpu_us = r["cpu"] / (r["n"] * per) * 1e6
            vs_bare = f"{cpu_us / (bare['cpu'] / (bare['n'] * per) * 1e6):.2f}" if bare else "-"
            vs_off = (
                f"{rate / (off['n'] / off['wall']):.1f}" if off and who != "official 0.4.2" else "-"
            )
            peak = f"{r.get('peak_growth_kb', 0) / 1024:.1f}"
            lines.append([label, who, f"{rate:,.0f}", f"{cpu_us:.1f}", vs_bare, vs_off, peak])
    for who, seconds in imports.items():
        lines.append(["import sequrity", who, "-", f"{seconds * 1000:.0f} ms", "-", "-", "-"])
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
