"""The standalone emulator's command line (`sequrity emulator`, `python -m sequrity.testing`)."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from cli_helpers import EMULATOR_COMMANDS, run_sequrity, standalone_emulator

COMMANDS = sorted(EMULATOR_COMMANDS)


def run_emulator_command(command: str, *args: str):  # type: ignore[no-untyped-def]
    """Run one of the two emulator commands to completion."""
    module, *rest = EMULATOR_COMMANDS[command][1:]
    return run_sequrity(*rest, *args, module=module)


def chat_status(base_url: str, key: str) -> int:
    """Send one chat completion with bearer token `key`; return the status."""
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    request = urllib.request.Request(
        base_url + "/control/chat/v1/chat/completions",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A loopback port another socket is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


@pytest.mark.parametrize("command", COMMANDS)
def test_both_emulator_commands_document_one_default_port_and_the_same_flags(command: str):
    """Both entry points describe the emulator, default to port 8765 and take the same flags."""
    done = run_emulator_command(command, "--help")

    assert done.returncode == 0
    assert "local emulator of the Sequrity Control API" in done.stdout
    assert "default 8765" in done.stdout
    for flag in ("--host", "--port", "--api-key", "--script"):
        assert flag in done.stdout
    assert "example" in done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS)
def test_emulator_says_where_it_listens_and_accepts_only_the_given_keys(command: str):
    """The listening line names the URL and the key rule; --api-key restricts the tokens."""
    with standalone_emulator("--api-key", "k1", "--api-key", "k2", command=command) as emu:
        statuses = [chat_status(emu.url, key) for key in ("k1", "k2", "other")]

    assert statuses == [200, 200, 401]
    assert emu.line.startswith("Sequrity emulator listening on http://127.0.0.1:")
    assert "accepts API keys: 2 given" in emu.line
    assert "SEQURITY_API_KEY=<one of your --api-key values>" in emu.rest
    assert "k1" not in emu.line + emu.rest
    assert emu.process.returncode == 0


@pytest.mark.slow
def test_listening_line_says_any_key_is_accepted_by_default():
    """Without --api-key the listening line says any key is accepted, and how to stop."""
    with standalone_emulator() as emu:
        status = chat_status(emu.url, "anything")

    assert status == 200
    assert "accepts any API key" in emu.line
    assert "Ctrl-C to stop" in emu.line
    assert emu.process.returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS)
def test_port_in_use_is_one_clear_error_line(command: str, busy_port: int):
    """A port that is taken gives one error line naming it, and exit status 2."""
    done = run_emulator_command(command, "--port", str(busy_port))

    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"sequrity: error: cannot listen on 127.0.0.1:{busy_port}: ")
    assert "--port 0" in lines[0]


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_invalid_port_is_one_clear_error_line(command: str, port: str):
    """A port outside 0..65535 (or not a number) gives one error line and exit status 2."""
    done = run_emulator_command(command, f"--port={port}")

    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("sequrity: error: argument --port: ")
    assert "0 to 65535" in lines[0]
    assert repr(port) in lines[0] or port in lines[0]
