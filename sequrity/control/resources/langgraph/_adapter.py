"""
Turning what the caller passed into a `GraphSpec`: a LangGraph ``StateGraph`` (or its compiled
graph), or a `GraphSpec` as is, then the official ``node_functions`` and ``internal_node_mapping``
overrides. ``langgraph`` is imported here only, and only when a LangGraph graph is given.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ...._exceptions import SequrityValidationError
from ._errors import LangGraphUnavailableError
from ._graph import BranchSpec, GraphSpec

__all__ = ["load_graph", "require_langgraph"]

INSTALL_HINT = "LangGraph is not installed. Install it with: pip install 'sequrity[langgraph]'"


def require_langgraph() -> type[Any]:
    """
    Import LangGraph's ``StateGraph``.

    Returns:
        The ``StateGraph`` class.

    Raises:
        LangGraphUnavailableError: ``langgraph`` is not installed.
    """
    try:
        module = importlib.import_module("langgraph.graph")
    except ImportError as exc:
        raise LangGraphUnavailableError(INSTALL_HINT) from exc
    state_graph: type[Any] = module.StateGraph
    return state_graph


def _bad(message: str) -> SequrityValidationError:
    return SequrityValidationError(f"LangGraph graph: {message}")


def _function(what: str, runnable: Any) -> Callable[..., Any]:
    func = getattr(runnable, "func", None)
    if callable(func):
        return func  # type: ignore[no-any-return]
    afunc = getattr(runnable, "afunc", None)
    if inspect.iscoroutinefunction(afunc):
        return afunc
    raise _bad(
        f"{what} is a {type(runnable).__name__}, not a function (subgraphs and runnables are not "
        "supported; wrap the call in a function)"
    )


def _is_missing(value: Any) -> bool:
    # LangGraph marks an empty channel with a bare `object()` sentinel.
    return type(value) is object


def _state(builder: Any) -> tuple[dict[str, Any], dict[str, Any], frozenset[str]]:
    schema = builder.state_schema
    if hasattr(schema, "model_fields") or dataclasses.is_dataclass(schema):
        raise _bad(
            f"the state schema {schema.__name__} is a model class; use a TypedDict (nodes "
            "receive and return plain dicts)"
        )
    channels: Mapping[str, Any] = builder.channels
    if "__root__" in channels:
        raise _bad("the state schema is not a TypedDict; declare its keys with a TypedDict")
    reducers: dict[str, Any] = {}
    defaults: dict[str, Any] = {}
    for key, channel in channels.items():
        kind = type(channel).__name__
        operator = getattr(channel, "operator", None)
        if callable(operator):
            reducers[key] = operator
            if not _is_missing(channel.value):
                defaults[key] = channel.value
        elif kind not in ("LastValue", "AnyValue"):
            raise _bad(f"state key {key!r} uses a {kind} channel, which is not supported")
    return reducers, defaults, frozenset(channels)


def from_state_graph(graph: Any) -> GraphSpec:
    """
    Describe a LangGraph ``StateGraph`` (or the ``CompiledStateGraph`` of one).

    Args:
        graph: The graph.

    Returns:
        Its `GraphSpec`: node functions from ``spec.runnable.func``/``.afunc``, routers from
        ``graph.branches``, reducers from the state schema's annotations.

    Raises:
        LangGraphUnavailableError: ``langgraph`` is not installed.
        SequrityValidationError: not a ``StateGraph``, or a construct the runner does not support.
    """
    state_graph = require_langgraph()
    builder = graph if isinstance(graph, state_graph) else getattr(graph, "builder", None)
    if not isinstance(builder, state_graph):
        raise SequrityValidationError(
            "graph must be a LangGraph StateGraph (or its compiled graph) or a GraphSpec, got "
            f"{type(graph).__name__}"
        )
    nodes: dict[str, Callable[..., Any]] = {}
    for name, spec in builder.nodes.items():
        if getattr(spec, "ends", None):
            raise _bad(f"node {name!r} declares Command destinations; Command is not supported")
        if getattr(spec, "defer", False):
            raise _bad(f"node {name!r} is deferred; deferred nodes are not supported")
        nodes[name] = _function(f"node {name!r}", spec.runnable)
    if builder.waiting_edges:
        raise _bad("it joins parallel branches (add_edge with a list of sources); not supported")
    branches = [
        BranchSpec(
            source=source,
            router=_function(f"router {name!r}", branch.path),
            path_map=branch.ends,
            name=name,
        )
        for source, by_name in builder.branches.items()
        for name, branch in by_name.items()
    ]
    reducers, defaults, keys = _state(builder)
    return GraphSpec(
        nodes=nodes,
        # LangGraph keeps edges in a set: sort them so the compiled program never varies.
        edges=sorted(builder.edges),
        branches=branches,
        reducers=reducers,
        defaults=defaults,
        keys=keys,
    )


def _override(
    spec: GraphSpec,
    node_functions: Mapping[str, Callable[..., Any]] | None,
    internal: Mapping[str, str] | None,
) -> GraphSpec:
    nodes = dict(spec.nodes)
    branches = list(spec.branches)
    for name, fn in (node_functions or {}).items():
        if not callable(fn):
            raise SequrityValidationError(f"node_functions[{name!r}] is not callable")
        routed = [i for i, b in enumerate(branches) if b.tool_name == name]
        if name in nodes:
            nodes[name] = fn
        elif routed:
            for i in routed:
                branches[i] = attrs.evolve(branches[i], router=fn, name=name)
        else:
            raise SequrityValidationError(
                f"node_functions names {name!r}, which is neither a node nor a router of the graph"
            )
    return attrs.evolve(
        spec, nodes=nodes, branches=branches, internal={**spec.internal, **(internal or {})}
    )


def load_graph(
    graph: Any,
    node_functions: Mapping[str, Callable[..., Any]] | None = None,
    internal_node_mapping: Mapping[str, str] | None = None,
) -> GraphSpec:
    """
    Give the `GraphSpec` of a run.

    Args:
        graph: A `GraphSpec`, a LangGraph ``StateGraph``, or a compiled one.
        node_functions: Node or router name -> function, replacing the graph's.
        internal_node_mapping: Node name -> a tool the server runs itself.

    Returns:
        The graph description with the overrides applied.

    Raises:
        LangGraphUnavailableError: a non-`GraphSpec` graph and no ``langgraph`` installed.
        SequrityValidationError: an unsupported graph or a bad override.
    """
    spec = graph if isinstance(graph, GraphSpec) else from_state_graph(graph)
    if node_functions is not None and not isinstance(node_functions, Mapping):
        raise SequrityValidationError("node_functions must map node names to functions")
    if internal_node_mapping is not None and not isinstance(internal_node_mapping, Mapping):
        raise SequrityValidationError("internal_node_mapping must map node names to tool names")
    return _override(spec, node_functions, internal_node_mapping)
