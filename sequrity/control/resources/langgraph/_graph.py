"""
A small, framework-free description of a state graph (`GraphSpec`): nodes, edges, conditional
edges with path maps, reducers per state key. The compiler and the runner only ever see this; the
LangGraph adapter (`_adapter`) builds one from a ``StateGraph``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

import attrs

__all__ = ["END", "START", "BranchSpec", "GraphSpec", "Reducer"]

START = "__start__"
"""The virtual first node (the same string as LangGraph's ``START``)."""
END = "__end__"
"""The virtual last node (the same string as LangGraph's ``END``)."""

#: Merges a node's update into the current value of a state key: ``reducer(current, update)``.
Reducer = Callable[[Any, Any], Any]


def _mapping(value: Mapping[Any, Any] | None) -> dict[Any, Any]:
    return {} if value is None else dict(value)


def _optional_mapping(value: Mapping[Any, Any] | None) -> dict[Any, Any] | None:
    return None if value is None else dict(value)


def _pairs(value: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(a), str(b)) for a, b in value)


def _branches(value: Iterable[BranchSpec]) -> tuple[BranchSpec, ...]:
    return tuple(value)


def _keys(value: Sequence[str] | frozenset[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


@attrs.frozen(kw_only=True)
class BranchSpec:
    """
    A conditional edge: after `source` runs, `router` is called with the state and returns a key
    of `path_map`, whose value is the next node (or `END`).

    Attributes:
        source: The node after which the router runs (`START` for a conditional entry point).
        router: The routing function, called as ``router(state)`` (sync or async).
        path_map: Router output -> next node. `None` means the router returns node names (or
            `END`) directly, as in LangGraph without a path map.
        name: The router's tool name; defaults to the function's ``__name__``.
    """

    source: str
    router: Callable[..., Any]
    path_map: Mapping[Hashable, str] | None = attrs.field(default=None, converter=_optional_mapping)
    name: str | None = None

    @property
    def tool_name(self) -> str:
        """
        The name the program calls and the tool carries.

        Returns:
            `name`, else the router's ``__name__``.
        """
        if self.name is not None:
            return self.name
        return str(getattr(self.router, "__name__", "router"))


@attrs.frozen(kw_only=True)
class GraphSpec:
    """
    A state graph, independent of any framework.

    Example:
        >>> spec = GraphSpec(
        ...     nodes={"read_file": read_file, "send_email": send_email},
        ...     edges=[(START, "read_file"), ("read_file", "send_email"), ("send_email", END)],
        ... )

    Attributes:
        nodes: Node name -> function called as ``fn(state)`` returning a dict of updates (or
            `None`), sync or async, in dispatch order. An internal node (see `internal`) may
            map to `None`.
        edges: Plain edges ``(source, target)``; `START` and `END` name the ends.
        branches: Conditional edges.
        reducers: State key -> reducer; keys without one are overwritten by updates.
        defaults: Initial value of a state key before the input is merged (LangGraph starts a
            reducer channel such as ``Annotated[list, operator.add]`` at ``[]``).
        keys: The state's keys, when known: input and update keys outside it are ignored, as
            LangGraph ignores keys outside the state schema. `None` accepts every key.
        internal: Node name -> a tool the server runs itself (e.g. ``"parse_with_ai"``); such
            nodes are not sent as tools and never run locally.
        descriptions: Tool descriptions by node or router name (default: the docstring).
    """

    nodes: Mapping[str, Callable[..., Any] | None] = attrs.field(converter=_mapping)
    edges: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    branches: tuple[BranchSpec, ...] = attrs.field(default=(), converter=_branches)
    reducers: Mapping[str, Reducer] = attrs.field(factory=dict, converter=_mapping)
    defaults: Mapping[str, Any] = attrs.field(factory=dict, converter=_mapping)
    keys: frozenset[str] | None = attrs.field(default=None, converter=_keys)
    internal: Mapping[str, str] = attrs.field(factory=dict, converter=_mapping)
    descriptions: Mapping[str, str] = attrs.field(factory=dict, converter=_mapping)
