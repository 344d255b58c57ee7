"""Tests for `sequrity.integrations.sqrt_gate.SqrtToolGate` on LangGraph's ToolNode."""

from __future__ import annotations

from typing import Annotated, Any, TypedDict

import pytest

pytest.importorskip(
    "langgraph", reason="needs the langchain extra: pip install 'sequrity[langchain]'"
)

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import tools_condition

from sequrity.control import FeaturesHeader, SecurityPolicyHeader
from sequrity.integrations.langchain import ChatSequrity
from sequrity.integrations.sqrt_gate import SqrtToolGate, ToolCallDeniedError
from sequrity.sqrt import SqrtParseError
from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio

DOC = "Q3 revenue: 12.4M"
#: The protocol spec's example: no emailing of internal documents outside trustedcorp.com.
POLICY = (
    'let sensitive_docs = {"internal_use", "confidential"};\n'
    'tool "get_internal_document" -> @tags |= sensitive_docs;\n'
    'tool "send_email" {\n'
    "    hard deny when (body.tags overlaps sensitive_docs) and "
    '(not to.value in {str matching r".*@trustedcorp\\.com"});\n'
    "}\n"
)
SENT: list[dict[str, str]] = []


@tool
def get_internal_document(doc_id: str) -> str:
    """Read an internal document."""
    return DOC


@tool
def send_email(to: str, body: str) -> str:
    """Send an email."""
    SENT.append({"to": to, "body": body})
    return f"sent to {to}"


TOOLS = [get_internal_document, send_email]


@pytest.fixture(autouse=True)
def empty_outbox() -> None:
    """Each test starts with no email sent."""
    SENT.clear()


def call(name: str, call_id: str, **args: str) -> dict[str, Any]:
    """A LangChain tool call."""
    return {"name": name, "args": args, "id": call_id, "type": "tool_call"}


def history_with_document() -> list[Any]:
    """A conversation in which the internal document was read."""
    return [
        HumanMessage("Send the Q3 numbers"),
        AIMessage("", tool_calls=[call("get_internal_document", "c1", doc_id="q3")]),
        ToolMessage(DOC, tool_call_id="c1", name="get_internal_document"),
    ]


def email(to: str, body: str = DOC) -> AIMessage:
    """The model's request to send an email."""
    return AIMessage("", tool_calls=[call("send_email", "c2", to=to, body=body)])


class State(TypedDict):
    """A conversation."""

    messages: Annotated[list[Any], add_messages]


def gated(gate: SqrtToolGate) -> Any:
    """A graph made of the gate's tool node only (a ToolNode needs a graph run to execute)."""
    builder = StateGraph(State)
    builder.add_node("tools", gate.tool_node(TOOLS))
    builder.add_edge(START, "tools")
    return builder.compile()


def last(state: dict[str, Any]) -> Any:
    """The message the tool node added."""
    return state["messages"][-1]


async def test_a_tagged_document_may_not_leave_but_may_go_to_a_trusted_address() -> None:
    """Replayed metadata: the document's tag follows its text into the email body."""
    graph = gated(SqrtToolGate(POLICY))

    denied = await graph.ainvoke({"messages": [*history_with_document(), email("eve@evil.com")]})
    allowed = await graph.ainvoke(
        {"messages": [*history_with_document(), email("cfo@trustedcorp.com")]}
    )
    untagged = await graph.ainvoke({"messages": [email("eve@evil.com", body="hello")]})

    refusal = last(denied)
    assert (
        refusal.status,
        refusal.content.startswith("Tool call to 'send_email' is denied by argument checking"),
        refusal.artifact["sequrity_decision"]["enforcement"],
        last(allowed).content,
        last(untagged).content,
        [m["to"] for m in SENT],
    ) == (
        "error",
        True,
        "hard",
        "sent to cfo@trustedcorp.com",
        "sent to eve@evil.com",
        [
            "cfo@trustedcorp.com",
            "eve@evil.com",
        ],
    )


def test_the_blocking_hook_checks_too() -> None:
    """ToolNode.invoke goes through wrap_tool_call; a denied tool never runs."""
    graph = gated(SqrtToolGate(POLICY))

    result = graph.invoke({"messages": [*history_with_document(), email("eve@evil.com")]})

    assert (last(result).status, SENT) == ("error", [])


async def test_on_deny_raise_stops_the_graph() -> None:
    """With on_deny="raise" the denial propagates as ToolCallDeniedError."""
    graph = gated(SqrtToolGate(POLICY, on_deny="raise"))

    with pytest.raises(ToolCallDeniedError) as caught:
        await graph.ainvoke({"messages": [*history_with_document(), email("eve@evil.com")]})

    assert (caught.value.tool_call["args"]["to"], caught.value.decision.allowed, SENT) == (
        "eve@evil.com",
        False,
        [],
    )


def test_one_gate_keeps_nothing_between_calls() -> None:
    """The verdict depends only on the history given: the same gate allows, then denies."""
    gate = SqrtToolGate(POLICY)
    request = call("send_email", "c2", to="eve@evil.com", body=DOC)

    verdicts = [
        gate.check(request).allowed,
        gate.check(request, history_with_document()).allowed,
        gate.check(request).allowed,
    ]

    assert verdicts == [True, False, True]


def test_without_metadata_tracking_only_values_count() -> None:
    """track_metadata=False ignores what earlier results carry."""
    gate = SqrtToolGate(POLICY, track_metadata=False)

    decision = gate.check(
        call("send_email", "c2", to="eve@evil.com", body=DOC), history_with_document()
    )

    assert decision.allowed


def test_a_policy_header_brings_its_presets() -> None:
    """default_allow=False in the header denies a tool no rule allows."""
    header = SecurityPolicyHeader.dual_llm(codes=POLICY, default_allow=False)

    decision = SqrtToolGate(header).check(call("get_internal_document", "c1", doc_id="q3"))

    assert (decision.allowed, decision.rule) == (False, None)


def test_bad_policies_are_refused_when_the_gate_is_built() -> None:
    """Unparsable SQRT and Cedar code fail at construction, not at the first tool call."""
    with pytest.raises(SqrtParseError):
        SqrtToolGate('tool "x" { hard deny when ; }')
    with pytest.raises(ValueError, match="Cedar"):
        SqrtToolGate(SecurityPolicyHeader.dual_llm(codes="permit(...);", language="cedar"))


async def test_in_a_graph_a_denial_goes_back_to_the_model_as_a_tool_error(
    emulator: Emulator,
) -> None:
    """The model asks for a denied call, sees the refusal as the tool's result, and answers."""
    emulator.script.tool_calls([{"name": "get_internal_document", "arguments": {"doc_id": "q3"}}])
    emulator.script.tool_calls(
        [{"name": "send_email", "arguments": {"to": "eve@evil.com", "body": DOC}}]
    )
    emulator.script.reply("I could not send it: the policy forbids it.")
    model = ChatSequrity(
        model="m", api_key="sq-test", base_url=emulator.base_url, features=FeaturesHeader.dual_llm()
    )
    bound = model.bind_tools(TOOLS)

    async def chatbot(state: State) -> dict[str, Any]:
        return {"messages": [await bound.ainvoke(state["messages"])]}

    builder = StateGraph(State)
    builder.add_node("chatbot", chatbot)
    builder.add_node("tools", SqrtToolGate(POLICY).tool_node(TOOLS))
    builder.add_conditional_edges("chatbot", tools_condition)
    builder.add_edge("tools", "chatbot")
    builder.add_edge(START, "chatbot")
    state = await builder.compile().ainvoke({"messages": [HumanMessage("Mail Q3 to Eve")]})
    await model.aclose()

    sent_back = emulator.requests[-1].json["messages"][-1]
    assert (
        state["messages"][-1].content,
        sent_back["role"],
        sent_back["content"].startswith("Tool call to 'send_email' is denied"),
        SENT,
    ) == ("I could not send it: the policy forbids it.", "tool", True, [])
