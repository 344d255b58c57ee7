"""Graphs shared by the LangGraph tests: node functions, their `GraphSpec`s, and LangGraph twins."""

from __future__ import annotations

import operator
import threading
from typing import Annotated, Any, Literal, TypedDict

from sequrity.control.resources.langgraph import END, START, BranchSpec, GraphSpec

MODEL = "openai/gpt-5-mini"


class MailState(TypedDict, total=False):
    """A file is read, then mailed."""

    query: str
    result: str


def read_file(state: dict[str, Any]) -> dict[str, Any]:
    """Read a file (external node)."""
    return {"result": "File contents: Hello World"}


def send_email(state: dict[str, Any]) -> dict[str, Any]:
    """Send email (external node)."""
    return {"result": f"Email sent: {state['result']}"}


def mail_spec() -> GraphSpec:
    """read_file -> send_email, as a framework-free description."""
    return GraphSpec(
        nodes={"read_file": read_file, "send_email": send_email},
        edges=[(START, "read_file"), ("read_file", "send_email"), ("send_email", END)],
        keys=["query", "result"],
    )


class CountState(TypedDict, total=False):
    """A counter and a log of visits (a list merged with `operator.add`)."""

    n: int
    log: Annotated[list[str], operator.add]
    verdict: str


def bump(state: dict[str, Any]) -> dict[str, Any]:
    """Add one to n and log the visit."""
    return {"n": state.get("n", 0) + 1, "log": [f"bump{state.get('n', 0)}"]}


async def abump(state: dict[str, Any]) -> dict[str, Any]:
    """The async twin of `bump`."""
    return {"n": state.get("n", 0) + 1, "log": [f"abump{state.get('n', 0)}"]}


def again(state: dict[str, Any]) -> Literal["more", "done"]:
    """Loop while n < 3."""
    return "more" if state["n"] < 3 else "done"


def judge(state: dict[str, Any]) -> dict[str, Any]:
    """Write a verdict on n."""
    return {"verdict": "big" if state["n"] > 1 else "small", "log": ["judge"]}


def is_big(state: dict[str, Any]) -> bool:
    """Route on the verdict: True for big."""
    return bool(state["verdict"] == "big")


def cycle_spec(node: Any = bump) -> GraphSpec:
    """bump loops until n == 3, then judge; a big verdict goes to END, a small one to bump."""
    return GraphSpec(
        nodes={"bump": node, "judge": judge},
        edges=[(START, "bump"), ("judge", END)],
        branches=[
            BranchSpec(source="bump", router=again, path_map={"more": "bump", "done": "judge"})
        ],
        reducers={"log": operator.add},
        defaults={"log": []},
        keys=["n", "log", "verdict"],
    )


def conditional_spec() -> GraphSpec:
    """judge, then END for a big verdict or bump (then END) for a small one: a branch to END."""
    return GraphSpec(
        nodes={"judge": judge, "bump": bump},
        edges=[(START, "judge"), ("bump", END)],
        branches=[BranchSpec(source="judge", router=is_big, path_map={True: END, False: "bump"})],
        reducers={"log": operator.add},
        defaults={"log": []},
        keys=["n", "log", "verdict"],
    )


class Counter:
    """Counts calls of wrapped node functions, per node, and the threads they ran on."""

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}
        self.threads: set[int] = set()
        self._lock = threading.Lock()

    def wrap(self, name: str, fn: Any) -> Any:
        """A plain function calling `fn` and counting the call under `name`."""

        def counted(state: dict[str, Any]) -> Any:
            with self._lock:
                self.calls[name] = self.calls.get(name, 0) + 1
                self.threads.add(threading.get_ident())
            return fn(state)

        counted.__name__ = name
        return counted


# -- LangGraph twins (import langgraph only when called) ---------------------------------------


def mail_graph() -> Any:
    """The LangGraph `StateGraph` of `mail_spec`."""
    from langgraph.graph import StateGraph

    graph = StateGraph(MailState)
    graph.add_node("read_file", read_file)
    graph.add_node("send_email", send_email)
    graph.add_edge(START, "read_file")
    graph.add_edge("read_file", "send_email")
    graph.add_edge("send_email", END)
    return graph


def cycle_graph(node: Any = bump) -> Any:
    """The LangGraph `StateGraph` of `cycle_spec`."""
    from langgraph.graph import StateGraph

    graph = StateGraph(CountState)
    graph.add_node("bump", node)
    graph.add_node("judge", judge)
    graph.add_edge(START, "bump")
    graph.add_conditional_edges("bump", again, {"more": "bump", "done": "judge"})
    graph.add_edge("judge", END)
    return graph


def conditional_graph() -> Any:
    """The LangGraph `StateGraph` of `conditional_spec`."""
    from langgraph.graph import StateGraph

    graph = StateGraph(CountState)
    graph.add_node("judge", judge)
    graph.add_node("bump", bump)
    graph.add_edge(START, "judge")
    graph.add_conditional_edges("judge", is_big, {True: END, False: "bump"})
    graph.add_edge("bump", END)
    return graph
