"""Tests for `sequrity.integrations.langchain.ChatSequrity` against the emulator."""

from __future__ import annotations

import pickle
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any, TypedDict

import anyio
import pytest

pytest.importorskip(
    "langgraph", reason="needs the langchain extra: pip install 'sequrity[langchain]'"
)

from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode, tools_condition

from sequrity import SequrityError
from sequrity.control import (
    FeaturesHeader,
    PolicyViolationError,
    SecurityPolicyHeader,
    session_id_from_tool_call_id,
)
from sequrity.integrations.langchain import ChatSequrity
from sequrity.testing import Emulator, RunningEmulator

pytestmark = pytest.mark.anyio

POLICY = 'tool "send_email" { hard deny when to.value in {"eve@evil.com"}; }'


def dual(base_url: str, **options: Any) -> ChatSequrity:
    """A Dual-LLM ChatSequrity on an emulator."""
    return ChatSequrity(
        model="gpt-5-mini",
        api_key="sq-test",
        base_url=base_url,
        features=FeaturesHeader.dual_llm(),
        security_policy=SecurityPolicyHeader.dual_llm(codes=POLICY),
        **options,
    )


@tool
def get_weather(city: str) -> str:
    """Give the weather of a city."""
    return f"Sunny in {city}"


@tool
def send_email(to: str, body: str) -> str:
    """Send an email."""
    return "sent"


@pytest.fixture
async def model(emulator: Emulator) -> AsyncIterator[ChatSequrity]:
    """A Dual-LLM model on the in-loop emulator, closed after the test."""
    built = dual(emulator.base_url)
    yield built
    await built.aclose()


@pytest.fixture
def blocking_model(sequrity_emulator: RunningEmulator) -> Iterator[ChatSequrity]:
    """A Dual-LLM model on the thread-hosted emulator, for the blocking methods."""
    built = dual(sequrity_emulator.base_url)
    yield built
    built.close()


async def test_ainvoke_unwraps_the_answer_and_reports_the_session(
    emulator: Emulator, model: ChatSequrity
) -> None:
    """The Dual-LLM envelope becomes the message text; session and status are metadata."""
    answer = await model.ainvoke([HumanMessage("What is 2 + 2?")])

    assert (
        answer.content,
        answer.response_metadata["session_id"],
        answer.response_metadata["sequrity_status"],
        answer.usage_metadata is not None,
    ) == ("4", emulator.sessions.ids()[-1], "success", True)


def test_invoke_stream_and_batch_use_the_blocking_client(
    sequrity_emulator: RunningEmulator, blocking_model: ChatSequrity
) -> None:
    """The blocking methods answer the same way, each input in its own session."""
    answer = blocking_model.invoke("What is 2 + 2?")
    sequrity_emulator.script.reply("Hello streamed world")
    chunks = list(blocking_model.stream("Hi"))
    batch = blocking_model.batch(["What is 2 + 2?", "What is 3 + 3?"])

    assert (
        answer.content,
        "".join(str(c.content) for c in chunks),
        [m.content for m in batch],
        batch[0].response_metadata["session_id"] != batch[1].response_metadata["session_id"],
    ) == ("4", "Hello streamed world", ["4", "6"], True)


async def test_abatch_runs_natively_and_keeps_sessions_apart(
    emulator: Emulator, model: ChatSequrity
) -> None:
    """abatch answers every input, in separate sessions, sending no session header."""
    answers = await model.abatch(["What is 2 + 2?", "What is 3 + 3?"])

    assert (
        [a.content for a in answers],
        len({a.response_metadata["session_id"] for a in answers}),
        any("X-Session-ID" in r.headers for r in emulator.requests),
    ) == (["4", "6"], 2, False)


async def test_astream_streams_tool_call_chunks_with_tc_ids(
    emulator: Emulator, model: ChatSequrity
) -> None:
    """Tool calls stream as tool_call_chunks that add up to the complete call."""
    emulator.script.tool_calls([{"name": "get_weather", "arguments": {"city": "Paris"}}])

    chunks = [c async for c in model.bind_tools([get_weather]).astream("Weather?")]
    total = sum(chunks[1:], chunks[0])

    assert isinstance(total, AIMessageChunk)
    call = total.tool_calls[0]
    assert (
        len([c for c in chunks if c.tool_call_chunks]) > 1,
        (call["name"], call["args"]),
        session_id_from_tool_call_id(call["id"] or ""),
        total.response_metadata["finish_reason"],
    ) == (
        True,
        ("get_weather", {"city": "Paris"}),
        total.response_metadata["session_id"],
        "tool_calls",
    )


async def test_bind_tools_sends_the_tools_and_the_wire_tool_choice(
    emulator: Emulator, model: ChatSequrity
) -> None:
    """Tools go as OpenAI function tools; LangChain's tool_choice spellings are translated."""
    for choice in ("any", "get_weather", "auto"):
        await model.bind_tools([get_weather], tool_choice=choice).ainvoke("What is 2 + 2?")

    sent = [r.json for r in emulator.requests]
    assert (
        sent[0]["tools"][0]["function"]["name"],
        [body["tool_choice"] for body in sent],
    ) == (
        "get_weather",
        ["required", {"type": "function", "function": {"name": "get_weather"}}, "auto"],
    )


async def test_astream_gives_single_llm_text_as_it_comes(emulator: Emulator) -> None:
    """Plain text streams word by word."""
    emulator.script.reply("one two three")
    plain = ChatSequrity(model="m", api_key="sq-test", base_url=emulator.base_url)

    pieces = [c.content async for c in plain.astream("count")]
    await plain.aclose()

    assert [p for p in pieces if p] == ["one ", "two ", "three"]


async def test_a_denial_raises_in_ainvoke_and_astream(
    emulator: Emulator, model: ChatSequrity
) -> None:
    """A policy denial raises PolicyViolationError, streamed or not."""
    bound = model.bind_tools([send_email])
    denial = [{"name": "send_email", "arguments": {"to": "eve@evil.com", "body": "x"}}]
    emulator.script.tool_calls(denial, times=2)

    with pytest.raises(PolicyViolationError, match="'send_email' is denied") as invoked:
        await bound.ainvoke("Mail Eve")
    with pytest.raises(PolicyViolationError) as streamed:
        async for _ in bound.astream("Mail Eve"):
            pass

    assert (invoked.value.is_denied, streamed.value.session_id is not None) == (True, True)


async def test_a_session_can_be_named_per_call_by_binding_or_by_config(
    emulator: Emulator, model: ChatSequrity
) -> None:
    """``session_id=``, ``bind(session_id=)`` and the configurable key all send the session."""
    first = await model.ainvoke("Hi")
    session = first.response_metadata["session_id"]

    await model.ainvoke("a", session_id=session)
    await model.bind(session_id=session).ainvoke("b")
    await model.ainvoke("c", config={"configurable": {"sequrity_session_id": session}})

    assert [r.headers.get("X-Session-ID") for r in emulator.requests] == [
        None,
        session,
        session,
        session,
    ]


async def test_concurrent_calls_on_one_model_never_share_a_session(
    emulator: Emulator, model: ChatSequrity
) -> None:
    """The model keeps no session: concurrent calls each start their own."""
    answers: list[AIMessage] = []

    async def ask(text: str) -> None:
        answers.append(await model.ainvoke(text))

    async with anyio.create_task_group() as group:
        for text in ("What is 2 + 2?", "What is 3 + 3?", "What is 4 + 4?"):
            group.start_soon(ask, text)

    assert (
        len({a.response_metadata["session_id"] for a in answers}),
        [r.headers.get("X-Session-ID") for r in emulator.requests],
    ) == (3, [None, None, None])


class State(TypedDict):
    """The graph state: the conversation."""

    messages: Annotated[list[Any], add_messages]


def tool_graph(model: ChatSequrity) -> Any:
    """The official example's graph: a chatbot node and a ToolNode in a loop."""
    bound = model.bind_tools([get_weather])

    async def chatbot(state: State) -> dict[str, Any]:
        return {"messages": [await bound.ainvoke(state["messages"])]}

    builder = StateGraph(State)
    builder.add_node("chatbot", chatbot)
    builder.add_node("tools", ToolNode([get_weather]))
    builder.add_conditional_edges("chatbot", tools_condition)
    builder.add_edge("tools", "chatbot")
    builder.add_edge(START, "chatbot")
    return builder.compile()


async def test_a_tool_node_graph_completes_with_tool_calls(
    emulator: Emulator, model: ChatSequrity
) -> None:
    """The graph runs the tool locally; its result goes back under the tc- id; the answer is plain."""
    emulator.script.tool_calls([{"name": "get_weather", "arguments": {"city": "Oslo"}}])
    emulator.script.reply("It is sunny in Oslo.")

    state = await tool_graph(model).ainvoke({"messages": [HumanMessage("Weather in Oslo?")]})

    ai_call, tool_result, final = state["messages"][1:]
    assert (
        isinstance(tool_result, ToolMessage),
        tool_result.content,
        tool_result.tool_call_id == ai_call.tool_calls[0]["id"],
        emulator.requests[-1].json["messages"][-1]["tool_call_id"] == tool_result.tool_call_id,
        final.content,
    ) == (True, "Sunny in Oslo", True, True, "It is sunny in Oslo.")


async def test_a_graph_run_passes_its_configured_session_to_the_model(
    emulator: Emulator, model: ChatSequrity
) -> None:
    """``configurable["sequrity_session_id"]`` of a graph run reaches every model call."""
    first = await model.ainvoke("Hi")
    session = first.response_metadata["session_id"]
    config = {"configurable": {"sequrity_session_id": session}}

    await tool_graph(model).ainvoke({"messages": [HumanMessage("Hello again")]}, config=config)  # type: ignore[arg-type]

    assert emulator.requests[-1].headers.get("X-Session-ID") == session


async def test_a_model_pickles_and_the_copy_builds_its_own_client(
    emulator: Emulator, model: ChatSequrity
) -> None:
    """Pickling keeps the settings, never the clients; the copy works on its own."""
    await model.ainvoke("Hi")
    clone = pickle.loads(pickle.dumps(model))

    answer = await clone.ainvoke("What is 2 + 2?")
    await clone.aclose()

    assert (clone.model, clone.features, answer.content) == (model.model, model.features, "4")


def test_one_model_serves_one_event_loop_after_another(
    sequrity_emulator: RunningEmulator, blocking_model: ChatSequrity
) -> None:
    """``asyncio.run`` twice with one model works: each loop gets its own client."""
    import asyncio

    async def ask(question: str) -> Any:
        answer = await blocking_model.ainvoke(question)
        await blocking_model.aclose()
        return answer.content

    assert [asyncio.run(ask("What is 3 + 3?")), asyncio.run(ask("What is 2 + 2?"))] == ["6", "4"]


async def test_aclose_closes_the_client_the_model_built(model: ChatSequrity) -> None:
    """After aclose the next call builds a fresh client and still works."""
    await model.ainvoke("Hi")
    await model.aclose()

    assert (await model.ainvoke("What is 2 + 2?")).content == "4"


async def test_a_client_you_pass_is_used_and_left_open(emulator: Emulator) -> None:
    """``async_client=`` is used as it is; aclose does not close it."""
    from sequrity import AsyncSequrityClient

    async with AsyncSequrityClient("sq-test", base_url=emulator.base_url) as client:
        model = ChatSequrity(model="m", async_client=client)
        await model.aclose()
        answer = await model.ainvoke("Hi")

    assert answer.content == "Emulated answer to: Hi"


def test_unknown_options_are_refused() -> None:
    """A misspelt option is an error, not silently ignored."""
    with pytest.raises(ValueError, match="temprature"):
        ChatSequrity(model="m", temprature=0.2)  # type: ignore[call-arg]


def test_no_api_key_fails_at_the_first_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a key the call raises the client's error naming the variable."""
    monkeypatch.delenv("SEQURITY_API_KEY", raising=False)

    with pytest.raises(SequrityError, match="SEQURITY_API_KEY"):
        ChatSequrity(model="m").invoke("Hi")
