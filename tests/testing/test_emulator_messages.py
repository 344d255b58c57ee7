"""Tests for the emulator's Messages routes (§3.2, Appendix A items 10 and 11), with a raw HTTP client."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest
from emulator_helpers import AUTH, DUAL, post

from sequrity.control._urls import ENDPOINT_TYPES
from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio

MESSAGES = "/control/chat/anthropic/v1/messages"
MODEL = "claude-sonnet-4-5-20250929"
TOOL = {"name": "get_weather", "input_schema": {"type": "object", "properties": {}}}


def body(text: str = "hello", **extra: Any) -> dict[str, Any]:
    """A minimal Messages body with one user message."""
    return {
        "model": MODEL,
        "max_tokens": 64,
        "messages": [{"role": "user", "content": text}],
        **extra,
    }


async def _events(http: aiohttp.ClientSession, emu: Emulator, payload: Any) -> tuple[str, Any]:
    async with http.post(emu.base_url + MESSAGES, json=payload, headers=AUTH) as resp:
        return await resp.text(), resp.headers


@pytest.mark.parametrize("endpoint_type", ENDPOINT_TYPES)
@pytest.mark.parametrize("segment", ["", "/anthropic"])
async def test_every_messages_route_answers_a_message(
    http: aiohttp.ClientSession, emu: Emulator, endpoint_type: str, segment: str
) -> None:
    """Each endpoint type, default and anthropic, answers a message with a session header."""
    path = f"/control/{endpoint_type}{segment}/v1/messages"

    status, data, headers = await post(http, emu, body("What is 6 * 7"), path=path)

    assert status == 200
    assert headers["X-Session-ID"]
    assert (data["type"], data["role"]) == ("message", "assistant")
    assert data["model"] == MODEL
    assert data["id"].startswith("msg_emu_")
    assert data["content"][0]["type"] == "text"
    assert (endpoint_type == "lang-graph") or data["content"][0]["text"] == "42"
    assert data["stop_reason"] == "end_turn"
    assert data["usage"]["input_tokens"] > 0
    assert data["usage"]["output_tokens"] > 0


@pytest.mark.parametrize("provider", ["openai", "openrouter", "sequrity_azure"])
async def test_providers_without_messages_are_not_routed(
    http: aiohttp.ClientSession, emu: Emulator, provider: str
) -> None:
    """Only the default route and anthropic serve Messages; others are 404."""
    status, data, _ = await post(http, emu, body(), path=f"/control/chat/{provider}/v1/messages")

    assert (status, data) == (404, {"detail": "Not Found"})


@pytest.mark.parametrize(
    ("payload", "loc"),
    [
        ({"model": MODEL, "messages": [{"role": "user", "content": "x"}]}, ["body", "max_tokens"]),
        (body(max_tokens="lots"), ["body", "max_tokens"]),
        (
            {**body(), "messages": [{"role": "user", "content": [{"type": "tool_result"}]}]},
            ["body", "messages", 0, "content", 0, "tool_use_id"],
        ),
    ],
)
async def test_invalid_bodies_get_fastapi_style_422(
    http: aiohttp.ClientSession, emu: Emulator, payload: Any, loc: list[Any]
) -> None:
    """Bodies the request schema refuses get 422 with a `detail` list naming the field."""
    status, data, headers = await post(http, emu, payload, path=MESSAGES)

    assert status == 422
    assert loc in [d["loc"] for d in data["detail"]]
    assert headers["X-Session-ID"]


async def test_official_sdk_quirks_are_accepted(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """`timeout` in the body and `schema_` for `schema` (official SDK bugs) are accepted."""
    fmt = {"type": "json_schema", "schema_": {"type": "object"}}
    payload = body(timeout=30.0, output_config={"format": fmt})

    status, data, _ = await post(http, emu, payload, path=MESSAGES)

    assert status == 200, data


async def test_scripted_tool_calls_become_tool_use_blocks(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """Queued tool calls answer with tool_use blocks (ids toolu_emu_<n>) and stop_reason tool_use."""
    emu.script.tool_calls([{"name": "get_weather", "arguments": {"city": "Oslo"}}])

    _, data, _ = await post(http, emu, body("weather?", tools=[TOOL]), path=MESSAGES)

    assert data["stop_reason"] == "tool_use"
    (block,) = data["content"]
    assert block["type"] == "tool_use"
    assert block["id"].startswith("toolu_emu_")
    assert (block["name"], block["input"]) == ("get_weather", {"city": "Oslo"})


async def test_scripted_errors_and_unknown_tools(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """A scripted error is returned as is; a scripted tool the request lacks is a script error."""
    emu.script.error(429, "slow down", {"Retry-After": "1"})
    emu.script.tool_calls([{"name": "nope"}])

    status, data, headers = await post(http, emu, body(), path=MESSAGES)
    status2, data2, _ = await post(http, emu, body(tools=[TOOL]), path=MESSAGES)

    assert (status, data, headers["Retry-After"]) == (429, {"detail": "slow down"}, "1")
    assert status2 >= 400
    assert "nope" in json.dumps(data2)


async def test_stream_has_named_events_in_the_documented_order(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """Each frame is `event: <type>` + `data: {json}`; the sequence is Appendix A item 11's, no [DONE]."""
    emu.script.reply("one two three")

    text, headers = await _events(http, emu, body(stream=True))

    frames = [f for f in text.split("\n\n") if f]
    parsed = []
    for frame in frames:
        event_line, data_line = frame.split("\n")
        data = json.loads(data_line.removeprefix("data: "))
        assert event_line == f"event: {data['type']}"
        parsed.append(data)
    kinds = [p["type"] for p in parsed]
    assert kinds == [
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_delta",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    assert "".join(p["delta"]["text"] for p in parsed if p["type"] == "content_block_delta") == (
        "one two three"
    )
    assert parsed[-2]["delta"]["stop_reason"] == "end_turn"
    assert parsed[-2]["usage"]["output_tokens"] == 3
    assert headers["Content-Type"].startswith("text/event-stream")
    assert headers["X-Session-ID"]
    assert "[DONE]" not in text


async def test_streamed_tool_use_is_input_json_pieces(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """A streamed tool call starts with an empty input and sends it as input_json_delta pieces."""
    emu.script.tool_calls([{"name": "get_weather", "arguments": {"city": "Oslo"}}])

    text, _ = await _events(http, emu, body(stream=True, tools=[TOOL]))

    parsed = [json.loads(line[6:]) for line in text.split("\n") if line.startswith("data: ")]
    start = next(p for p in parsed if p["type"] == "content_block_start")
    pieces = [p["delta"]["partial_json"] for p in parsed if p["type"] == "content_block_delta"]
    assert start["content_block"]["input"] == {}
    assert len(pieces) == 2
    assert json.loads("".join(pieces)) == {"city": "Oslo"}


async def test_injected_stream_error_is_an_anthropic_error_event(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """A stream_error fault on Messages sends `event: error` with Anthropic's error shape."""
    emu.faults.next_n(1).stream_error("boom", after_events=1)

    text, _ = await _events(http, emu, body(stream=True))

    frames = [f for f in text.split("\n\n") if f]
    assert len(frames) == 2
    event_line, data_line = frames[-1].split("\n")
    assert event_line == "event: error"
    assert json.loads(data_line[6:]) == {
        "type": "error",
        "error": {"message": "boom", "type": "server_error"},
    }


async def test_dual_llm_messages_run_the_policy_engine(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """Dual-LLM Messages answers carry `tc-` tool ids and finish with the result envelope."""
    emu.script.tool_calls([{"name": "get_weather", "arguments": {"city": "Oslo"}}])

    _, first, headers = await post(
        http, emu, body("weather?", tools=[TOOL]), path=MESSAGES, headers=DUAL
    )
    (call,) = first["content"]
    history = [
        {"role": "user", "content": "weather?"},
        {"role": "assistant", "content": first["content"]},
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": call["id"], "content": "snow"}],
        },
    ]
    _, second, headers2 = await post(
        http, emu, {**body(tools=[TOOL]), "messages": history}, path=MESSAGES, headers=DUAL
    )

    assert call["id"].startswith("tc-" + headers["X-Session-ID"])
    assert headers2["X-Session-ID"] == headers["X-Session-ID"]
    assert second["stop_reason"] == "end_turn"
    envelope = json.loads(second["content"][0]["text"])
    assert envelope["final_return_value"]["value"] == "snow"


async def test_requests_are_recorded(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Messages requests are recorded with their path and JSON body."""
    await post(http, emu, body("hi"), path=MESSAGES)

    assert emu.requests[-1].path == MESSAGES
    assert emu.requests[-1].json["max_tokens"] == 64


async def test_route_listing_includes_every_messages_route(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """GET /control/ lists the eight Messages routes (four endpoint types, default and anthropic)."""
    async with http.get(emu.base_url + "/control/") as resp:
        routes = (await resp.json())["routes"]

    listed = sorted(r["path"] for r in routes if r["path"].endswith("/v1/messages"))
    assert listed == sorted(
        f"/control/{e}{s}/v1/messages" for e in ENDPOINT_TYPES for s in ("", "/anthropic")
    )
