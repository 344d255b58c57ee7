"""Tests for the emulator lifecycle: async context, background thread, pytest fixtures, CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
import urllib.error
import urllib.request

import aiohttp
import pytest
from emulator_helpers import AUTH, CHAT, body, post

from sequrity.testing import Emulator, RunningEmulator


def _get(url: str) -> tuple[int, object]:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.status, json.loads(resp.read())


def _post_chat(base_url: str, text: str) -> dict[str, object]:
    request = urllib.request.Request(
        base_url + CHAT,
        data=json.dumps(body(text)).encode(),
        headers={**AUTH, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as resp:
        data: dict[str, object] = json.loads(resp.read())
        return data


@pytest.mark.anyio
async def test_async_context_binds_loopback_port_zero(http: aiohttp.ClientSession) -> None:
    """Emulator() binds 127.0.0.1 on a free port and stops serving on exit."""
    async with Emulator() as emu:
        base_url = emu.base_url
        status, _, _ = await post(http, emu, body())

    assert base_url.startswith("http://127.0.0.1:")
    assert emu.port > 0
    assert status == 200
    with pytest.raises(aiohttp.ClientConnectionError):
        async with http.get(base_url + "/health"):
            pass


@pytest.mark.anyio
async def test_base_url_before_start_raises() -> None:
    """Reading base_url before starting says how to start the emulator."""
    with pytest.raises(RuntimeError, match="not running"):
        _ = Emulator().base_url


@pytest.mark.anyio
async def test_double_start_raises() -> None:
    """Starting a running emulator again is refused."""
    async with Emulator() as emu:
        with pytest.raises(RuntimeError, match="already running"):
            await emu.start()


def test_thread_runner_serves_blocking_code() -> None:
    """start_in_thread serves blocking clients and stops cleanly (idempotently)."""
    with Emulator.start_in_thread() as running:
        running.script.reply("from a thread")
        data = _post_chat(running.base_url, "hi")
        recorded = running.requests

    running.stop()
    assert data["choices"] == [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "from a thread", "refusal": None},
            "finish_reason": "stop",
            "logprobs": None,
        }
    ]
    assert [r.path for r in recorded] == [CHAT]
    with pytest.raises(urllib.error.URLError):
        _get(running.base_url + "/health")


@pytest.mark.anyio
async def test_thread_runner_from_async_code(http: aiohttp.ClientSession) -> None:
    """A RunningEmulator can be used from async tests on another loop."""
    running = Emulator.start_in_thread()
    try:
        async with http.get(running.base_url + "/health") as resp:
            status = resp.status
        sessions = len(running.sessions)
    finally:
        running.stop()

    assert (status, sessions) == (200, 0)


def test_fixture_is_fresh_and_usable_sync(sequrity_emulator: RunningEmulator) -> None:
    """The plugin's sequrity_emulator fixture starts empty and serves sync code."""
    assert sequrity_emulator.requests == []

    status, data = _get(sequrity_emulator.base_url + "/health")

    assert (status, data) == (200, {"status": "ok"})


@pytest.mark.anyio
async def test_fixture_usable_from_async_tests(
    sequrity_emulator: RunningEmulator, http: aiohttp.ClientSession
) -> None:
    """The fixture also serves async tests."""
    sequrity_emulator.script.reply("async ok")

    async with http.post(sequrity_emulator.base_url + CHAT, json=body(), headers=AUTH) as resp:
        data = await resp.json()

    assert data["choices"][0]["message"]["content"] == "async ok"


def test_env_fixture_points_at_the_emulator(sequrity_env: RunningEmulator) -> None:
    """sequrity_env exports SEQURITY_BASE_URL and SEQURITY_API_KEY for the emulator."""
    assert os.environ["SEQURITY_BASE_URL"] == sequrity_env.base_url
    assert os.environ["SEQURITY_API_KEY"]


def test_module_entry_point_serves_and_terminates() -> None:
    """python -m sequrity.testing prints its URL, serves /health and exits on terminate."""
    command = [sys.executable, "-m", "sequrity.testing", "--host", "127.0.0.1", "--port", "0"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            base_url = line.split(" listening on ", 1)[1].split(" ", 1)[0]
            status, data = _get(base_url + "/health")
        finally:
            proc.terminate()
            proc.wait(10)

    assert line.startswith("Sequrity emulator listening on http://127.0.0.1:")
    assert (status, data) == (200, {"status": "ok"})
    assert proc.returncode == 0


def test_public_api_is_exactly_all() -> None:
    """sequrity.testing exports exactly its __all__, sorted, every name importable."""
    import sequrity.testing as testing

    public = {
        name
        for name in dir(testing)  # dir(), so the names that load on first use count
        if name.isidentifier()
        and not name.startswith("_")
        and not isinstance(getattr(testing, name), types.ModuleType)
    } - {"annotations", "TYPE_CHECKING"}

    assert sorted(testing.__all__) == testing.__all__
    assert set(testing.__all__) == public
