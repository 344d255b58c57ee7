"""The command line, run in a subprocess as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from sequrity.testing import Emulator


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


def test_explicit_base_url_without_a_key_is_an_error_not_the_embedded_emulator(sequrity_emulator):
    """--base-url with no key is one clear error; nothing is sent and no emulator is started."""
    done = run("chat", "hi", "--base-url", sequrity_emulator.base_url)
    from_env = run("chat", "hi", env={"SEQURITY_BASE_URL": sequrity_emulator.base_url})

    for result in (done, from_env):
        assert result.returncode == 2
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"sequrity: error: no API key for {sequrity_emulator.base_url}")
        assert "--api-key" in lines[0]
    assert sequrity_emulator.requests == []


@pytest.mark.parametrize("suffix", ["/control", "/control/"])
def test_base_url_written_with_control_like_the_rest_reference_works(sequrity_emulator, suffix):
    """A base URL ending in /control (as the REST reference writes it) reaches the right route."""
    done = run(
        "chat",
        "what is 2 + 2",
        "--base-url",
        sequrity_emulator.base_url + suffix,
        env={"SEQURITY_API_KEY": "sq-cli"},
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "4"
    assert sequrity_emulator.requests[-1].path == "/control/chat/v1/chat/completions"


def test_not_found_message_shows_the_url_that_was_tried(sequrity_emulator):
    """A 404 says which URL was not found, so a wrong base URL is easy to spot."""
    wrong = sequrity_emulator.base_url + "/api"

    done = run("chat", "hi", "--base-url", wrong, env={"SEQURITY_API_KEY": "sq-cli"})

    assert done.returncode == 2
    assert f"{wrong}/control/chat/v1/chat/completions" in done.stderr
    assert "Traceback" not in done.stderr


def test_plain_http_refusal_names_the_command_line_flag():
    """Plain http to a remote host is refused with a message naming --allow-insecure-http."""
    done = run("chat", "hi", "--base-url", "http://0.0.0.0:9", "--api-key", "k")

    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "--allow-insecure-http" in lines[0]
    assert "allow_insecure_http=True" not in lines[0]


def test_allow_insecure_http_sends_over_plain_http_to_a_non_loopback_address():
    """With --allow-insecure-http the CLI talks to a plain-http server that is not loopback."""
    with Emulator.start_in_thread(host="0.0.0.0") as emu:
        url = f"http://0.0.0.0:{emu.port}"
        done = run(
            "chat", "what is 2 + 2", "--base-url", url, "--api-key", "k", "--allow-insecure-http"
        )
        sent = emu.requests

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "4"
    assert len(sent) == 1


@pytest.mark.parametrize("stream", [[], ["--stream"]])
def test_dual_llm_chat_prints_the_value_not_the_envelope(stream):
    """--dual-llm prints the result's value; --json prints the raw envelope instead."""
    plain = run("chat", "--dual-llm", *stream, "what is 6 + 7")
    raw = run("chat", "--dual-llm", "--json", *stream, "what is 6 + 7")

    assert plain.returncode == 0, plain.stderr
    assert plain.stdout == "13\n"
    assert raw.returncode == 0, raw.stderr
    envelope = json.loads(raw.stdout)
    assert envelope["status"] == "success"
    assert envelope["final_return_value"]["value"] == 13


def test_dual_llm_denial_prints_the_reason_and_exits_1(sequrity_emulator):
    """A policy denial prints the failure reason on stderr and exits 1 (not 0, not a dump)."""
    sequrity_emulator.script.final(
        None,
        status="failure",
        error={"code": "PolicyViolation", "message": "Tool call to 'send_email' is denied"},
    )

    done = run(
        "chat",
        "--dual-llm",
        "mail bob",
        "--base-url",
        sequrity_emulator.base_url,
        env={"SEQURITY_API_KEY": "sq-cli"},
    )

    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "sequrity: denied (PolicyViolation): Tool call to 'send_email' is denied"
    ]


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["chat"],
        ["batch"],
        ["emulator"],
        ["policy"],
        ["policy", "check"],
        ["policy", "fmt"],
        ["policy", "eval"],
    ],
)
def test_every_command_help_has_a_description_examples_and_exit_statuses(args):
    """Each --help says what the command does, shows an example and lists exit statuses."""
    done = run(*args, "--help")

    assert done.returncode == 0
    usage, _, rest = done.stdout.partition("\n\n")
    assert usage.startswith("usage: sequrity")
    description = rest.split("\n\n", 1)[0]
    assert not description.startswith(("positional arguments", "options")), done.stdout
    assert "example" in done.stdout
    assert "exit status" in done.stdout


def test_usage_mistakes_are_one_error_line():
    """An unknown option is one `sequrity: error:` line, not a usage dump, with status 2."""
    done = run("chat", "hi", "--no-such-flag")

    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("sequrity: error: unrecognized arguments: --no-such-flag")
