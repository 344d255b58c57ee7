"""A hypothesis helper: a valid JSON value with one part replaced by something else."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

#: Values of every JSON kind (and the Python look-alikes a caller may pass: bools, tuples).
junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=4), inner, max_size=2)
    ),
    max_leaves=4,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, valid: st.SearchStrategy[Any]) -> Any:
    """A value of `valid` with one part replaced by junk, removed, or given an unknown key."""
    value = copy.deepcopy(draw(valid))
    path = draw(st.sampled_from(_paths(value)[1:] or [()]))
    if not path:
        return draw(junk)
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if action == "remove" and isinstance(parent, dict):
        del parent[path[-1]]
    elif action == "add" and isinstance(parent, dict):
        parent[draw(st.text(max_size=8))] = draw(junk)
    else:
        parent[path[-1]] = draw(junk)
    return value
