"""State merging (pure): reducer defaults, LangGraph's first-write rule, ignored keys, JSON form."""

from __future__ import annotations

import dataclasses
import json
import operator

import attrs

from sequrity.control.resources.langgraph import START, GraphSpec
from sequrity.control.resources.langgraph._state import apply_update, initial_state, to_json


def spec(**kwargs):
    """A one-node graph with the given state rules."""
    return GraphSpec(nodes={"a": lambda s: {}}, edges=[(START, "a")], **kwargs)


def test_input_is_merged_into_reducer_defaults():
    """A reducer key starts from its default and the input is merged through the reducer."""
    rules = spec(reducers={"log": operator.add}, defaults={"log": ["start"]})

    assert initial_state(rules, {"log": ["x"], "n": 1}) == {"log": ["start", "x"], "n": 1}


def test_first_write_to_an_empty_reducer_key_is_taken_as_is():
    """Without a default, a reducer key's first value is stored unchanged (LangGraph's rule)."""
    rules = spec(reducers={"total": operator.add})
    state = initial_state(rules, {})

    apply_update(rules, state, {"total": 5})
    apply_update(rules, state, {"total": 2})

    assert state == {"total": 7}


def test_keys_outside_the_schema_are_ignored():
    """Input and update keys outside `keys` are dropped, as LangGraph drops them."""
    rules = spec(keys=["n"])
    state = initial_state(rules, {"n": 1, "stray": 2})

    changed = apply_update(rules, state, {"n": 2, "other": 3})

    assert (state, changed) == ({"n": 2}, {"n": 2})


def test_update_reports_the_new_value_of_each_touched_key():
    """The server receives the reduced value, not the raw update."""
    rules = spec(reducers={"log": operator.add}, defaults={"log": []})
    state = initial_state(rules, {"log": ["a"]})

    changed = apply_update(rules, state, {"log": ["b"], "n": 1})

    assert changed == {"log": ["a", "b"], "n": 1}


def test_the_callers_initial_state_is_not_modified():
    """Merging never touches the caller's dict or the graph's default."""
    default: list[str] = []
    given = {"log": ["a"]}
    rules = spec(reducers={"log": operator.add}, defaults={"log": default})

    state = initial_state(rules, given)
    apply_update(rules, state, {"log": ["b"]})

    assert (given, default) == ({"log": ["a"]}, [])


def test_json_form_handles_sets_attrs_dataclasses_and_unknown_objects():
    """Values JSON does not know are encoded as objects, lists or their text."""

    @attrs.frozen
    class A:
        x: int

    @dataclasses.dataclass
    class D:
        y: int

    class Other:
        def __str__(self) -> str:
            return "other"

    text = to_json({"a": A(1), "d": D(2), "s": {"b", "a"}, "o": Other(), "é": b"bytes"})

    assert json.loads(text) == {
        "a": {"x": 1},
        "d": {"y": 2},
        "s": ["a", "b"],
        "o": "other",
        "é": "bytes",
    }
