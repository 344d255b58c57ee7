"""Helpers shared by the emulator tests: request bodies and a raw JSON POST."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import aiohttp

from sequrity.testing import Emulator

CHAT = "/control/chat/v1/chat/completions"
AUTH = {"Authorization": "Bearer sq-test"}
DUAL = {"X-Features": json.dumps({"agent_arch": "dual-llm"})}


def user(text: str) -> dict[str, Any]:
    """Build a user message."""
    return {"role": "user", "content": text}


def body(text: str = "hello", **extra: Any) -> dict[str, Any]:
    """Build a minimal chat body with one user message."""
    return {"model": "openai/gpt-5-mini", "messages": [user(text)], **extra}


async def post(
    http: aiohttp.ClientSession,
    emu: Emulator,
    payload: Any,
    *,
    path: str = CHAT,
    headers: Mapping[str, str] | None = None,
    auth: bool = True,
) -> tuple[int, Any, Mapping[str, str]]:
    """POST JSON to the emulator; return status, decoded body (or text) and headers."""
    all_headers = {**(AUTH if auth else {}), **(headers or {})}
    async with http.post(emu.base_url + path, json=payload, headers=all_headers) as resp:
        text = await resp.text()
        try:
            decoded: Any = await resp.json(content_type=None)
        except ValueError:
            decoded = text
        return resp.status, decoded, resp.headers


async def stream(
    http: aiohttp.ClientSession,
    emu: Emulator,
    payload: Any,
    *,
    path: str = CHAT,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, list[str], Mapping[str, str]]:
    """POST a streaming request; return status, the raw ``data:`` payloads and headers."""
    async with http.post(
        emu.base_url + path, json=payload, headers={**AUTH, **(headers or {})}
    ) as resp:
        text = await resp.text()
    payloads = [line[len("data: ") :] for line in text.split("\n") if line.startswith("data: ")]
    return resp.status, payloads, resp.headers
