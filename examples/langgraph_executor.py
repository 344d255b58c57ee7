"""Run a LangGraph SQL agent under Sequrity's policies: run, stream the updates, see a policy deny a node.

Uses LangGraph's StateGraph when `langgraph` is installed (pip install 'sequrity[langgraph]'), else the
same graph as a framework-free GraphSpec. Talks to SEQURITY_BASE_URL when set, else to an embedded
emulator: python examples/langgraph_executor.py
"""

import asyncio
import os
from typing import Any, TypedDict

from sequrity import AsyncSequrityClient
from sequrity.control import (
    FeaturesHeader,
    FineGrainedConfigHeader,
    FsmOverrides,
    SecurityPolicyHeader,
)
from sequrity.control.resources.langgraph import (
    END,
    START,
    BranchSpec,
    GraphSpec,
    LangGraphPolicyDeniedError,
)
from sequrity.testing import Emulator

MODEL = "openai/gpt-5-mini"


class SQLAgentState(TypedDict, total=False):
    query: str
    tables: str
    sql_query: str
    needs_validation: bool
    result: str


def list_tables(state: dict[str, Any]) -> dict[str, Any]:
    """List the database tables."""
    return {"tables": "users, orders"}


def generate_query(state: dict[str, Any]) -> dict[str, Any]:
    """Write SQL for the question."""
    sql = "SELECT u.name FROM users u JOIN orders o ON u.id = o.user_id"
    return {"sql_query": sql, "needs_validation": "JOIN" in sql}


async def validate_query(state: dict[str, Any]) -> dict[str, Any]:
    """Add a safety limit (an async node: awaited by the runner)."""
    return {"sql_query": state["sql_query"] + " LIMIT 100", "needs_validation": False}


def execute_query(state: dict[str, Any]) -> dict[str, Any]:
    """Run the SQL (simulated)."""
    return {"result": f"3 rows from: {state['sql_query']}"}


def route_validation(state: dict[str, Any]) -> str:
    """Validate complex queries first."""
    return "validate" if state.get("needs_validation") else "execute"


PATHS = {"validate": "validate_query", "execute": "execute_query"}
NODES = {
    "list_tables": list_tables,
    "generate_query": generate_query,
    "validate_query": validate_query,
    "execute_query": execute_query,
}


def build_graph() -> Any:
    """The SQL agent as a LangGraph StateGraph, or as a GraphSpec without langgraph."""
    try:
        from langgraph.graph import StateGraph
    except ImportError:
        return GraphSpec(
            nodes=NODES,
            edges=[
                (START, "list_tables"),
                ("list_tables", "generate_query"),
                ("validate_query", "execute_query"),
                ("execute_query", END),
            ],
            branches=[BranchSpec(source="generate_query", router=route_validation, path_map=PATHS)],
        )
    graph = StateGraph(SQLAgentState)
    for name, fn in NODES.items():
        graph.add_node(name, fn)
    graph.add_edge(START, "list_tables")
    graph.add_edge("list_tables", "generate_query")
    graph.add_conditional_edges("generate_query", route_validation, PATHS)
    graph.add_edge("validate_query", "execute_query")
    graph.add_edge("execute_query", END)
    return graph


async def demo(base_url: str | None) -> None:
    graph = build_graph()
    initial = {"query": "Which users placed orders?"}
    security = {
        "features": FeaturesHeader.dual_llm(),
        "fine_grained_config": FineGrainedConfigHeader(fsm=FsmOverrides(max_n_turns=10)),
    }
    async with AsyncSequrityClient(base_url=base_url) as client:
        result = await client.control.langgraph.execute(graph, initial, MODEL, **security)
        print("final state:", result.state)
        print(
            "nodes run:", result.visited, "in", result.steps, "requests; session", result.session_id
        )

        async for update in client.control.langgraph.stream(
            graph, initial, MODEL, stream_mode="updates", **security
        ):
            print("update:", update)

        # Tag what generate_query produced; refuse to execute tagged SQL.
        policy = SecurityPolicyHeader.dual_llm(
            codes='tool "generate_query" -> @tags |= {"untrusted_sql"};\n'
            'tool "execute_query" { hard deny when "untrusted_sql" in state.tags; }'
        )
        try:
            await client.control.langgraph.run(
                graph, initial, MODEL, security_policy=policy, **security
            )
        except LangGraphPolicyDeniedError as denied:
            print(f"denied at {denied.node!r}; state so far: {denied.state}")


async def main() -> None:
    base_url = os.environ.get("SEQURITY_BASE_URL")
    if base_url:
        await demo(base_url)
        return
    os.environ.setdefault("SEQURITY_API_KEY", "sq-example")
    async with Emulator() as emulator:
        print("(using an embedded emulator)")
        await demo(emulator.base_url)


asyncio.run(main())
