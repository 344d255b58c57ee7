"""
The compiler (pure): a `GraphSpec` becomes the ``user_provided_program`` the server runs and the tool
definitions it may call, in a deterministic order. Unsupported shapes are refused here, before
anything is sent.

The program is a bounded dispatcher loop, so cycles work and every node appears once::

    state = initial_state
    next_node = 'read_file'
    for graph_step in range(20):
        if next_node == 'read_file':
            node_update = read_file(state=state)
            for update_key, update_value in node_update.items():
                state[update_key] = update_value
            router_answer = route_after_read(state=state)
            if router_answer == 'send':
                next_node = 'send_email'
            elif router_answer == 'stop':
                next_node = '__end__'
            else:
                next_node = '__invalid_route__'
        elif next_node == 'send_email':
            ...
    final_return_value = state

Each node is a tool taking ``state`` and returning the new values of the keys it updated (reducers
already applied by the client); a router is a tool returning a key of its path map.
"""

from __future__ import annotations

import inspect
import keyword
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Literal

import attrs

from ...._exceptions import SequrityValidationError
from ._graph import END, START, BranchSpec, GraphSpec

__all__ = ["CompiledGraph", "Goto", "Route", "ToolInfo", "Transition", "compile_graph"]

#: Names the program binds itself; nodes and routers may not use them.
RESERVED = frozenset(
    {
        "state",
        "initial_state",
        "next_node",
        "graph_step",
        "node_update",
        "update_key",
        "update_value",
        "router_answer",
        "range",
        "final_return_value",
    }
)
#: What `next_node` becomes when a router's answer matches no key (the loop then idles).
INVALID_ROUTE = "__invalid_route__"
_STATE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"state": {"type": "object", "description": "The current graph state"}},
    "required": ["state"],
}


@attrs.frozen
class Goto:
    """
    After a node: go to `node` (a node name or `END`).
    """

    node: str


@attrs.frozen
class Route:
    """
    After a node: call the router of `branch`; its answer picks a key of `destinations`.
    """

    branch: BranchSpec
    destinations: Mapping[Hashable, str]


Transition = Goto | Route


@attrs.frozen(kw_only=True)
class ToolInfo:
    """
    One tool of the compiled graph.

    Attributes:
        name: The tool name (the node's, or the router's).
        kind: ``"node"`` or ``"router"``.
        function: The local function run for it.
        description: The tool description sent to the server.
    """

    name: str
    kind: Literal["node", "router"]
    function: Callable[..., Any]
    description: str


@attrs.frozen(kw_only=True)
class CompiledGraph:
    """
    A graph ready to run: the program, the tools, and the transitions the runner follows.

    Attributes:
        spec: The graph.
        entry: What follows `START`.
        transitions: Node name -> what follows it.
        tools: The tools, external nodes first (in node order), then routers.
        program: The ``user_provided_program`` (checked with `compile`).
        max_steps: The bound of the program's dispatcher loop.
    """

    spec: GraphSpec
    entry: Transition
    transitions: Mapping[str, Transition]
    tools: tuple[ToolInfo, ...]
    program: str
    max_steps: int

    def tool(self, name: str) -> ToolInfo | None:
        """
        Find a tool by name.

        Args:
            name: The tool name.

        Returns:
            The tool, or `None`.
        """
        return next((t for t in self.tools if t.name == name), None)

    def chat_tools(self) -> list[dict[str, Any]]:
        """
        Give the tool definitions in the Chat Completions shape.

        Returns:
            ``{"type": "function", "function": {...}}`` objects, in `tools` order.
        """
        return [
            {
                "type": "function",
                "function": {
                    "name": t.name,
                    "description": t.description,
                    "parameters": _STATE_SCHEMA,
                },
            }
            for t in self.tools
        ]

    def messages_tools(self) -> list[dict[str, Any]]:
        """
        Give the tool definitions in the Anthropic Messages shape.

        Returns:
            ``{"name", "description", "input_schema"}`` objects, in `tools` order.
        """
        return [
            {"name": t.name, "description": t.description, "input_schema": _STATE_SCHEMA}
            for t in self.tools
        ]


def _bad(message: str) -> SequrityValidationError:
    return SequrityValidationError(f"LangGraph graph: {message}")


def _check_name(name: str, what: str) -> None:
    if not isinstance(name, str) or not name.isidentifier() or not name.isascii():
        raise _bad(f"{what} {name!r} cannot be a tool name: use an ASCII Python identifier")
    if keyword.iskeyword(name) or name in RESERVED or name.startswith("__") or len(name) > 64:
        raise _bad(f"{what} {name!r} is reserved by the generated program (or too long); rename it")


def _description(name: str, fn: Callable[..., Any], given: Mapping[str, str], fallback: str) -> str:
    if name in given:
        return given[name]
    doc = fn.__doc__ if inspect.isfunction(fn) or inspect.ismethod(fn) else None
    return inspect.cleandoc(doc) if doc and doc.strip() else fallback


def _destinations(branch: BranchSpec, nodes: Mapping[str, Any]) -> dict[Hashable, str]:
    if branch.path_map is None:
        return {name: name for name in [*nodes, END]}
    found: dict[Hashable, str] = {}
    for key, target in branch.path_map.items():
        if key is not None and not isinstance(key, str | int | bool):
            raise _bad(
                f"router {branch.tool_name!r}: path-map key {key!r} must be a str, int, bool "
                "or None (it is compared in the program)"
            )
        if target != END and target not in nodes:
            raise _bad(f"router {branch.tool_name!r}: path-map target {target!r} is not a node")
        found[key] = target
    if not found:
        raise _bad(f"router {branch.tool_name!r} has an empty path map")
    return found


def _outgoing(spec: GraphSpec) -> dict[str, Transition]:
    known = {START, *spec.nodes}
    found: dict[str, list[Transition]] = {}
    for source, target in spec.edges:
        if source not in known:
            raise _bad(f"edge {source!r} -> {target!r}: unknown source node {source!r}")
        if target != END and target not in spec.nodes:
            raise _bad(f"edge {source!r} -> {target!r}: unknown target node {target!r}")
        found.setdefault(source, []).append(Goto(target))
    for branch in spec.branches:
        if branch.source not in known:
            raise _bad(f"router {branch.tool_name!r}: unknown source node {branch.source!r}")
        if not callable(branch.router):
            raise _bad(f"router after {branch.source!r} is not callable")
        found.setdefault(branch.source, []).append(Route(branch, _destinations(branch, spec.nodes)))
    single: dict[str, Transition] = {}
    for source, options in found.items():
        if len(options) > 1:
            raise _bad(
                f"{source!r} has {len(options)} outgoing edges or routers; parallel fan-out is "
                "not supported (give each node one successor or one conditional edge)"
            )
        single[source] = options[0]
    return single


def _tools(spec: GraphSpec, routes: list[Route]) -> tuple[ToolInfo, ...]:
    tools: list[ToolInfo] = []
    for name, fn in spec.nodes.items():
        _check_name(name, "node")
        if name in spec.internal:
            _check_name(spec.internal[name], f"internal tool of node {name!r}")
            continue
        if fn is None or not callable(fn):
            raise _bad(f"node {name!r} has no function (pass it in node_functions)")
        fallback = f"Runs the LangGraph node {name!r} on the state; returns its state updates."
        tools.append(
            ToolInfo(
                name=name,
                kind="node",
                function=fn,
                description=_description(name, fn, spec.descriptions, fallback),
            )
        )
    routers: dict[str, Callable[..., Any]] = {}
    for route in routes:
        branch = route.branch
        name = branch.tool_name
        _check_name(name, "router")
        if name in spec.nodes:
            raise _bad(f"router {name!r} has the name of a node; rename one of them")
        if name in routers:
            if routers[name] is not branch.router:
                raise _bad(f"two different routers are named {name!r}; give them distinct names")
            continue
        routers[name] = branch.router
        keys = ", ".join(repr(k) for k in route.destinations)
        fallback = f"Chooses the next LangGraph node after {branch.source!r}: one of {keys}."
        tools.append(
            ToolInfo(
                name=name,
                kind="router",
                function=branch.router,
                description=_description(name, branch.router, spec.descriptions, fallback),
            )
        )
    return tuple(tools)


def _transition_lines(transition: Transition, indent: str) -> list[str]:
    if isinstance(transition, Goto):
        return [f"{indent}next_node = {transition.node!r}"]
    lines = [f"{indent}router_answer = {transition.branch.tool_name}(state=state)"]
    for i, (key, target) in enumerate(transition.destinations.items()):
        lines.append(f"{indent}{'if' if i == 0 else 'elif'} router_answer == {key!r}:")
        lines.append(f"{indent}    next_node = {target!r}")
    lines.append(f"{indent}else:")
    lines.append(f"{indent}    next_node = {INVALID_ROUTE!r}")
    return lines


def _program(
    spec: GraphSpec, entry: Transition, transitions: Mapping[str, Transition], max_steps: int
) -> str:
    lines = [
        "# A LangGraph state graph compiled by sequrity: each node is a tool taking the state and",
        "# returning the new values of the keys it updated; a router returns a key of its path map.",
        "state = initial_state",
        *_transition_lines(entry, ""),
        f"for graph_step in range({max_steps}):",
    ]
    for i, name in enumerate(spec.nodes):
        function = spec.internal.get(name, name)
        lines += [
            f"    {'if' if i == 0 else 'elif'} next_node == {name!r}:",
            f"        node_update = {function}(state=state)",
            "        for update_key, update_value in node_update.items():",
            "            state[update_key] = update_value",
            *_transition_lines(transitions.get(name, Goto(END)), "        "),
        ]
    lines.append("final_return_value = state")
    return "\n".join(lines) + "\n"


def compile_graph(spec: GraphSpec, *, max_steps: int = 20) -> CompiledGraph:
    """
    Compile a graph into the program and tools the lang-graph endpoint runs.

    Args:
        spec: The graph.
        max_steps: The most node visits the program's loop allows.

    Returns:
        The `CompiledGraph`.

    Raises:
        SequrityValidationError: an unsupported or inconsistent graph (parallel fan-out, a
            missing entry point, a node name that is not an identifier, ...), named in the message.
    """
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
        raise SequrityValidationError(f"max_exec_steps must be an integer >= 1, got {max_steps!r}")
    if not spec.nodes:
        raise _bad("it has no nodes")
    for name in spec.internal:
        if name not in spec.nodes:
            raise _bad(f"internal_node_mapping names {name!r}, which is not a node")
    outgoing = _outgoing(spec)
    entry = outgoing.pop(START, None)
    if entry is None:
        raise _bad("it has no entry point: add an edge (or a conditional edge) from START")
    in_order = [entry, *(outgoing[n] for n in spec.nodes if n in outgoing)]
    routes = [t for t in in_order if isinstance(t, Route)]
    tools = _tools(spec, routes)
    program = _program(spec, entry, outgoing, max_steps)
    try:
        compile(program, "<user_provided_program>", "exec")
    except SyntaxError as exc:  # pragma: no cover - the names were checked above
        raise _bad(f"the generated program does not compile: {exc}") from None
    return CompiledGraph(
        spec=spec,
        entry=entry,
        transitions=outgoing,
        tools=tools,
        program=program,
        max_steps=max_steps,
    )
