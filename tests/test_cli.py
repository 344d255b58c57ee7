"""The command line, run in a subprocess as a user would."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SEQURITY_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "sequrity", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=full_env,
        check=False,
    )


def test_chat_without_api_key_uses_embedded_emulator_and_says_so():
    """With no key configured the CLI answers through the embedded emulator and prints one notice."""
    done = run("chat", "What is the largest prime number below 100?")

    assert done.returncode == 0, done.stderr
    assert "97" in done.stdout
    notices = [line for line in done.stderr.splitlines() if "embedded emulator" in line]
    assert len(notices) == 1


def test_chat_stream_prints_the_same_answer():
    """--stream prints the same text as the plain call."""
    plain = run("chat", "what is 6 + 7")
    streamed = run("chat", "--stream", "what is 6 + 7")

    assert streamed.returncode == 0, streamed.stderr
    assert streamed.stdout == plain.stdout


def test_chat_with_api_key_talks_to_the_given_base_url(sequrity_emulator):
    """With a key and --base-url, the CLI sends to that server and prints no emulator notice."""
    done = run(
        "chat",
        "--base-url",
        sequrity_emulator.base_url,
        "--provider",
        "openai",
        "what is 2 + 2",
        env={"SEQURITY_API_KEY": "sq-cli"},
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "4"
    assert "emulator" not in done.stderr
    sent = sequrity_emulator.requests[-1]
    assert sent.path == "/control/chat/openai/v1/chat/completions"
    assert sent.headers["Authorization"] == "Bearer sq-cli"


def test_api_errors_exit_with_status_2_and_a_message(sequrity_emulator):
    """A server error becomes a one-line message on stderr and exit status 2."""
    sequrity_emulator.script.error(403, "model not allowed")

    done = run(
        "chat", "--base-url", sequrity_emulator.base_url, "hi", env={"SEQURITY_API_KEY": "sq-cli"}
    )

    assert done.returncode == 2
    assert "model not allowed" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("args", [["--version"], ["chat", "--help"], ["emulator", "--help"]])
def test_help_and_version_exit_cleanly(args):
    """--version and --help work for the main commands."""
    done = run(*args)

    assert done.returncode == 0
    assert done.stdout
