"""
`sequrity batch --engine ray` on a real local Ray cluster (two worker processes) against the
emulator: every line answered exactly once, a 429 pausing every worker, a worker process killed,
and the driver killed and the run resumed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import clean_env
from scale_helpers import KEY, records, write_input

pytest.importorskip("ray", reason="needs ray: pip install 'sequrity[ray]'")

from sequrity.batch_ray import ClusterStatus, WorkerStatus, run_batch_ray

# The thread method: a test stuck inside Ray's C++ code never runs Python signal handlers, so a
# hang must be ended from another thread (it fails the session rather than stalling CI).
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300, method="thread")]

LINES = 5000


def answered_once(out: Path, ids: list[str]) -> bool:
    """Every id has exactly one line in `out`, and every line is a response."""
    lines = records(out)
    return sorted(r["custom_id"] for r in lines) == sorted(ids) and all(
        "response" in r for r in lines
    )


def test_5000_lines_through_two_workers_are_each_answered_once(
    tmp_path: Path, sequrity_emulator: Any, ray_address: str
):
    """Two workers share 5,000 requests in blocks of 250; each request has one line, sent once."""
    ids = write_input(tmp_path / "in.jsonl", LINES)

    summary = run_batch_ray(
        tmp_path / "in.jsonl",
        tmp_path / "out.jsonl",
        api_key=KEY,
        base_url=sequrity_emulator.base_url,
        workers=2,
        concurrency=16,
        block_size=250,
    )

    assert answered_once(tmp_path / "out.jsonl", ids)
    assert (summary.succeeded, summary.failed, summary.blocks, summary.ok) == (LINES, 0, 20, True)
    assert len(sequrity_emulator.requests) == LINES
    assert len({w.pid for w in summary.workers}) == 2
    assert sum(w.requests for w in summary.workers) == LINES
    assert all(w.requests > 0 for w in summary.workers)


def test_a_429_seen_by_one_worker_pauses_every_worker_once(
    tmp_path: Path, sequrity_emulator: Any, ray_address: str
):
    """Once both workers are sending, one request gets a 429 (Retry-After 2): both pause once."""
    ids = write_input(tmp_path / "in.jsonl", LINES)
    armed: list[Any] = []

    def arm_when_both_send(status: ClusterStatus) -> None:
        if not armed and len(status.workers) == 2 and all(w.requests for w in status.workers):
            armed.append(sequrity_emulator.faults.next.status(429, retry_after=2))

    summary = run_batch_ray(
        tmp_path / "in.jsonl",
        tmp_path / "out.jsonl",
        api_key=KEY,
        base_url=sequrity_emulator.base_url,
        workers=2,
        concurrency=16,
        block_size=250,
        monitor=arm_when_both_send,
    )

    assert answered_once(tmp_path / "out.jsonl", ids)
    assert armed[0].hits == 1
    assert (summary.pauses, [w.pauses for w in summary.workers]) == (1, [1, 1])
    assert len(sequrity_emulator.requests) == LINES + 1  # the refused one, sent again


def test_a_killed_worker_process_is_replaced_and_every_line_is_answered_once(
    tmp_path: Path, sequrity_emulator: Any, ray_address: str
):
    """SIGKILL to a worker running blocks: Ray restarts it and sends its blocks again."""
    ids = write_input(tmp_path / "in.jsonl", LINES)
    killed: list[WorkerStatus] = []

    def kill_a_busy_worker(status: ClusterStatus) -> None:
        busy = [w for w in status.workers if w.blocks]
        if not killed and busy and sum(w.requests for w in status.workers) >= 1000:
            os.kill(busy[0].pid, signal.SIGKILL)
            killed.append(busy[0])

    summary = run_batch_ray(
        tmp_path / "in.jsonl",
        tmp_path / "out.jsonl",
        api_key=KEY,
        base_url=sequrity_emulator.base_url,
        workers=2,
        concurrency=16,
        block_size=250,
        monitor=kill_a_busy_worker,
    )

    assert answered_once(tmp_path / "out.jsonl", ids)
    victim = killed[0]
    replaced = summary.workers[victim.worker]
    assert (replaced.restarts, summary.restarts) == (1, 1)
    assert replaced.pid != victim.pid
    assert (summary.succeeded, summary.ok) == (LINES, True)


def test_a_killed_driver_resumes_and_every_line_is_answered_once(
    tmp_path: Path, sequrity_emulator: Any, ray_address: str
):
    """SIGKILL to `sequrity batch --engine ray` mid-run; the same command then completes it."""
    ids = write_input(tmp_path / "in.jsonl", LINES)
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "sequrity", "batch", str(tmp_path / "in.jsonl")]
    command += ["--out", str(out), "--engine", "ray", "--address", ray_address, "--workers", "2"]
    command += ["--concurrency", "8", "--block-size", "100", "--quiet"]
    command += ["--base-url", sequrity_emulator.base_url]
    env = clean_env({"SEQURITY_API_KEY": KEY})
    log = (tmp_path / "driver.log").open("wb")  # a file: a full pipe would stall the driver
    driver = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and driver.poll() is None:
            if out.exists() and out.read_bytes().count(b"\n") >= 1000:
                break
            time.sleep(0.05)
        driver.send_signal(signal.SIGKILL)
        driver.wait(timeout=30)
    finally:
        if driver.poll() is None:
            driver.kill()
        log.close()
    assert driver.returncode == -signal.SIGKILL
    kept = out.read_bytes().count(b"\n")
    assert 1000 <= kept < LINES

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=240)

    assert rerun.returncode == 0, rerun.stderr
    assert answered_once(out, ids)
    skipped = re.search(r"skipped (\d+)", rerun.stderr)
    assert skipped is not None, rerun.stderr
    assert int(skipped.group(1)) == kept


def test_a_run_whose_first_answers_are_all_refused_stops_and_writes_nothing(
    tmp_path: Path, sequrity_emulator: Any, ray_address: str
):
    """Every answer a 404 (a wrong base URL, say): the workers stop their blocks, the run stops
    after ten answers, and the results file stays empty so the next run sends them all."""
    write_input(tmp_path / "in.jsonl", LINES)
    sequrity_emulator.faults.always().status(404, "no such route")

    summary = run_batch_ray(
        tmp_path / "in.jsonl",
        tmp_path / "out.jsonl",
        api_key=KEY,
        base_url=sequrity_emulator.base_url,
        workers=2,
        concurrency=4,
        block_size=250,
    )

    assert summary.stopped is not None
    assert "the first 10 requests all failed with NotFoundError (HTTP 404)" in summary.stopped
    assert (summary.succeeded, summary.failed) == (0, 0)
    assert (tmp_path / "out.jsonl").read_text() == ""
    # Two workers, two blocks each, each block stopping at its tenth answer with at most four
    # requests of its worker in flight: never the whole file.
    assert len(sequrity_emulator.requests) <= 2 * 2 * 10 + 2 * 4
