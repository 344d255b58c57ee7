"""Tests for the wire rules of the shared cattrs converter in `sequrity._converter`."""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import attrs
import pytest

import sequrity._converter
from sequrity import SequrityValidationError
from sequrity._converter import (
    EMPTY,
    dumps,
    get_converter,
    make_converter,
    register_tagged_union,
    register_wire_rules,
    structure_or_raise,
    validation_messages,
    wire_name,
)
from sequrity.types.chat_completion.request import (
    ChatCompletionRequest,
    JsonSchema,
    ResponseFormatJsonSchema,
    UserMessage,
)
from sequrity.types.chat_completion.response import ChatCompletionResponse, CompletionUsage

USER = {"role": "user", "content": "hi"}


@attrs.frozen(kw_only=True)
class Probe:
    """A small model exercising every primitive rule."""

    name: str
    count: int
    ratio: float
    flag: bool
    kind: Literal["a", "b"] = "a"
    note: str | None = None
    extra: Mapping[str, Any] = attrs.field(default=EMPTY, kw_only=True)


@attrs.frozen(kw_only=True)
class Cat:
    """Tagged-union member `cat`."""

    kind: Literal["cat"] = "cat"
    meow: str = ""


@attrs.frozen(kw_only=True)
class Dog:
    """Tagged-union member `dog`."""

    kind: Literal["dog"] = "dog"


@attrs.frozen(kw_only=True)
class Other:
    """Fallback member of an open union."""

    kind: str
    extra: Mapping[str, Any] = attrs.field(default=EMPTY, kw_only=True)


PROBE = {"name": "n", "count": 1, "ratio": 0.5, "flag": True}


# -- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("attr", "key"), [("schema_", "schema"), ("type", "type"), ("a_b", "a_b")])
def test_wire_name_drops_only_a_trailing_underscore(attr: str, key: str) -> None:
    """`schema_` is sent as `schema`; other names are unchanged."""
    assert wire_name(attr) == key


def test_schema_attribute_goes_out_as_schema() -> None:
    """JsonSchema.schema_ is unstructured under the JSON key `schema` (never `schema_`)."""
    fmt = ResponseFormatJsonSchema(
        json_schema=JsonSchema(name="answer", schema_={"type": "object"})
    )

    assert get_converter().unstructure(fmt) == {
        "json_schema": {"name": "answer", "schema": {"type": "object"}},
        "type": "json_schema",
    }


def test_schema_key_comes_in_as_schema_attribute() -> None:
    """The JSON key `schema` structures into the `schema_` attribute."""
    obj = get_converter().structure({"name": "answer", "schema": {"type": "string"}}, JsonSchema)

    assert obj.schema_ == {"type": "string"}


# -- None omitted, extra kept ------------------------------------------------------------------


def test_none_fields_are_omitted() -> None:
    """Optional fields left at None do not appear in the JSON."""
    request = ChatCompletionRequest(messages=[UserMessage(content="hi")], model="m")

    assert get_converter().unstructure(request) == {"messages": [USER], "model": "m"}


def test_explicit_false_and_zero_are_sent() -> None:
    """Only None is dropped: `stream: false` and `seed: 0` go out."""
    request = ChatCompletionRequest(
        messages=[UserMessage(content="hi")], model="m", stream=False, seed=0
    )

    assert get_converter().unstructure(request) == {
        "messages": [USER],
        "model": "m",
        "stream": False,
        "seed": 0,
    }


def test_unknown_response_keys_are_kept_in_extra() -> None:
    """A key the model does not know is kept in `extra` with its value."""
    usage = get_converter().structure(
        {"completion_tokens": 1, "prompt_tokens": 2, "total_tokens": 3, "cost": {"usd": 0.1}},
        CompletionUsage,
    )

    assert usage.extra == {"cost": {"usd": 0.1}}


def test_known_keys_only_leave_extra_empty() -> None:
    """Without unknown keys `extra` is the shared empty mapping."""
    usage = get_converter().structure(
        {"completion_tokens": 1, "prompt_tokens": 2, "total_tokens": 3}, CompletionUsage
    )

    assert usage.extra is EMPTY


def test_unknown_keys_are_sent_back_on_unstructure() -> None:
    """Keys kept in `extra` reappear in the JSON."""
    data = {"completion_tokens": 1, "prompt_tokens": 2, "total_tokens": 3, "cost": 0.5}
    c = get_converter()

    assert c.unstructure(c.structure(data, CompletionUsage)) == data


def test_extra_never_overrides_a_modelled_field() -> None:
    """An `extra` entry with a modelled field's name does not replace the field's value."""
    msg = UserMessage(content="real", extra={"content": "fake", "x": 1})

    assert get_converter().unstructure(msg) == {"content": "real", "role": "user", "x": 1}


def test_unknown_keys_in_request_dicts_are_kept_and_sent() -> None:
    """Unknown keys on a request dict (top level and in a message) survive a round trip."""
    data = {
        "messages": [{**USER, "cache_control": {"type": "ephemeral"}}],
        "model": "m",
        "provider_opt": [1, 2],
    }
    c = get_converter()

    assert c.unstructure(c.structure(data, ChatCompletionRequest)) == data


def test_a_json_key_named_extra_is_kept_as_an_unknown_key() -> None:
    """A server key literally called `extra` is not confused with the bookkeeping field."""
    data = {"completion_tokens": 1, "prompt_tokens": 2, "total_tokens": 3, "extra": {"a": 1}}
    c = get_converter()

    assert c.unstructure(c.structure(data, CompletionUsage)) == data


# -- strict primitives -------------------------------------------------------------------------


def structure_probe(**changes: object) -> Probe:
    """Structure PROBE with `changes` applied."""
    return structure_or_raise({**PROBE, **changes}, Probe, "probe")  # type: ignore[no-any-return]


def test_valid_primitives_are_structured() -> None:
    """Matching JSON types structure into the model."""
    assert structure_probe() == Probe(name="n", count=1, ratio=0.5, flag=True)


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("name", 3, "expected a string, got int @ probe.name"),
        ("name", None, "expected a string, got NoneType @ probe.name"),
        ("count", "3", "expected an integer, got str @ probe.count"),
        ("count", True, "expected an integer, got bool @ probe.count"),
        ("count", 1.5, "expected an integer, got float @ probe.count"),
        ("ratio", "0.5", "expected a number, got str @ probe.ratio"),
        ("ratio", False, "expected a number, got bool @ probe.ratio"),
        ("flag", 1, "expected true or false, got int @ probe.flag"),
        ("flag", "true", "expected true or false, got str @ probe.flag"),
        ("kind", "c", "expected one of 'a', 'b', got 'c' @ probe.kind"),
    ],
)
def test_primitives_are_not_coerced(field: str, value: object, problem: str) -> None:
    """No str<-int, int<-str, int<-bool, float<-bool or bool<-int coercion: each is refused."""
    with pytest.raises(SequrityValidationError) as info:
        structure_probe(**{field: value})

    assert info.value.errors == [problem]


def test_integral_float_is_accepted_as_int() -> None:
    """`3.0` from a JSON encoder is an acceptable integer."""
    probe = structure_probe(count=3.0)

    assert (probe.count, type(probe.count)) == (3, int)


def test_int_is_accepted_as_float() -> None:
    """An integer JSON number is a valid float and becomes a float."""
    probe = structure_probe(ratio=2)

    assert (probe.ratio, type(probe.ratio)) == (2.0, float)


def test_list_field_refuses_a_string() -> None:
    """A string where a list belongs is refused (it is not split into characters)."""
    with pytest.raises(SequrityValidationError) as info:
        structure_or_raise({"messages": "hello", "model": "m"}, ChatCompletionRequest, "request")

    assert info.value.errors == ["expected a JSON array, got str @ request.messages"]


# -- structure_or_raise errors -----------------------------------------------------------------


def test_structure_or_raise_lists_every_problem_with_its_path() -> None:
    """All problems are reported at once, each with its JSON path, in `errors` and the message."""
    with pytest.raises(SequrityValidationError) as info:
        structure_or_raise({"name": 1, "count": "x", "ratio": 1.0, "flag": True}, Probe, "probe")

    assert sorted(info.value.errors) == [
        "expected a string, got int @ probe.name",
        "expected an integer, got str @ probe.count",
    ]
    assert str(info.value) == "invalid probe: " + "; ".join(info.value.errors)


def test_structure_or_raise_reports_missing_fields() -> None:
    """A missing required field is reported as such, with its path."""
    with pytest.raises(SequrityValidationError) as info:
        structure_or_raise({"count": 1, "ratio": 1.0, "flag": True}, Probe, "probe")

    assert info.value.errors == ["required field missing @ probe.name"]


def test_structure_or_raise_refuses_a_non_object() -> None:
    """A list where an object belongs is refused, naming the model."""
    with pytest.raises(SequrityValidationError) as info:
        structure_or_raise([1, 2], Probe, "probe")

    assert info.value.errors == ["expected a JSON object for Probe, got list @ probe"]


def test_structure_or_raise_reports_nested_list_paths() -> None:
    """A problem inside a list item names the index in the path."""
    data = {"messages": [USER, {"role": "user", "content": 5}], "model": "m"}

    with pytest.raises(SequrityValidationError) as info:
        structure_or_raise(data, ChatCompletionRequest, "request")

    assert info.value.errors == [
        "expected a string or a list, got int @ request.messages[1].content"
    ]


def test_validation_error_is_a_value_error() -> None:
    """Input errors can be caught as ValueError too."""
    with pytest.raises(ValueError, match="invalid probe"):
        structure_or_raise({}, Probe, "probe")


def test_validation_messages_of_a_plain_exception_uses_the_root() -> None:
    """A non-cattrs exception becomes one line ending with the root path."""
    assert validation_messages(TypeError("boom"), "$") == ["boom @ $"]


def test_validation_messages_of_an_empty_exception_uses_its_type() -> None:
    """An exception without text is described by its type name."""
    assert validation_messages(ValueError(), "$") == ["ValueError @ $"]


# -- tagged unions -----------------------------------------------------------------------------


def test_tagged_union_dispatches_on_the_tag() -> None:
    """The tag value picks the member class."""
    c = make_converter()
    register_tagged_union(c, Cat | Dog, "kind", {"cat": Cat, "dog": Dog})

    assert [c.structure(v, Cat | Dog) for v in ({"kind": "cat", "meow": "m"}, {"kind": "dog"})] == [  # type: ignore[arg-type]
        Cat(meow="m"),
        Dog(),
    ]


def test_tagged_union_refuses_unknown_tag_listing_allowed() -> None:
    """An unknown tag is refused, naming the allowed values."""
    c = make_converter()
    register_tagged_union(c, Cat | Dog, "kind", {"cat": Cat, "dog": Dog})

    with pytest.raises(ValueError) as info:
        c.structure({"kind": "cow"}, Cat | Dog)  # type: ignore[arg-type]

    assert str(info.value) == "unknown kind 'cow'; expected one of 'cat', 'dog'"


def test_tagged_union_refuses_a_missing_tag_listing_allowed() -> None:
    """A missing tag is refused, naming the allowed values."""
    c = make_converter()
    register_tagged_union(c, Cat | Dog, "kind", {"cat": Cat, "dog": Dog})

    with pytest.raises(ValueError) as info:
        c.structure({}, Cat | Dog)  # type: ignore[arg-type]

    assert str(info.value) == "missing 'kind'; expected one of 'cat', 'dog'"


def test_open_tagged_union_uses_the_fallback() -> None:
    """With a fallback, an unknown tag structures into the fallback class with its extras."""
    c = make_converter()
    register_tagged_union(c, Cat | Other, "kind", {"cat": Cat}, fallback=Other)

    assert c.structure({"kind": "ping", "n": 1}, Cat | Other) == Other(kind="ping", extra={"n": 1})  # type: ignore[arg-type]


def test_tagged_union_takes_another_model_by_its_json() -> None:
    """A model object of a class outside the union is read by its JSON (a response sent back)."""
    c = make_converter()
    register_tagged_union(c, Cat | Dog, "kind", {"cat": Cat, "dog": Dog})

    assert c.structure(Other(kind="cat", extra={"meow": "m"}), Cat | Dog) == Cat(meow="m")  # type: ignore[arg-type]


def test_shared_converter_is_built_once() -> None:
    """get_converter() returns the same converter every time."""
    assert get_converter() is get_converter()


def test_response_structure_failure_names_the_path() -> None:
    """A malformed response is explained with its JSON path."""
    data = {
        "id": "x",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "user"}}],
        "created": 1,
        "model": "m",
    }

    with pytest.raises(SequrityValidationError) as info:
        structure_or_raise(data, ChatCompletionResponse, "response")

    assert info.value.errors == [
        "expected one of 'assistant', got 'user' @ response.choices[0].message.role"
    ]


# -- dumps -------------------------------------------------------------------------------------


def test_dumps_is_compact_utf8() -> None:
    """The body is compact JSON in UTF-8 with non-ASCII kept as is."""
    assert dumps({"a": [1, 2], "t": "héllo"}) == '{"a":[1,2],"t":"héllo"}'.encode()


def test_dumps_round_trips_through_json() -> None:
    """What dumps produces is what json.loads reads back."""
    value = {"n": None, "f": 1.5, "b": False, "s": "x\ny", "l": [{}]}

    assert json.loads(dumps(value)) == value


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"x": float("nan")}, "Out of range float values are not JSON compliant"),
        ({"x": float("inf")}, "Out of range float values are not JSON compliant"),
        ({"x": {1, 2}}, "Object of type set is not JSON serializable"),
        ({"x": object()}, "Object of type object is not JSON serializable"),
        ({"x": b"bytes"}, "Object of type bytes is not JSON serializable"),
    ],
)
def test_dumps_refuses_what_json_cannot_carry(value: object, problem: str) -> None:
    """NaN, infinities, sets, bytes and arbitrary objects are refused with a SequrityValidationError."""
    with pytest.raises(SequrityValidationError) as info:
        dumps(value, "request body")

    assert str(info.value).startswith("request body cannot be sent as JSON: ")
    assert problem in str(info.value)


def test_dumps_names_what_was_being_encoded() -> None:
    """The `what` argument appears in the error."""
    with pytest.raises(SequrityValidationError, match=r"^extra_body cannot be sent as JSON"):
        dumps({"x": float("nan")}, "extra_body")


# -- the registry of wire rules ----------------------------------------------------------------


@attrs.frozen
class Celsius:
    """A test-only model whose wire form is a bare number (a rule only its own package knows)."""

    degrees: float


def test_registered_rules_reach_built_and_new_converters() -> None:
    """A package's rules apply to converters built before and after it registers them, once."""
    before = make_converter()
    calls: list[object] = []

    def rules(converter: Any) -> None:
        calls.append(converter)
        converter.register_structure_hook(Celsius, lambda value, _: Celsius(float(value)))
        converter.register_unstructure_hook(Celsius, lambda obj: obj.degrees)

    register_wire_rules(rules)
    register_wire_rules(rules)
    after = make_converter()

    assert [c.structure(21, Celsius) for c in (before, after)] == [Celsius(21.0)] * 2
    assert after.unstructure(Celsius(3.5)) == 3.5
    assert calls.count(before) == 1
    assert calls.count(after) == 1


def test_the_converter_module_imports_no_model() -> None:
    """The converter learns the models' rules from their packages; it imports none of them."""
    tree = ast.parse(Path(sequrity._converter.__file__).read_text(encoding="utf-8"))

    ours = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.level or "sequrity" in (node.module or ""))
    }

    assert ours == {"_exceptions", "_core._json"}
