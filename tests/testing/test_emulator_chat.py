"""Tests for the single-LLM chat responder, scripting and request recording."""

from __future__ import annotations

import json

import aiohttp
import pytest
from emulator_helpers import body, post, user

from sequrity.testing import ChatCall, Emulator, ErrorReply, ToolCalls, ToolCallSpec

pytestmark = pytest.mark.anyio

WEATHER_TOOL = {
    "type": "function",
    "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {}}},
}


async def test_response_shape_matches_chat_completion(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """A plain request answers the exact chat.completion shape with word-count usage."""
    status, data, _ = await post(http, emu, body("say hello to me"))

    assert status == 200
    assert data["id"] == "chatcmpl-emu-1"
    assert data["object"] == "chat.completion"
    assert isinstance(data["created"], int)
    assert data["model"] == "openai/gpt-5-mini"
    assert data["choices"] == [
        {
            "index": 0,
            "message": {
                "role": "assistant",
                "content": "Emulated answer to: say hello to me",
                "refusal": None,
            },
            "finish_reason": "stop",
            "logprobs": None,
        }
    ]
    assert data["usage"] == {"prompt_tokens": 4, "completion_tokens": 7, "total_tokens": 11}


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("What is the largest prime number below 100?", "97"),
        ("largest prime under 10", "7"),
        ("What is 6 * 7?", "42"),
        ("what is 10 - 15", "-5"),
        ("What is 7 / 2", "3.5"),
        ("what is 1 / 0", "Emulated answer to: what is 1 / 0"),
    ],
)
async def test_builtin_rules(
    http: aiohttp.ClientSession, emu: Emulator, question: str, answer: str
) -> None:
    """The documented built-in rules answer primes and arithmetic deterministically."""
    _, data, _ = await post(http, emu, body(question))

    assert data["choices"][0]["message"]["content"] == answer


async def test_answers_the_last_user_message(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """The default answer is derived from the last user message, with list content joined."""
    messages = [
        {"role": "system", "content": "be nice"},
        user("first"),
        {"role": "assistant", "content": "ok"},
        {
            "role": "user",
            "content": [{"type": "text", "text": "what is"}, {"type": "text", "text": "2 + 2"}],
        },
    ]
    _, data, _ = await post(http, emu, {"model": "m", "messages": messages})

    assert data["choices"][0]["message"]["content"] == "4"


async def test_scripted_replies_are_used_in_order(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """Queued replies answer the next requests in order, then the built-in rules resume."""
    emu.script.reply("one")
    emu.script.reply("two")

    contents = [
        (await post(http, emu, body("what is 1 + 1")))[1]["choices"][0]["message"]["content"]
        for _ in range(3)
    ]

    assert contents == ["one", "two", "2"]
    assert emu.script.pending == 0


async def test_scripted_tool_calls(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Scripted tool calls come back with call_<n> ids and finish_reason tool_calls."""
    emu.script.tool_calls([{"name": "get_weather", "arguments": {"city": "Paris"}}])

    _, data, _ = await post(http, emu, body("weather?", tools=[WEATHER_TOOL]))

    choice = data["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    assert choice["message"]["content"] is None
    [call] = choice["message"]["tool_calls"]
    assert call["id"].startswith("call_")
    assert call["type"] == "function"
    assert call["function"] == {"name": "get_weather", "arguments": '{"city": "Paris"}'}


async def test_tool_calls_without_tools_is_a_script_error(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """Scripting a tool call for a request with no tools answers 500 naming the mistake."""
    emu.script.tool_calls([ToolCallSpec(name="get_weather")])

    status, data, _ = await post(http, emu, body())

    assert status == 500
    assert "Emulator script error" in data["detail"]


async def test_unknown_scripted_tool_is_a_script_error(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """A scripted tool name the request does not offer answers 500."""
    emu.script.tool_calls([{"name": "send_email", "arguments": {}}])

    status, data, _ = await post(http, emu, body(tools=[WEATHER_TOOL]))

    assert status == 500
    assert "'send_email'" in data["detail"]


async def test_scripted_error(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A scripted error answers its status, detail and headers."""
    emu.script.error(429, "slow down", headers={"Retry-After": "1"})

    status, data, headers = await post(http, emu, body())

    assert (status, data) == (429, {"detail": "slow down"})
    assert headers["Retry-After"] == "1"


async def test_scripted_final_in_single_llm_is_text(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """A Final step in single-LLM mode answers its value as text (JSON for non-strings)."""
    emu.script.final({"answer": 1})

    _, data, _ = await post(http, emu, body())

    assert json.loads(data["choices"][0]["message"]["content"]) == {"answer": 1}


async def test_route_filter(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A reply scoped to a route pattern only answers requests on matching paths."""
    emu.script.reply("for code", route="/control/code/*")

    _, chat, _ = await post(http, emu, body("x"))
    _, code, _ = await post(http, emu, body("x"), path="/control/code/v1/chat/completions")

    assert chat["choices"][0]["message"]["content"] == "Emulated answer to: x"
    assert code["choices"][0]["message"]["content"] == "for code"


async def test_session_filter(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A reply scoped to a session only answers requests of that session."""
    _, _, headers = await post(http, emu, body("first"))
    session_id = headers["X-Session-ID"]
    emu.script.reply("in session", session=session_id)

    _, other, _ = await post(http, emu, body("x"))
    _, same, _ = await post(http, emu, body("x"), headers={"X-Session-ID": session_id})

    assert other["choices"][0]["message"]["content"] == "Emulated answer to: x"
    assert same["choices"][0]["message"]["content"] == "in session"


async def test_responder_computes_replies(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A responder sees the request and may answer text, a step, or None to pass."""
    seen: list[ChatCall] = []

    def respond(call: ChatCall) -> str | ToolCalls | ErrorReply | None:
        seen.append(call)
        if "pass" in call.last_user_text:
            return None
        if "err" in call.last_user_text:
            return ErrorReply(status=418, detail="teapot")
        return call.last_user_text.upper()

    emu.script.responder(respond)

    _, shout, _ = await post(http, emu, body("hello"))
    _, passed, _ = await post(http, emu, body("pass please"))
    status, _, _ = await post(http, emu, body("err"))

    assert shout["choices"][0]["message"]["content"] == "HELLO"
    assert passed["choices"][0]["message"]["content"] == "Emulated answer to: pass please"
    assert status == 418
    assert seen[0].dual is False
    assert seen[0].endpoint_type == "chat"
    assert seen[0].provider is None
    assert emu.script.pending == 1


async def test_times_repeats_an_entry(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """times=n answers n requests with the same entry."""
    emu.script.reply("again", times=2)

    contents = [
        (await post(http, emu, body()))[1]["choices"][0]["message"]["content"] for _ in range(3)
    ]

    assert contents[:2] == ["again", "again"]
    assert contents[2] != "again"


async def test_requests_are_recorded(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Every request is recorded with method, path, case-insensitive headers, raw body and json."""
    payload = body("record me")
    await post(http, emu, payload, headers={"X-Features": '{"agent_arch": "single-llm"}'})
    async with http.get(emu.base_url + "/nowhere"):
        pass

    first, second = emu.requests

    assert first.method == "POST"
    assert first.path == "/control/chat/v1/chat/completions"
    assert first.headers["x-features"] == '{"agent_arch": "single-llm"}'
    assert json.loads(first.body) == payload
    assert first.json == payload
    assert first.request_id.startswith("req_")
    assert (second.method, second.path, second.json) == ("GET", "/nowhere", None)


async def test_reset_forgets_everything(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """reset() clears requests, sessions, scripts and faults but keeps serving."""
    emu.script.reply("queued")
    emu.faults.always().delay(0)
    await post(http, emu, body())

    emu.reset()

    assert (emu.requests, len(emu.sessions), emu.script.pending) == ([], 0, 0)
    assert emu.faults.registered == []
    status, data, _ = await post(http, emu, body())
    assert status == 200
    assert data["id"] == "chatcmpl-emu-1"
