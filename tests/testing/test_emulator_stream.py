"""Tests for the Chat Completions stream framing (§3.1, §3.4)."""

from __future__ import annotations

import json

import aiohttp
import pytest
from emulator_helpers import AUTH, CHAT, body, stream

from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio

TOOL = {"type": "function", "function": {"name": "lookup"}}


async def test_stream_framing(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A stream is role chunk, content deltas, finish chunk, then [DONE], as text/event-stream."""
    async with http.post(
        emu.base_url + CHAT, json=body("tell me a joke", stream=True), headers=AUTH
    ) as resp:
        raw = await resp.text()
        content_type = resp.headers["Content-Type"]
        session_id = resp.headers["X-Session-ID"]

    events = raw.split("\n\n")
    assert content_type.startswith("text/event-stream")
    assert session_id
    assert events[-2:] == ["data: [DONE]", ""]
    chunks = [json.loads(e[len("data: ") :]) for e in events[:-2]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert all(c["id"] == chunks[0]["id"] and c["model"] == "openai/gpt-5-mini" for c in chunks)
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    deltas = [c["choices"][0]["delta"].get("content") for c in chunks[1:-1]]
    assert len(deltas) > 1
    assert "".join(deltas) == "Emulated answer to: tell me a joke"
    assert chunks[-1]["choices"][0] == {
        "index": 0,
        "delta": {},
        "finish_reason": "stop",
        "logprobs": None,
    }
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1])


async def test_stream_splits_deterministically(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """The same reply is split into the same deltas every time (one word per delta)."""
    emu.script.reply("alpha beta  gamma", times=2)

    _, first, _ = await stream(http, emu, body(stream=True))
    _, second, _ = await stream(http, emu, body(stream=True))

    def contents(payloads: list[str]) -> list[str]:
        return [json.loads(p)["choices"][0]["delta"]["content"] for p in payloads[1:-2]]

    assert contents(first) == contents(second) == ["alpha ", "beta  ", "gamma"]


async def test_stream_tool_call_deltas(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Tool calls stream as an id/name head then argument pieces, finishing with tool_calls."""
    emu.script.tool_calls([{"name": "lookup", "arguments": {"q": "paris"}}])

    _, payloads, _ = await stream(http, emu, body(stream=True, tools=[TOOL]))

    chunks = [json.loads(p) for p in payloads[:-1]]
    assert payloads[-1] == "[DONE]"
    deltas = [c["choices"][0]["delta"]["tool_calls"][0] for c in chunks[1:-1]]
    assert deltas[0]["id"].startswith("call_")
    assert deltas[0]["function"] == {"name": "lookup", "arguments": ""}
    assert all(d["index"] == 0 for d in deltas)
    assert "".join(d["function"]["arguments"] for d in deltas) == '{"q": "paris"}'
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


async def test_stream_usage_chunk(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """stream_options.include_usage adds a last chunk with no choices and the usage."""
    _, payloads, _ = await stream(
        http, emu, body("a b c", stream=True, stream_options={"include_usage": True})
    )

    last = json.loads(payloads[-2])
    assert last["choices"] == []
    assert last["usage"]["prompt_tokens"] == 3


async def test_stream_errors_are_plain_json(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """An invalid streaming request is answered with a JSON error, not a stream."""
    async with http.post(emu.base_url + CHAT, json={"stream": True}, headers=AUTH) as resp:
        assert resp.status == 422
        assert resp.headers["Content-Type"].startswith("application/json")
