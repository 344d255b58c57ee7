"""Tests for emulated sessions (§4.2): creation, echo, tc- ids, max_n_turns and 404s."""

from __future__ import annotations

import json
import uuid

import aiohttp
import pytest
from emulator_helpers import body, post, user

from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio


async def test_new_session_is_created(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A request without a session gets a new time-based uuid session id."""
    _, _, headers = await post(http, emu, body())

    session_id = headers["X-Session-ID"]
    assert uuid.UUID(session_id).version == 1
    assert session_id in emu.sessions
    assert emu.sessions[session_id].requests == 1


async def test_sent_session_is_echoed(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Sending X-Session-ID continues that session and echoes the same id."""
    _, _, first = await post(http, emu, body())
    session_id = first["X-Session-ID"]

    _, _, second = await post(http, emu, body(), headers={"X-Session-ID": session_id})

    assert second["X-Session-ID"] == session_id
    assert emu.sessions[session_id].requests == 2
    assert len(emu.sessions) == 1


async def test_legacy_session_header_name(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """The legacy spelling X-Session-Id is the same header (HTTP names are case-insensitive)."""
    _, _, first = await post(http, emu, body())

    _, _, second = await post(http, emu, body(), headers={"X-Session-Id": first["X-Session-ID"]})

    assert second["X-Session-ID"] == first["X-Session-ID"]


async def test_unknown_session_is_404(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """An X-Session-ID the emulator never issued answers 404 Session not found."""
    unknown = str(uuid.uuid1())

    status, data, headers = await post(http, emu, body(), headers={"X-Session-ID": unknown})

    assert (status, data) == (404, {"detail": "Session not found"})
    assert headers["X-Session-ID"] == unknown


async def test_session_from_tool_call_ids(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Without the header, the session is found from tc- ids in the history (id[3:39])."""
    _, _, first = await post(http, emu, body())
    session_id = first["X-Session-ID"]
    call_id = f"tc-{session_id}-{uuid.uuid1()}"
    messages = [
        user("hi"),
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [
                {"id": call_id, "type": "function", "function": {"name": "f", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "tool_call_id": call_id, "content": "done"},
        user("again"),
    ]

    _, _, second = await post(http, emu, {"model": "m", "messages": messages})

    assert second["X-Session-ID"] == session_id


async def test_unknown_session_in_tool_call_ids_is_404(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """A tc- id naming a session the emulator does not know answers 404."""
    call_id = f"tc-{uuid.uuid1()}-{uuid.uuid1()}"
    messages = [user("hi"), {"role": "tool", "tool_call_id": call_id, "content": "x"}]

    status, data, _ = await post(http, emu, {"model": "m", "messages": messages})

    assert (status, data) == (404, {"detail": "Session not found"})


async def test_provider_tool_call_ids_carry_no_session(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """Single-LLM call_ ids carry no session, so a new session is created."""
    messages = [user("hi"), {"role": "tool", "tool_call_id": "call_1", "content": "x"}]

    status, _, headers = await post(http, emu, {"model": "m", "messages": messages})

    assert status == 200
    assert headers["X-Session-ID"] in emu.sessions


async def test_max_n_turns_expires_the_session(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """After max_n_turns final answers the session is gone: the next request answers 404."""
    config = {"X-Config": json.dumps({"fsm": {"max_n_turns": 2}})}
    _, _, first = await post(http, emu, body(), headers=config)
    session = {"X-Session-ID": first["X-Session-ID"]}

    second, _, _ = await post(http, emu, body(), headers=session)
    third, data, _ = await post(http, emu, body(), headers=session)

    assert second == 200
    assert third == 404
    assert data["detail"].startswith("Session not found")
    assert "max_n_turns=2" in data["detail"]
    assert emu.sessions[first["X-Session-ID"]].turns_completed == 2


async def test_tool_call_turns_do_not_count(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A tool-call answer does not end a turn; only the final answer does."""
    tool = {"type": "function", "function": {"name": "f"}}
    emu.script.tool_calls([{"name": "f"}])
    config = {"X-Config": json.dumps({"fsm": {"max_n_turns": 1}})}
    _, _, first = await post(http, emu, body(tools=[tool]), headers=config)
    session = {"X-Session-ID": first["X-Session-ID"]}

    status, _, _ = await post(http, emu, body(tools=[tool]), headers=session)

    assert status == 200
    assert emu.sessions[first["X-Session-ID"]].expired


async def test_unlimited_turns_by_default(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Without fsm.max_n_turns (or with null) a session never expires."""
    config = {"X-Config": json.dumps({"fsm": {"max_n_turns": None}})}
    _, _, first = await post(http, emu, body(), headers=config)
    session = {"X-Session-ID": first["X-Session-ID"]}

    statuses = [(await post(http, emu, body(), headers=session))[0] for _ in range(5)]

    assert statuses == [200] * 5
