"""From a LangGraph StateGraph to a GraphSpec, and LangGraphExecutor at its official import path."""

from __future__ import annotations

import json
import operator
from typing import Annotated, Any, TypedDict

import pytest

pytest.importorskip(
    "langgraph.graph", reason="langgraph is not installed (pip install 'sequrity[langgraph]')"
)

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, Send
from langgraph_helpers import (
    MODEL,
    CountState,
    abump,
    again,
    bump,
    cycle_graph,
    judge,
    mail_graph,
    read_file,
    send_email,
)

from sequrity import SequrityValidationError
from sequrity.control.resources.langgraph._adapter import load_graph
from sequrity.control.resources.langgraph._executor import LangGraphExecutor

pytestmark = pytest.mark.anyio


def test_node_functions_are_found_without_node_functions():
    """Functions come from spec.runnable.func (sync) and .afunc (async): none is lost."""
    spec = load_graph(cycle_graph(abump))

    assert spec.nodes == {"bump": abump, "judge": judge}
    assert spec.branches[0].router is again
    assert spec.branches[0].path_map == {"more": "bump", "done": "judge"}


def test_reducers_defaults_and_keys_come_from_the_state_schema():
    """An Annotated reducer becomes the key's reducer, starting from LangGraph's empty value."""
    spec = load_graph(cycle_graph())

    assert spec.reducers == {"log": operator.add}
    assert spec.defaults == {"log": []}
    assert spec.keys == frozenset({"n", "log", "verdict"})


def test_executor_passes_the_official_tests_checks():
    """The official test's assertions on LangGraphExecutor hold (node_functions given)."""
    executor = LangGraphExecutor(
        graph=mail_graph(), node_functions={"read_file": read_file, "send_email": send_email}
    )

    code = executor.generated_code
    assert "state = initial_state" in code
    assert "read_file(state=state)" in code
    assert "send_email(state=state)" in code
    assert "final_return_value" in code
    assert "read_file" in executor.node_functions
    assert "send_email" in executor.external_nodes


def test_executor_finds_tools_without_node_functions_in_a_fixed_order():
    """The official default (node_functions=None) gives every node and router, always in order."""
    orders = {tuple(LangGraphExecutor(cycle_graph()).external_nodes) for _ in range(5)}

    assert orders == {("bump", "judge", "again")}


def test_executor_builds_both_tool_shapes_and_runs_a_tool_call():
    """Tool definitions in Chat and Messages shape; execute_tool_call runs the node on its state."""
    executor = LangGraphExecutor(mail_graph())
    call = {"function": {"name": "send_email", "arguments": json.dumps({"state": {"result": "r"}})}}

    chat = executor.build_tool_definitions()
    messages = executor.build_tool_definitions("messages")

    assert [t["function"]["name"] for t in chat] == [t["name"] for t in messages]
    assert executor.execute_tool_call(call) == {"result": "Email sent: r"}
    assert executor.execute_tool_call({"name": "read_file", "input": {}}, "messages") == {
        "result": "File contents: Hello World"
    }


def test_node_functions_override_nodes_and_routers():
    """node_functions replaces a node's function and a router's, by name."""

    def other_router(state: dict[str, Any]) -> str:
        return "done"

    spec = load_graph(cycle_graph(), node_functions={"bump": abump, "again": other_router})

    assert spec.nodes["bump"] is abump
    assert spec.branches[0].router is other_router


def routing(state: dict[str, Any]) -> list[Send]:
    """Fan out with Send."""
    return [Send("bump", state), Send("judge", state)]


async def test_a_router_returning_send_is_refused(client):
    """Send from a router is unsupported: SequrityValidationError."""
    graph = StateGraph(CountState)
    graph.add_node("bump", bump)
    graph.add_node("judge", judge)
    graph.add_conditional_edges(START, routing, ["bump", "judge"])
    graph.add_edge("bump", END)
    graph.add_edge("judge", END)

    with pytest.raises(SequrityValidationError, match="fan-out"):
        await client.control.langgraph.run(graph, {"n": 0}, MODEL)


def go(state: dict[str, Any]) -> Command:  # type: ignore[type-arg]
    """Jump with Command."""
    return Command(goto="judge", update={"n": 1})


def test_a_node_declaring_command_destinations_is_refused():
    """A node that returns Command (declared destinations) is refused at compile time."""
    graph = StateGraph(CountState)
    graph.add_node("go", go, destinations=("judge",))
    graph.add_node("judge", judge)
    graph.add_edge(START, "go")

    with pytest.raises(SequrityValidationError, match="Command"):
        load_graph(graph)


async def test_a_node_returning_command_at_run_time_is_refused(client):
    """A Command returned by an undeclared node is refused when it arrives."""
    graph = StateGraph(CountState)
    graph.add_node("go", go)
    graph.add_node("judge", judge)
    graph.add_edge(START, "go")
    graph.add_edge("go", "judge")

    with pytest.raises(SequrityValidationError, match="Command"):
        await client.control.langgraph.run(graph, {"n": 0}, MODEL)


def test_parallel_fan_out_and_joins_are_refused():
    """Two edges out of a node, or a join of parallel branches, raise SequrityValidationError."""
    fan = StateGraph(CountState)
    for name in ("a", "b", "c"):
        fan.add_node(name, bump)
    fan.add_edge(START, "a")
    fan.add_edge("a", "b")
    fan.add_edge("a", "c")
    join = StateGraph(CountState)
    for name in ("a", "b", "c"):
        join.add_node(name, bump)
    join.add_edge(START, "a")
    join.add_edge(START, "b")
    join.add_edge(["a", "b"], "c")

    with pytest.raises(SequrityValidationError, match="fan-out"):
        LangGraphExecutor(fan)
    with pytest.raises(SequrityValidationError, match="joins"):
        LangGraphExecutor(join)


def test_a_model_class_state_schema_is_refused():
    """Nodes must receive dicts: a dataclass state schema is refused."""
    import dataclasses

    @dataclasses.dataclass
    class Point:
        x: int = 0

    graph = StateGraph(Point)
    graph.add_node("bump", bump)
    graph.add_edge(START, "bump")

    with pytest.raises(SequrityValidationError, match="TypedDict"):
        load_graph(graph)


def test_a_subgraph_node_is_refused():
    """A node that is a compiled graph, not a function, is refused with a clear message."""
    inner = mail_graph().compile()

    class Outer(TypedDict, total=False):
        query: str
        result: str
        seen: Annotated[list[str], operator.add]

    graph = StateGraph(Outer)
    graph.add_node("inner", inner)
    graph.add_edge(START, "inner")

    with pytest.raises(SequrityValidationError, match="not a function"):
        load_graph(graph)


def test_something_that_is_not_a_graph_is_refused():
    """Any other object is refused with its type named."""
    with pytest.raises(SequrityValidationError, match="got int"):
        load_graph(42)
