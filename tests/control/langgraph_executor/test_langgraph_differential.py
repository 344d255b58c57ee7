"""Differential: a graph run through Sequrity (emulator) ends in the state LangGraph itself reaches."""

from __future__ import annotations

from typing import Annotated, Any, TypedDict

import pytest

pytest.importorskip(
    "langgraph.graph", reason="langgraph is not installed (pip install 'sequrity[langgraph]')"
)

from langgraph.graph import END, START, StateGraph
from langgraph_helpers import (
    MODEL,
    abump,
    conditional_graph,
    cycle_graph,
    mail_graph,
)

pytestmark = pytest.mark.anyio


def dedupe_by_id(current: list[dict[str, Any]], new: Any) -> list[dict[str, Any]]:
    """An add_messages-style reducer: messages with a known id replace it, others are appended."""
    merged = list(current)
    for message in new if isinstance(new, list) else [new]:
        ids = [m.get("id") for m in merged]
        if message.get("id") in ids:
            merged[ids.index(message["id"])] = message
        else:
            merged.append(message)
    return merged


class Chat(TypedDict, total=False):
    """Messages merged by id, and a turn counter."""

    messages: Annotated[list[dict[str, Any]], dedupe_by_id]
    turns: int


def greet(state: dict[str, Any]) -> dict[str, Any]:
    """Answer, and correct the first message."""
    return {
        "messages": [{"id": "1", "text": "hi (edited)"}, {"id": "2", "text": "hello"}],
        "turns": state.get("turns", 0) + 1,
    }


async def agreet(state: dict[str, Any]) -> dict[str, Any]:
    """Answer asynchronously, replacing one message."""
    return {"messages": {"id": "2", "text": "hello again"}}


def reducer_graph() -> Any:
    """greet then agreet, over a custom id-merging reducer."""
    graph = StateGraph(Chat)
    graph.add_node("greet", greet)
    graph.add_node("agreet", agreet)
    graph.add_edge(START, "greet")
    graph.add_edge("greet", "agreet")
    graph.add_edge("agreet", END)
    return graph


CASES = {
    "linear": (mail_graph, {"query": "Read the document", "result": ""}),
    "conditional-to-end": (conditional_graph, {"n": 5}),
    "conditional-to-node": (conditional_graph, {"n": 0, "log": ["x"]}),
    "bounded-cycle": (cycle_graph, {"n": 0}),
    "async-node-cycle": (lambda: cycle_graph(abump), {"n": 1}),
    "reducers": (reducer_graph, {"messages": [{"id": "1", "text": "hi"}]}),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_final_state_equals_langgraphs_own(client, case):
    """run() returns what graph.compile().ainvoke() returns for the same input."""
    build, initial = CASES[case]
    expected = await build().compile().ainvoke(dict(initial))

    state = await client.control.langgraph.run(build(), dict(initial), MODEL)

    assert state == expected


@pytest.mark.parametrize("case", list(CASES))
async def test_updates_stream_equals_langgraphs_own(client, case):
    """stream(stream_mode="updates") yields what LangGraph's own updates stream yields."""
    build, initial = CASES[case]
    expected = [u async for u in build().compile().astream(dict(initial), stream_mode="updates")]

    updates = [
        u
        async for u in client.control.langgraph.stream(
            build(), dict(initial), MODEL, stream_mode="updates"
        )
    ]

    assert updates == expected


async def test_anthropic_route_gives_the_same_state(client):
    """The Messages variant ends in the same state as LangGraph."""
    expected = await cycle_graph().compile().ainvoke({"n": 0})

    state = await client.control.langgraph.run(cycle_graph(), {"n": 0}, MODEL, provider="anthropic")

    assert state == expected


async def test_a_compiled_graph_is_accepted(client):
    """Passing graph.compile() runs the graph it was built from."""
    compiled = mail_graph().compile()

    state = await client.control.langgraph.run(compiled, {"query": "q"}, MODEL)

    assert state == compiled.invoke({"query": "q"})
