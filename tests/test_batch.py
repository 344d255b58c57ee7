"""Batch runs from JSONL files (`sequrity.batch`), as a library and through the CLI."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from sequrity import AsyncSequrityClient, SequrityClient, SequrityValidationError
from sequrity.batch import run_batch, run_batch_sync
from sequrity.testing import Emulator, ErrorReply

MODEL = "openai/gpt-5-mini"


def line(custom_id: str, text: str, **extra: Any) -> str:
    request = {"custom_id": custom_id, "messages": [{"role": "user", "content": text}], **extra}
    return json.dumps(request)


def write_input(path: Path, count: int, *, prefix: str = "r") -> list[str]:
    ids = [f"{prefix}{i}" for i in range(count)]
    path.write_text("".join(line(cid, f"question {cid}", model=MODEL) + "\n" for cid in ids))
    return ids


def read_output(path: Path) -> list[dict[str, Any]]:
    return [json.loads(raw) for raw in path.read_text().splitlines()]


def run_cli(*args: str, base_url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEQURITY_")}
    env["SEQURITY_API_KEY"] = "sq-batch-test"
    return subprocess.run(
        [sys.executable, "-m", "sequrity", "batch", *args, "--base-url", base_url],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


@pytest.mark.anyio
async def test_run_batch_writes_one_line_per_request(
    tmp_path: Path, client: AsyncSequrityClient, emulator: Emulator
):
    """Every request gets one output line with its custom_id and the response."""
    ids = write_input(tmp_path / "in.jsonl", 25)

    summary = await run_batch(client, tmp_path / "in.jsonl", tmp_path / "out.jsonl", concurrency=8)

    records = read_output(tmp_path / "out.jsonl")
    assert sorted(r["custom_id"] for r in records) == sorted(ids)
    by_id = {r["custom_id"]: r for r in records}
    content = by_id["r7"]["response"]["choices"][0]["message"]["content"]
    assert content == "Emulated answer to: question r7"
    assert (summary.succeeded, summary.failed, summary.skipped, summary.malformed) == (25, 0, 0, 0)
    assert summary.ok
    assert len(emulator.requests) == 25


@pytest.mark.anyio
async def test_failed_requests_become_error_lines(
    tmp_path: Path, client: AsyncSequrityClient, emulator: Emulator
):
    """A request the server refuses is written as an error line with type, status and request id."""
    emulator.script.responder(
        lambda call: (
            ErrorReply(status=400, detail="refused") if "r3" in call.last_user_text else None
        )
    )
    write_input(tmp_path / "in.jsonl", 6)

    summary = await run_batch(client, tmp_path / "in.jsonl", tmp_path / "out.jsonl")

    error = {r["custom_id"]: r for r in read_output(tmp_path / "out.jsonl")}["r3"]["error"]
    assert error["type"] == "BadRequestError"
    assert error["status_code"] == 400
    assert "refused" in error["message"]
    assert error["request_id"]
    assert (summary.succeeded, summary.failed, summary.ok) == (5, 1, False)


@pytest.mark.anyio
async def test_resume_skips_done_ids_and_repairs_a_truncated_last_line(
    tmp_path: Path, client: AsyncSequrityClient, emulator: Emulator
):
    """A rerun cuts off a partial last line, skips ids already written and sends only the rest."""
    ids = write_input(tmp_path / "in.jsonl", 12)
    out = tmp_path / "out.jsonl"
    done = [{"custom_id": cid, "response": {"earlier": True}} for cid in ids[:5]]
    partial = '{"custom_id": "r5", "respo'
    out.write_text("".join(json.dumps(d) + "\n" for d in done) + partial)

    summary = await run_batch(client, tmp_path / "in.jsonl", out, concurrency=4)

    records = read_output(out)
    assert sorted(r["custom_id"] for r in records) == sorted(ids)
    assert [r["response"] for r in records[:5]] == [{"earlier": True}] * 5
    assert (summary.skipped, summary.succeeded, summary.repaired_bytes) == (5, 7, len(partial))
    assert len(emulator.requests) == 7


@pytest.mark.anyio
async def test_malformed_lines_are_reported_with_line_numbers(
    tmp_path: Path, client: AsyncSequrityClient, emulator: Emulator
):
    """Bad JSON, missing/duplicate ids, bad urls and invalid requests are skipped and reported."""
    lines = [
        line("a", "fine", model=MODEL),
        "{not json",
        json.dumps({"messages": [], "model": MODEL}),
        line("a", "again", model=MODEL),
        json.dumps({"custom_id": "u", "url": "/v1/embeddings", "body": {"model": MODEL}}),
        json.dumps({"custom_id": "s", "messages": "not a list", "model": MODEL}),
        "",
        json.dumps(
            {
                "custom_id": "b",
                "method": "POST",
                "url": "/v1/chat/completions",
                "body": {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]},
            }
        ),
        line("nomodel", "x"),
    ]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")

    summary = await run_batch(client, tmp_path / "in.jsonl", tmp_path / "out.jsonl")

    reported = {p.line: p.reason for p in summary.problems}
    assert sorted(reported) == [2, 3, 4, 5, 6, 9]
    assert "not valid JSON" in reported[2]
    assert "custom_id" in reported[3]
    assert "duplicate custom_id 'a' (first on line 1)" in reported[4]
    assert "url" in reported[5]
    assert "messages" in reported[6]
    assert "model" in reported[9]
    assert sorted(r["custom_id"] for r in read_output(tmp_path / "out.jsonl")) == ["a", "b"]
    assert (summary.malformed, summary.succeeded) == (6, 2)
    assert len(emulator.requests) == 2


@pytest.mark.anyio
async def test_bad_arguments_are_validation_errors(tmp_path: Path, client: AsyncSequrityClient):
    """A missing input file, an unknown api or concurrency < 1 raise before anything is sent."""
    write_input(tmp_path / "in.jsonl", 1)

    with pytest.raises(SequrityValidationError, match="not found"):
        await run_batch(client, tmp_path / "missing.jsonl", tmp_path / "out.jsonl")
    with pytest.raises(SequrityValidationError, match="api"):
        await run_batch(client, tmp_path / "in.jsonl", tmp_path / "out.jsonl", api="nope")
    with pytest.raises(SequrityValidationError, match="concurrency"):
        await run_batch(client, tmp_path / "in.jsonl", tmp_path / "out.jsonl", concurrency=0)


def test_run_batch_sync_with_a_blocking_client(tmp_path: Path, sync_client: SequrityClient):
    """The blocking wrapper runs the same batch through a `SequrityClient`."""
    ids = write_input(tmp_path / "in.jsonl", 10)

    summary = run_batch_sync(sync_client, tmp_path / "in.jsonl", tmp_path / "out.jsonl")

    assert sorted(r["custom_id"] for r in read_output(tmp_path / "out.jsonl")) == sorted(ids)
    assert summary.succeeded == 10


def test_cli_runs_a_batch_and_prints_a_summary(tmp_path: Path, sequrity_emulator: Any):
    """`sequrity batch` writes every result, shows progress and a summary, and exits 0."""
    ids = write_input(tmp_path / "in.jsonl", 30)

    done = run_cli(
        str(tmp_path / "in.jsonl"),
        "--out",
        str(tmp_path / "out.jsonl"),
        "--concurrency",
        "6",
        base_url=sequrity_emulator.base_url,
    )

    assert done.returncode == 0, done.stderr
    assert sorted(r["custom_id"] for r in read_output(tmp_path / "out.jsonl")) == sorted(ids)
    assert "30/30 (100%) done, errors 0" in done.stderr
    assert "done 30 (succeeded 30, failed 0), skipped 0, malformed 0" in done.stderr


@pytest.mark.slow
def test_cli_exit_status_for_failures_and_usage_errors(tmp_path: Path, sequrity_emulator: Any):
    """Exit 1 when a line is malformed (reported with its number), 2 for usage errors."""
    (tmp_path / "in.jsonl").write_text(line("a", "x", model=MODEL) + "\n{oops\n")
    base_url = sequrity_emulator.base_url

    partial = run_cli(
        str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "o.jsonl"), base_url=base_url
    )
    missing = run_cli(
        str(tmp_path / "none.jsonl"), "--out", str(tmp_path / "o.jsonl"), base_url=base_url
    )
    bad = run_cli(str(tmp_path / "in.jsonl"), "--out", "o", "--concurrency", "0", base_url=base_url)

    assert partial.returncode == 1, partial.stderr
    assert "line 2: not valid JSON" in partial.stderr
    assert (missing.returncode, bad.returncode) == (2, 2)
    assert "input file not found" in missing.stderr


@pytest.mark.slow
def test_killed_run_resumes_without_losing_or_repeating(tmp_path: Path, sequrity_emulator: Any):
    """SIGKILL mid-run, then rerun: every custom_id appears exactly once; done ones are skipped."""
    ids = write_input(tmp_path / "in.jsonl", 300)
    out = tmp_path / "out.jsonl"
    sequrity_emulator.faults.always().delay(0.02)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEQURITY_")}
    env["SEQURITY_API_KEY"] = "sq-batch-test"
    args = [sys.executable, "-m", "sequrity", "batch", str(tmp_path / "in.jsonl")]
    args += ["--out", str(out), "--concurrency", "4", "--quiet"]
    args += ["--base-url", sequrity_emulator.base_url]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if out.exists() and out.read_bytes().count(b"\n") >= 40:
                break
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    time.sleep(0.1)  # let the emulator record requests the killed process had already sent
    kept = out.read_bytes()
    completed = kept.count(b"\n")
    assert 40 <= completed < 300
    sent_before = len(sequrity_emulator.requests)

    rerun = run_cli(
        str(tmp_path / "in.jsonl"),
        "--out",
        str(out),
        "--concurrency",
        "16",
        base_url=sequrity_emulator.base_url,
    )

    assert rerun.returncode == 0, rerun.stderr
    records = read_output(out)
    assert sorted(r["custom_id"] for r in records) == sorted(ids)
    assert all("response" in r for r in records)
    match = re.search(r"skipped (\d+)", rerun.stderr)
    assert match is not None, rerun.stderr
    assert int(match.group(1)) == completed
    assert len(sequrity_emulator.requests) - sent_before == 300 - completed
