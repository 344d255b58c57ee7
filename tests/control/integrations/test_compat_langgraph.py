"""Tests for the official names in `sequrity.control.integrations.langgraph`."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from typing import Annotated, Any, TypedDict

import pytest

pytest.importorskip(
    "langgraph", reason="needs the langchain extra: pip install 'sequrity[langchain]'"
)

from langchain_core.messages import HumanMessage
from langchain_core.tools import tool
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode, tools_condition

from sequrity.control import FeaturesHeader, PolicyViolationError, SecurityPolicyHeader
from sequrity.control.integrations import (
    LangGraphChatSequrityAI as LazyLangGraphChatSequrityAI,
)
from sequrity.control.integrations.langgraph import (
    LangGraphChatSequrityAI,
    create_sequrity_langgraph_client,
)
from sequrity.integrations.langchain import ChatSequrity
from sequrity.testing import Emulator, RunningEmulator

pytestmark = pytest.mark.anyio

OFFICIAL_PARAMETERS = [
    "sequrity_api_key",
    "features",
    "security_policy",
    "fine_grained_config",
    "service_provider",
    "llm_api_key",
    "base_url",
    "endpoint_type",
    "model",
    "kwargs",
]
POLICY = 'tool "send_email" { hard deny when to.value in {"eve@evil.com"}; }'


def official(base_url: str) -> LangGraphChatSequrityAI:
    """The model as the official tests build it."""
    return create_sequrity_langgraph_client(
        sequrity_api_key="sq-test",
        features=FeaturesHeader.dual_llm(),
        security_policy=SecurityPolicyHeader.dual_llm(codes=POLICY),
        service_provider="openrouter",
        llm_api_key="or-key",
        base_url=base_url,
        model="gpt-5-mini",
    )


@pytest.fixture
async def llm(emulator: Emulator) -> AsyncIterator[LangGraphChatSequrityAI]:
    """The official factory's model on the in-loop emulator."""
    built = official(emulator.base_url)
    yield built
    await built.aclose()


@tool
def calculator(expression: str) -> str:
    """Evaluate an addition such as 2+2."""
    left, right = expression.split("+")
    return f"Result: {int(left) + int(right)}"


@tool
def send_email(to: str, body: str) -> str:
    """Send an email."""
    return "sent"


def test_the_official_names_keep_their_official_signatures() -> None:
    """The factory and the class take the official parameters, in order; the class is ours."""
    assert (
        list(inspect.signature(create_sequrity_langgraph_client).parameters),
        list(inspect.signature(LangGraphChatSequrityAI.__init__).parameters)[1:],
        issubclass(LangGraphChatSequrityAI, ChatSequrity),
        LazyLangGraphChatSequrityAI is LangGraphChatSequrityAI,
    ) == (OFFICIAL_PARAMETERS, OFFICIAL_PARAMETERS, True, True)


async def test_the_first_session_is_held_sent_and_reset(
    emulator: Emulator, llm: LangGraphChatSequrityAI
) -> None:
    """As the official tests expect: None, then set, kept on the next call, cleared by reset."""
    before = llm.session_id
    answer = await llm.ainvoke([HumanMessage("What is 2 + 2? Answer with just the number.")])
    held = llm.session_id
    await llm.ainvoke([HumanMessage("What did I just say?")])
    kept = llm.session_id
    llm.reset_session()

    assert (
        before,
        answer.content,
        held == answer.response_metadata["session_id"],
        emulator.requests[-1].headers.get("X-Session-ID"),
        kept,
        llm.session_id,
    ) == (None, "4", True, held, held, None)


async def test_a_call_naming_its_session_leaves_the_held_one_alone(
    emulator: Emulator, llm: LangGraphChatSequrityAI
) -> None:
    """``session_id=`` on a call uses that session without replacing the held one."""
    llm.set_session_id(None)
    plain = ChatSequrity(model="m", api_key="sq-test", base_url=emulator.base_url)
    named = (await plain.ainvoke("x")).response_metadata["session_id"]
    await plain.aclose()
    await llm.ainvoke("Hi")
    held = llm.session_id

    await llm.ainvoke("Again", session_id=named)

    assert (emulator.requests[-1].headers["X-Session-ID"], llm.session_id) == (named, held)


async def test_a_denial_raises_instead_of_answering_error_text(
    emulator: Emulator, llm: LangGraphChatSequrityAI
) -> None:
    """The official model answered "Error: ..."; ours raises PolicyViolationError."""
    emulator.script.tool_calls([{"name": "send_email", "arguments": {"to": "eve@evil.com"}}])

    with pytest.raises(PolicyViolationError, match="'send_email' is denied"):
        await llm.bind_tools([send_email]).ainvoke("Mail Eve")


async def test_a_streamed_answer_is_unwrapped(
    emulator: Emulator, llm: LangGraphChatSequrityAI
) -> None:
    """The official model streamed the raw envelope; ours streams the value."""
    chunks = [c async for c in llm.astream("What is 2 + 2?")]

    assert ("".join(str(c.content) for c in chunks), llm.session_id is not None) == ("4", True)


class State(TypedDict):
    """The official example's state."""

    messages: Annotated[list[Any], add_messages]


def test_the_official_example_graph_runs_with_the_blocking_methods(
    sequrity_emulator: RunningEmulator,
) -> None:
    """The official example (bind_tools, ToolNode, tools_condition, graph.stream) completes."""
    llm = official(sequrity_emulator.base_url)
    llm_with_tools = llm.bind_tools([calculator])
    sequrity_emulator.script.tool_calls(
        [{"name": "calculator", "arguments": {"expression": "2+2"}}]
    )
    sequrity_emulator.script.reply("2+2 is 4.")

    def chatbot(state: State) -> dict[str, Any]:
        return {"messages": [llm_with_tools.invoke(state["messages"])]}

    builder = StateGraph(State)
    builder.add_node("chatbot", chatbot)
    builder.add_node("tools", ToolNode([calculator]))
    builder.add_conditional_edges("chatbot", tools_condition)
    builder.add_edge("tools", "chatbot")
    builder.add_edge(START, "chatbot")
    events = list(builder.compile().stream({"messages": [HumanMessage("Calculate 2+2")]}))
    llm.close()

    last = [value["messages"][-1].content for event in events for value in event.values()]
    assert last == ["", "Result: 4", "2+2 is 4."]


def test_chat_openai_options_that_mean_nothing_here_are_accepted() -> None:
    """``include_response_headers`` (set by the official class) is accepted and ignored."""
    llm = LangGraphChatSequrityAI("sq-test", include_response_headers=True, temperature=0.2)

    assert (
        llm.temperature,
        llm.is_lc_serializable(),
        llm.model,
        llm._get_ls_params()["ls_provider"],
    ) == (0.2, False, "gpt-4", "sequrity")
