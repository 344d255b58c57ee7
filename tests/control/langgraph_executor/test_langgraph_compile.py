"""The graph compiler (pure): program text, tools, deterministic order, refused shapes."""

from __future__ import annotations

from typing import Any

import pytest
from langgraph_helpers import (
    again,
    bump,
    conditional_spec,
    cycle_spec,
    judge,
    mail_spec,
    read_file,
    send_email,
)

from sequrity import SequrityValidationError
from sequrity.control.resources.langgraph import END, START, BranchSpec, GraphSpec, compile_graph


def simulate(program: str, initial: dict[str, Any], **tools: Any) -> tuple[list[str], Any]:
    """Run a compiled program with plain Python, the way the server would; return calls and result."""
    called: list[str] = []

    def tool(name: str, fn: Any) -> Any:
        def call(state: dict[str, Any]) -> Any:
            called.append(name)
            return fn(dict(state))

        return call

    namespace: dict[str, Any] = {"initial_state": dict(initial)}
    namespace.update({name: tool(name, fn) for name, fn in tools.items()})
    exec(compile(program, "<program>", "exec"), namespace)
    return called, namespace["final_return_value"]


def test_program_keeps_the_official_test_substrings():
    """The program has the lines the official test looks for, and Python compiles it."""
    program = compile_graph(mail_spec()).program

    assert "state = initial_state" in program
    assert "read_file(state=state)" in program
    assert "send_email(state=state)" in program
    assert "final_return_value" in program
    compile(program, "<program>", "exec")


def test_tools_are_named_after_nodes_in_node_order_then_routers():
    """Tools carry node names (in the graph's order), routers come last; both API shapes agree."""
    compiled = compile_graph(cycle_spec())

    chat = [t["function"]["name"] for t in compiled.chat_tools()]
    messages = [t["name"] for t in compiled.messages_tools()]

    assert chat == ["bump", "judge", "again"]
    assert messages == chat
    assert compiled.messages_tools()[0]["input_schema"]["required"] == ["state"]


def test_tool_description_is_the_docstring_or_a_sentence_naming_the_node():
    """A documented function lends its docstring; an undocumented one gets a description."""
    spec = GraphSpec(nodes={"a": read_file, "b": lambda s: {}}, edges=[(START, "a"), ("a", "b")])

    tools = compile_graph(spec).chat_tools()

    assert tools[0]["function"]["description"] == "Read a file (external node)."
    assert "'b'" in tools[1]["function"]["description"]


def test_edge_order_does_not_change_the_program():
    """The same graph with its edges listed in another order compiles to the same text."""
    edges = [(START, "read_file"), ("read_file", "send_email"), ("send_email", END)]
    nodes = {"read_file": read_file, "send_email": send_email}

    first = compile_graph(GraphSpec(nodes=nodes, edges=edges)).program
    second = compile_graph(GraphSpec(nodes=nodes, edges=edges[::-1])).program

    assert first == second


def test_router_output_is_matched_on_path_map_keys():
    """The program compares the router's answer with the keys, and goes to the targets."""
    program = compile_graph(cycle_spec()).program

    assert "router_answer == 'more'" in program
    assert "router_answer == 'bump'" not in program
    assert "next_node = 'judge'" in program


def test_a_branch_to_end_compiles_and_runs():
    """A conditional edge to END (a SyntaxError in the official SDK) gives a working program."""
    compiled = compile_graph(conditional_spec())

    called, final = simulate(
        compiled.program,
        {"n": 5, "log": []},
        judge=lambda s: {"verdict": "big"},
        bump=bump,
        is_big=lambda s: True,
    )

    assert called == ["judge", "is_big"]
    assert final["verdict"] == "big"


def test_a_cycle_runs_until_its_router_says_done():
    """The dispatcher loop revisits a node as often as the router asks."""
    compiled = compile_graph(cycle_spec())

    called, final = simulate(compiled.program, {"n": 0}, bump=bump, judge=judge, again=again)

    assert called == ["bump", "again"] * 3 + ["judge"]
    assert final["n"] == 3


def test_the_loop_stops_at_max_steps():
    """A graph that never ends visits at most max_steps nodes."""
    spec = GraphSpec(
        nodes={"bump": bump},
        edges=[(START, "bump")],
        branches=[
            BranchSpec(source="bump", router=lambda s: "x", path_map={"x": "bump"}, name="loop")
        ],
    )

    called, _ = simulate(
        compile_graph(spec, max_steps=4).program, {"n": 0}, bump=bump, loop=lambda s: "x"
    )

    assert called.count("bump") == 4


def test_a_router_answer_outside_the_path_map_ends_the_loop():
    """An unknown router answer leads nowhere: no further node is called."""
    compiled = compile_graph(cycle_spec())

    called, _ = simulate(compiled.program, {"n": 0}, bump=bump, judge=judge, again=lambda s: "?")

    assert called == ["bump", "again"]


def test_conditional_entry_point_routes_before_the_loop():
    """A router on START picks the first node."""
    spec = GraphSpec(
        nodes={"judge": judge, "bump": bump},
        edges=[("judge", END), ("bump", END)],
        branches=[
            BranchSpec(source=START, router=again, path_map={"more": "bump", "done": "judge"})
        ],
    )

    called, _ = simulate(compile_graph(spec).program, {"n": 0}, bump=bump, judge=judge, again=again)

    assert called == ["again", "bump"]


def test_internal_node_is_called_by_its_server_tool_and_is_not_a_tool():
    """A node mapped to a server-side tool is called by that name and not offered as a tool."""
    spec = GraphSpec(
        nodes={"agent": None, "send_email": send_email},
        edges=[(START, "agent"), ("agent", "send_email")],
        internal={"agent": "parse_with_ai"},
    )

    compiled = compile_graph(spec)

    assert "node_update = parse_with_ai(state=state)" in compiled.program
    assert [t.name for t in compiled.tools] == ["send_email"]


@pytest.mark.parametrize(
    ("spec", "needle"),
    [
        (
            GraphSpec(nodes={"a": bump, "b": bump}, edges=[(START, "a"), (START, "b")]),
            "fan-out",
        ),
        (
            GraphSpec(
                nodes={"a": bump, "b": bump},
                edges=[(START, "a"), ("a", "b")],
                branches=[BranchSpec(source="a", router=again, path_map={"more": "b"})],
            ),
            "fan-out",
        ),
        (GraphSpec(nodes={"a": bump}, edges=[("a", END)]), "no entry point"),
        (GraphSpec(nodes={"a": bump}, edges=[(START, "a"), ("a", "zz")]), "'zz'"),
        (GraphSpec(nodes={"read file": bump}, edges=[(START, "read file")]), "identifier"),
        (GraphSpec(nodes={"state": bump}, edges=[(START, "state")]), "reserved"),
        (GraphSpec(nodes={"a": None}, edges=[(START, "a")]), "no function"),
        (GraphSpec(nodes={}, edges=[]), "no nodes"),
        (
            GraphSpec(
                nodes={"a": bump},
                edges=[(START, "a")],
                branches=[BranchSpec(source="a", router=again, path_map={1.5: END})],
            ),
            "path-map key",
        ),
        (
            GraphSpec(
                nodes={"a": bump, "b": bump},
                edges=[(START, "a")],
                branches=[
                    BranchSpec(source="a", router=lambda s: "b", path_map={"b": "b"}, name="r"),
                    BranchSpec(source="b", router=lambda s: "a", path_map={"a": "a"}, name="r"),
                ],
            ),
            "distinct names",
        ),
        (
            GraphSpec(
                nodes={"a": bump},
                edges=[(START, "a")],
                branches=[BranchSpec(source="a", router=again, name="a")],
            ),
            "name of a node",
        ),
    ],
    ids=[
        "two-start-edges",
        "edge-and-router",
        "no-entry",
        "unknown-target",
        "not-identifier",
        "reserved-name",
        "missing-function",
        "empty",
        "float-key",
        "router-name-clash",
        "router-named-like-node",
    ],
)
def test_unsupported_graphs_are_refused_with_a_clear_message(spec, needle):
    """Each unsupported or inconsistent shape raises SequrityValidationError naming the problem."""
    with pytest.raises(SequrityValidationError) as caught:
        compile_graph(spec)

    assert needle in str(caught.value)


def test_max_steps_must_be_positive():
    """max_exec_steps below 1 is refused."""
    with pytest.raises(SequrityValidationError, match="max_exec_steps"):
        compile_graph(mail_spec(), max_steps=0)
