"""
State handling (pure): the initial state, merging node updates through the reducers the way
LangGraph does, and the JSON form of values sent to the server.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Mapping
from typing import Any

import attrs

from ...._converter import get_fast_converter
from ._graph import GraphSpec

__all__ = ["apply_update", "initial_state", "to_json", "to_jsonable"]


def _merge_key(spec: GraphSpec, state: dict[str, Any], key: str, value: Any) -> None:
    reducer = spec.reducers.get(key)
    # LangGraph's reducer channels take the first write as is when they hold no value yet.
    if reducer is None or key not in state:
        state[key] = value
    else:
        state[key] = reducer(state[key], value)


def initial_state(spec: GraphSpec, given: Mapping[str, Any]) -> dict[str, Any]:
    """
    Build the state a run starts from: reducer defaults, then the input merged through the
    reducers; keys outside `spec.keys` are ignored (as LangGraph ignores them).

    Args:
        spec: The graph.
        given: The caller's initial state (never modified).

    Returns:
        A new dict.
    """
    state: dict[str, Any] = {k: copy.deepcopy(v) for k, v in spec.defaults.items()}
    for key, value in given.items():
        if spec.keys is None or key in spec.keys:
            _merge_key(spec, state, key, value)
    return state


def apply_update(
    spec: GraphSpec, state: dict[str, Any], update: Mapping[str, Any]
) -> dict[str, Any]:
    """
    Merge one node's update into `state` in place, through the reducers.

    Args:
        spec: The graph.
        state: The current state (modified).
        update: The node's update; keys outside `spec.keys` are ignored.

    Returns:
        The new value of every key the update touched (what the server's copy must receive).
    """
    changed: dict[str, Any] = {}
    for key, value in update.items():
        if spec.keys is not None and key not in spec.keys:
            continue
        _merge_key(spec, state, key, value)
        changed[key] = state[key]
    return changed


def to_jsonable(value: Any) -> Any:
    """
    Turn a value that `json` cannot encode into one it can: attrs and dataclass instances and
    pydantic models become objects, sets become lists, anything else its ``str()``.

    Args:
        value: The value.

    Returns:
        A JSON-encodable stand-in.
    """
    if attrs.has(type(value)):
        return get_fast_converter().unstructure(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        try:
            return dump(mode="json")
        except Exception:
            return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def to_json(value: Any) -> str:
    """
    Encode a value as JSON text, with `to_jsonable` for anything `json` does not know.

    Args:
        value: The value.

    Returns:
        The JSON text (non-ASCII kept).
    """
    return json.dumps(value, ensure_ascii=False, default=to_jsonable)
