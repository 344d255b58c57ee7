"""Tests for bearer-token authentication of the emulator's API routes."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from emulator_helpers import CHAT, body, post

from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio


async def test_missing_authorization_is_401(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A chat request without Authorization answers 401 with a helpful detail."""
    status, data, headers = await post(http, emu, body(), auth=False)

    assert status == 401
    assert "Missing Authorization header" in data["detail"]
    assert headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("value", ["sq-test", "Basic abc", "Bearer", "Bearer   "])
async def test_malformed_authorization_is_401(
    http: aiohttp.ClientSession, emu: Emulator, value: str
) -> None:
    """Anything but 'Bearer <token>' answers 401 naming the expected format."""
    status, data, _ = await post(http, emu, body(), auth=False, headers={"Authorization": value})

    assert status == 401
    assert "Malformed Authorization header" in data["detail"]


async def test_any_token_is_accepted_by_default(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Without an allow-list any non-empty bearer token is accepted, case-insensitive scheme."""
    status, _, _ = await post(http, emu, body(), auth=False, headers={"Authorization": "bearer x"})

    assert status == 200


async def test_allow_list_refuses_unknown_tokens(http: aiohttp.ClientSession) -> None:
    """With api_keys set, only listed tokens pass; others answer 401 Invalid API key."""
    async with Emulator(api_keys=["good"]) as emu:
        ok, _, _ = await post(
            http, emu, body(), auth=False, headers={"Authorization": "Bearer good"}
        )
        bad, data, _ = await post(
            http, emu, body(), auth=False, headers={"Authorization": "Bearer bad"}
        )

    assert ok == 200
    assert (bad, data) == (401, {"detail": "Invalid API key"})


async def test_duplicate_authorization_headers_are_401(emu: Emulator) -> None:
    """Two Authorization lines (the official SDK's custom_headers bug) are refused."""
    payload = json.dumps(body()).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", emu.port)
    writer.write(
        f"POST {CHAT} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer a\r\n"
        f"authorization: Bearer b\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
        + payload
    )
    raw = await reader.read()
    writer.close()
    await writer.wait_closed()

    assert raw.startswith(b"HTTP/1.1 401")
    assert b"Multiple Authorization headers" in raw


async def test_validate_headers_needs_no_auth(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """validate-headers answers without an Authorization header, as the live tests rely on."""
    status, data, _ = await post(http, emu, {}, path="/control/v1/validate-headers", auth=False)

    assert (status, data) == (200, {"x_features": None, "x_policy": None, "x_config": None})
