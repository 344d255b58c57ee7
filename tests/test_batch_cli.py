"""`sequrity batch` when things go wrong: bad paths, doomed runs, retries, Ctrl-C, damaged output."""

from __future__ import annotations

import json
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import clean_env, run_sequrity

from sequrity import AsyncSequrityClient, SequrityValidationError
from sequrity.batch import run_batch
from sequrity.testing import Emulator, ErrorReply

MODEL = "openai/gpt-5-mini"


def write_input(path: Path, count: int) -> list[str]:
    """Write `count` chat requests r0..r<count-1>; return their custom ids."""
    ids = [f"r{i}" for i in range(count)]
    path.write_text(
        "".join(
            json.dumps(
                {
                    "custom_id": cid,
                    "model": MODEL,
                    "messages": [{"role": "user", "content": f"question {cid}"}],
                }
            )
            + "\n"
            for cid in ids
        )
    )
    return ids


def records(path: Path) -> list[dict[str, Any]]:
    """The output file's lines, decoded."""
    return [json.loads(raw) for raw in path.read_text().splitlines()]


def batch(*args: str, base_url: str, key: str = "sq-batch") -> subprocess.CompletedProcess[str]:
    """Run `sequrity batch ARGS --base-url URL` with an API key, quietly."""
    return run_sequrity(
        "batch", *args, "--quiet", "--base-url", base_url, env={"SEQURITY_API_KEY": key}
    )


def fail_ids(*ids: str, status: int = 400, detail: str = "refused"):  # type: ignore[no-untyped-def]
    """A responder failing the requests whose question names one of `ids`."""
    wanted = {f"question {i}" for i in ids}
    return lambda call: (
        ErrorReply(status=status, detail=detail) if call.last_user_text in wanted else None
    )


def test_out_in_a_missing_directory_is_one_error_line(tmp_path: Path, sequrity_emulator: Any):
    """--out in a directory that does not exist is one clear error line, exit 2, nothing sent."""
    write_input(tmp_path / "in.jsonl", 3)
    out = tmp_path / "no" / "such" / "dir" / "o.jsonl"

    done = batch(str(tmp_path / "in.jsonl"), "--out", str(out), base_url=sequrity_emulator.base_url)

    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"sequrity: error: output directory not found: {out.parent}"
    ]
    assert sequrity_emulator.requests == []


@pytest.mark.anyio
async def test_out_equal_to_the_input_is_refused(
    tmp_path: Path, client: AsyncSequrityClient, emulator: Emulator
):
    """The output file may not be the input file, however it is spelled; nothing is sent."""
    source = tmp_path / "in.jsonl"
    write_input(source, 2)
    before = source.read_text()
    (tmp_path / "sub").mkdir()

    for same in (source, tmp_path / "sub" / ".." / "in.jsonl"):
        with pytest.raises(SequrityValidationError, match="is the input file"):
            await run_batch(client, source, same)

    assert source.read_text() == before
    assert emulator.requests == []


def test_a_run_whose_api_key_is_refused_stops_at_once(tmp_path: Path):
    """401 on the first answer stops the run: few requests sent, nothing written, exit 2."""
    write_input(tmp_path / "in.jsonl", 60)
    out = tmp_path / "out.jsonl"

    with Emulator.start_in_thread(api_keys=["the-right-key"]) as emu:
        done = batch(
            str(tmp_path / "in.jsonl"), "--out", str(out), "--concurrency", "2",
            base_url=emu.base_url, key="a-wrong-key",
        )  # fmt: skip
        sent = len(emu.requests)

    assert done.returncode == 2
    assert sent <= 6
    assert "stopped early: the API key was refused (AuthenticationError (HTTP 401): " in done.stderr
    assert "run the same command again" in done.stderr
    assert not out.exists() or out.read_text() == ""


def test_a_run_where_every_request_is_a_bad_request_stops_early(
    tmp_path: Path, sequrity_emulator: Any
):
    """When the first 10 answers are all 400s (say a bad --model), the run stops early."""
    write_input(tmp_path / "in.jsonl", 80)
    sequrity_emulator.script.responder(lambda call: ErrorReply(status=400, detail="no such model"))

    done = batch(
        str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out.jsonl"), "--concurrency", "2",
        base_url=sequrity_emulator.base_url,
    )  # fmt: skip

    assert done.returncode == 2
    assert len(sequrity_emulator.requests) <= 16
    assert (
        "stopped early: the first 10 requests all failed with BadRequestError (HTTP 400): "
        "no such model" in done.stderr
    )


def test_bad_requests_for_some_lines_do_not_stop_the_run(tmp_path: Path, sequrity_emulator: Any):
    """Per-line 400s among successes are written as error lines; the run goes on to the end."""
    ids = write_input(tmp_path / "in.jsonl", 30)
    sequrity_emulator.script.responder(fail_ids(*ids[1::2]))

    done = batch(
        str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out.jsonl"),
        base_url=sequrity_emulator.base_url,
    )  # fmt: skip

    assert done.returncode == 1
    assert len(records(tmp_path / "out.jsonl")) == 30
    assert "stopped early" not in done.stderr


def test_summary_names_the_most_common_error_kinds(tmp_path: Path, sequrity_emulator: Any):
    """The summary counts failures by kind, most common first, with an example message."""
    write_input(tmp_path / "in.jsonl", 12)
    sequrity_emulator.script.responder(fail_ids("r1", "r2", "r3", detail="refused"))
    sequrity_emulator.script.responder(fail_ids("r4", status=403, detail="model not allowed"))

    done = batch(
        str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out.jsonl"),
        base_url=sequrity_emulator.base_url,
    )  # fmt: skip

    assert done.returncode == 1
    assert "done 12 (succeeded 8, failed 4)" in done.stderr
    assert (
        "most common errors: 3 BadRequestError (HTTP 400): refused; "
        "1 PermissionDeniedError (HTTP 403): model not allowed" in done.stderr
    )


@pytest.mark.slow
def test_retry_failed_sends_only_failed_lines_and_keeps_one_line_per_request(
    tmp_path: Path, sequrity_emulator: Any
):
    """--retry-failed resends the failed lines; each custom_id then has exactly one line."""
    ids = write_input(tmp_path / "in.jsonl", 20)
    out = tmp_path / "out.jsonl"
    sequrity_emulator.script.responder(fail_ids("r3", "r7", "r11", status=503, detail="busy"))
    first = batch(
        str(tmp_path / "in.jsonl"), "--out", str(out), base_url=sequrity_emulator.base_url
    )
    sequrity_emulator.script.clear()
    sent_before = len(sequrity_emulator.requests)

    plain = batch(
        str(tmp_path / "in.jsonl"), "--out", str(out), base_url=sequrity_emulator.base_url
    )
    retried = batch(
        str(tmp_path / "in.jsonl"), "--out", str(out), "--retry-failed",
        base_url=sequrity_emulator.base_url,
    )  # fmt: skip

    assert first.returncode == 1
    assert plain.returncode == 0
    assert "skipped 20" in plain.stderr
    assert retried.returncode == 0, retried.stderr
    assert "retrying 3 failed requests" in retried.stderr
    lines = records(out)
    assert sorted(r["custom_id"] for r in lines) == sorted(ids)
    assert all("response" in r for r in lines)
    assert len(sequrity_emulator.requests) - sent_before == 3


@pytest.mark.slow
def test_retry_failed_survives_a_killed_run_without_losing_or_repeating_lines(
    tmp_path: Path, sequrity_emulator: Any
):
    """Killing a --retry-failed run midway, then rerunning, still leaves one line per request."""
    ids = write_input(tmp_path / "in.jsonl", 120)
    out = tmp_path / "out.jsonl"
    failing = ids[::2]
    sequrity_emulator.script.responder(fail_ids(*failing, status=503, detail="busy"))
    first = batch(
        str(tmp_path / "in.jsonl"), "--out", str(out), base_url=sequrity_emulator.base_url
    )
    assert first.returncode == 1
    sequrity_emulator.script.clear()
    sequrity_emulator.faults.always().delay(0.02)
    command = [sys.executable, "-m", "sequrity", "batch", str(tmp_path / "in.jsonl")]
    command += ["--out", str(out), "--retry-failed", "--concurrency", "2", "--quiet"]
    command += ["--base-url", sequrity_emulator.base_url]
    env = clean_env({"SEQURITY_API_KEY": "sq-batch"})
    with subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as proc:
        # Synchronise on the output: kill once some retried lines have landed.
        assert proc.stderr is not None
        for line in proc.stderr:
            if "retrying 60 failed requests" in line:
                break
        while out.read_text().count('"response":{') < 60 + 10:
            assert proc.poll() is None, "the run ended before it could be killed"
            time.sleep(0.01)
        proc.kill()
    sequrity_emulator.faults.clear()

    rerun = batch(
        str(tmp_path / "in.jsonl"), "--out", str(out), "--retry-failed",
        base_url=sequrity_emulator.base_url,
    )  # fmt: skip

    assert rerun.returncode == 0, rerun.stderr
    lines = records(out)
    assert sorted(r["custom_id"] for r in lines) == sorted(ids)
    assert all("response" in r for r in lines)


@pytest.mark.slow
def test_ctrl_c_says_what_was_saved_and_how_to_resume(tmp_path: Path, sequrity_emulator: Any):
    """SIGINT prints how many results were saved and the exact command to resume; it works."""
    ids = write_input(tmp_path / "in.jsonl", 200)
    out = tmp_path / "out.jsonl"
    sequrity_emulator.faults.always().delay(0.02)
    args = ["batch", str(tmp_path / "in.jsonl"), "--out", str(out), "--concurrency", "2"]
    args += ["--quiet", "--base-url", sequrity_emulator.base_url]
    env = clean_env({"SEQURITY_API_KEY": "sq-batch"})
    with subprocess.Popen(
        [sys.executable, "-m", "sequrity", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        while not out.exists() or out.read_text().count("\n") < 10:
            assert proc.poll() is None, "the run ended before it could be interrupted"
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    sequrity_emulator.faults.clear()

    assert proc.returncode == 130
    saved = out.read_text().count("\n")
    assert f"sequrity batch: interrupted: {saved} of 200 requests have a result in {out}" in err
    assert "Traceback" not in err
    resume = err.split("resume with: ", 1)[1].splitlines()[0]
    assert resume == shlex.join(["sequrity", *args])
    finished = run_sequrity(*shlex.split(resume)[1:], env={"SEQURITY_API_KEY": "sq-batch"})
    assert finished.returncode == 0, finished.stderr
    assert sorted(r["custom_id"] for r in records(out)) == sorted(ids)


def test_a_corrupted_line_in_the_output_is_reported_and_kept(
    tmp_path: Path, sequrity_emulator: Any
):
    """A damaged line in the middle of --out is reported with its number, kept, and not counted."""
    ids = write_input(tmp_path / "in.jsonl", 4)
    out = tmp_path / "out.jsonl"
    good = json.dumps({"custom_id": "r0", "response": {"earlier": True}})
    garbage = '{"custom_id": "r1", "resp\x00onse'
    out.write_text(f"{good}\n{garbage}\n{good.replace('r0', 'r2')}\n")

    done = batch(str(tmp_path / "in.jsonl"), "--out", str(out), base_url=sequrity_emulator.base_url)

    assert done.returncode == 0, done.stderr
    assert (
        f"sequrity batch: {out} line 2 is not a result line (not valid JSON); "
        "kept as is and not counted as a result" in done.stderr
    )
    text = out.read_text()
    assert garbage in text
    ids_written = [
        r["custom_id"] for r in map(json.loads, text.splitlines()[:1] + text.splitlines()[2:])
    ]
    assert sorted(ids_written) == sorted(ids)
    assert len(sequrity_emulator.requests) == 2


def test_keep_going_sends_every_request_even_when_all_fail(tmp_path: Path, sequrity_emulator: Any):
    """--keep-going turns early stopping off: every line is sent and gets its error line."""
    write_input(tmp_path / "in.jsonl", 15)
    sequrity_emulator.script.responder(lambda call: ErrorReply(status=400, detail="no such model"))

    done = batch(
        str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out.jsonl"), "--keep-going",
        base_url=sequrity_emulator.base_url,
    )  # fmt: skip

    assert done.returncode == 1
    assert len(sequrity_emulator.requests) == 15
    assert len(records(tmp_path / "out.jsonl")) == 15
    assert "most common errors: 15 BadRequestError (HTTP 400): no such model" in done.stderr
