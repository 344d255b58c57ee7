"""The emulator's Responses routes, over raw HTTP."""

from __future__ import annotations

import json

import aiohttp
import pytest
from emulator_helpers import AUTH, post

from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio

PATH = "/control/chat/v1/responses"
TOOLS = [{"type": "function", "name": "lookup", "parameters": {"type": "object"}}]


async def test_response_shape(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A plain request answers a completed response with a message item and usage."""
    status, data, headers = await post(
        http, emu, {"model": "m", "input": "what is 2 + 3"}, path=PATH
    )

    assert status == 200
    assert data["object"] == "response"
    assert data["id"].startswith("resp_emu_")
    assert data["status"] == "completed"
    assert data["output"][0]["type"] == "message"
    assert data["output"][0]["content"][0] == {
        "type": "output_text",
        "text": "5",
        "annotations": [],
    }
    assert data["usage"]["total_tokens"] == data["usage"]["input_tokens"] + 1
    assert data["parallel_tool_calls"] is True
    assert data["tool_choice"] == "auto"
    assert data["tools"] == []
    assert headers["X-Session-ID"]


@pytest.mark.parametrize(
    "path",
    [
        "/control/code/v1/responses",
        "/control/agent/openai/v1/responses",
        "/control/lang-graph/sequrity_azure/v1/responses",
    ],
)
async def test_every_documented_route_is_served(
    http: aiohttp.ClientSession, emu: Emulator, path: str
) -> None:
    """Each endpoint type with each provider of the Responses API answers."""
    status, data, _ = await post(http, emu, {"model": "m", "input": "hi"}, path=path)

    assert status == 200
    assert data["object"] == "response"


async def test_unserved_provider_route_is_not_found(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """OpenRouter does not serve the Responses API."""
    status, data, _ = await post(
        http, emu, {"model": "m", "input": "hi"}, path="/control/chat/openrouter/v1/responses"
    )

    assert status == 404
    assert data == {"detail": "Not Found"}


async def test_invalid_body_is_422(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A body without model, or without input and previous_response_id, is a FastAPI-style 422."""
    s1, d1, _ = await post(http, emu, {"input": "hi"}, path=PATH)
    s2, d2, _ = await post(http, emu, {"model": "m"}, path=PATH)

    assert (s1, d1["detail"][0]["loc"]) == (422, ["body", "model"])
    assert (s2, d2["detail"][0]["loc"]) == (422, ["body", "input"])


async def test_scripted_tool_call_and_previous_response_id(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """A scripted tool call is a function_call item; the follow-up sends only the new output."""
    emu.script.tool_calls([{"name": "lookup", "arguments": {"q": "x"}}])
    emu.script.reply("done")
    _, first, _ = await post(http, emu, {"model": "m", "input": "go", "tools": TOOLS}, path=PATH)
    call = first["output"][0]
    follow = {
        "model": "m",
        "previous_response_id": first["id"],
        "input": [{"type": "function_call_output", "call_id": call["call_id"], "output": "42"}],
    }

    status, second, _ = await post(http, emu, follow, path=PATH)

    assert call["type"] == "function_call"
    assert json.loads(call["arguments"]) == {"q": "x"}
    assert status == 200
    assert second["output"][0]["content"][0]["text"] == "done"
    assert second["previous_response_id"] == first["id"]


async def test_unknown_previous_response_id_is_404(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """An unknown previous_response_id answers 404 with a detail."""
    status, data, _ = await post(
        http, emu, {"model": "m", "input": "hi", "previous_response_id": "resp_nope"}, path=PATH
    )

    assert status == 404
    assert "resp_nope" in data["detail"]


async def test_stream_has_named_events_in_order(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """The stream frames each event as event: <type> / data: {json} in the documented order."""
    payload = {"model": "m", "input": "what is 2 + 3", "stream": True}
    async with http.post(emu.base_url + PATH, json=payload, headers=AUTH) as resp:
        text = await resp.text()
    frames = [f for f in text.split("\n\n") if f.strip()]
    names = [f.split("\n")[0].removeprefix("event: ") for f in frames]
    datas = [json.loads(f.split("\n")[1].removeprefix("data: ")) for f in frames]

    assert names == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert [d["type"] for d in datas] == names
    assert [d["sequence_number"] for d in datas] == list(range(len(datas)))
    assert resp.headers["Content-Type"].startswith("text/event-stream")
    assert resp.headers["X-Session-ID"]
