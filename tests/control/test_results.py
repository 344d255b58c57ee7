"""Tests for the Dual-LLM result envelope in `sequrity.control.types.results`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sequrity.control.types.results import (
    ErrorInfo,
    MetaData,
    ResponseContentJsonSchema,
    ValueWithMeta,
    parse_result,
)

SUCCESS = (
    '{"status": "success", "final_return_value": {"value": 97, "meta": {"tags": [], "consumers":'
    ' ["*"], "producers": []}}}'
)
SUCCESS_WITH_PROGRAM = (
    '{"status": "success", "final_return_value": {"value": "Total: 97", "meta": {"tags":'
    ' ["__non_executable"], "consumers": ["*"], "producers": []}, "value_type": "str"},'
    ' "program": "total = add(a=90, b=7)\\nfinal_return_value = f\\"Total: {total}\\""}'
)
DENIAL_MESSAGE = (
    "Tool call to 'send_email' is denied by argument checking policies. "
    "Context: {'to': 'eve@evil.com'}"
)
DENIAL = json.dumps(
    {
        "status": "failure",
        "final_return_value": None,
        "error": {"code": "PolicyViolation", "message": DENIAL_MESSAGE},
        "policy_check_history": [{"tool": "send_email", "denied": [{"policy": "no-leak"}]}],
    }
)
CONTROL_FLOW_DENIAL = json.dumps(
    {
        "status": "failure",
        "error": {
            "code": "ControlFlowViolation",
            "message": "Control flow violation detected during program execution.",
        },
    }
)


def test_parses_the_spec_success_example() -> None:
    """The documented success envelope becomes a success with its value and metadata."""
    result = parse_result(SUCCESS)

    assert result == ResponseContentJsonSchema(
        status="success",
        final_return_value=ValueWithMeta(value=97, meta=MetaData(consumers=frozenset({"*"}))),
    )


def test_success_exposes_its_value() -> None:
    """A success reports is_success and the program's return value."""
    result = parse_result(SUCCESS)

    assert (result.is_success, result.is_failure, result.is_denied, result.value) == (
        True,
        False,
        False,
        97,
    )


def test_parses_success_with_program_and_value_type() -> None:
    """The program, the value's type name and its tags are kept."""
    result = parse_result(SUCCESS_WITH_PROGRAM)

    assert result == ResponseContentJsonSchema(
        status="success",
        final_return_value=ValueWithMeta(
            value="Total: 97",
            meta=MetaData(consumers=frozenset({"*"}), tags=frozenset({"__non_executable"})),
            value_type="str",
        ),
        program='total = add(a=90, b=7)\nfinal_return_value = f"Total: {total}"',
    )


def test_parses_an_argument_policy_denial() -> None:
    """A denial is a failure with its error and the policy-check history that explains it."""
    result = parse_result(DENIAL)

    assert result == ResponseContentJsonSchema(
        status="failure",
        error=ErrorInfo("PolicyViolation", DENIAL_MESSAGE),
        policy_check_history=[{"tool": "send_email", "denied": [{"policy": "no-leak"}]}],
    )


def test_denial_is_reported_as_denied() -> None:
    """A failure whose message says the tool call was denied sets is_denied."""
    result = parse_result(DENIAL)

    assert (result.is_success, result.is_failure, result.is_denied, result.value) == (
        False,
        True,
        True,
        None,
    )


def test_older_denial_wording_is_denied() -> None:
    """The older "Tool call send_email denied ..." message is also recognised as a denial."""
    text = json.dumps(
        {
            "status": "failure",
            "error": {
                "code": "x",
                "message": "Tool call send_email denied by argument checking policies.",
            },
        }
    )

    assert parse_result(text).is_denied is True


def test_control_flow_violation_is_a_failure_but_not_a_denial() -> None:
    """A control-flow violation is a failure; its message does not say "denied"."""
    result = parse_result(CONTROL_FLOW_DENIAL)

    assert (result.is_failure, result.is_denied, result.error) == (
        True,
        False,
        ErrorInfo(
            "ControlFlowViolation", "Control flow violation detected during program execution."
        ),
    )


def test_success_mentioning_denied_is_not_denied() -> None:
    """is_denied needs a failure; a successful value containing the word does not count."""
    text = json.dumps(
        {"status": "success", "error": {"code": "x", "message": "denied"}, "final_return_value": {}}
    )

    assert parse_result(text).is_denied is False


def test_parse_json_safe_is_the_official_name_of_parse_result() -> None:
    """ResponseContentJsonSchema.parse_json_safe gives what parse_result gives."""
    assert ResponseContentJsonSchema.parse_json_safe(DENIAL) == parse_result(DENIAL)
    assert ResponseContentJsonSchema.parse_json_safe(data=DENIAL) == parse_result(DENIAL)


def test_unknown_meta_keys_are_kept() -> None:
    """A meta key this version does not know is kept instead of failing the whole parse."""
    text = json.dumps(
        {
            "status": "success",
            "final_return_value": {
                "value": 1,
                "meta": {"producers": ["web"], "consumers": [], "tags": [], "trust": 0.5},
            },
        }
    )

    result = parse_result(text)

    assert result.final_return_value == ValueWithMeta(
        value=1, meta=MetaData(producers=frozenset({"web"}), extra={"trust": 0.5})
    )


def test_unknown_keys_are_kept_at_every_level() -> None:
    """Unknown keys survive on the envelope, values, metadata, errors and namespace entries."""
    text = json.dumps(
        {
            "status": "failure",
            "trace_id": "t-1",
            "final_return_value": {"value": 1, "origin": "tool", "meta": {"level": 3}},
            "error": {"code": "c", "message": "m", "line": 15},
            "namespace_snapshot": {"x": {"value": 2, "note": "n"}},
            "session_meta": {"meta": {"tags": ["t"]}, "turn": 2},
        }
    )

    result = parse_result(text)

    assert result == ResponseContentJsonSchema(
        status="failure",
        final_return_value=ValueWithMeta(
            value=1, meta=MetaData(extra={"level": 3}), extra={"origin": "tool"}
        ),
        error=ErrorInfo("c", "m", extra={"line": 15}),
        namespace_snapshot={"x": ValueWithMeta(value=2, extra={"note": "n"})},
        session_meta=ValueWithMeta(
            has_value=False, meta=MetaData(tags=frozenset({"t"})), extra={"turn": 2}
        ),
        extra={"trace_id": "t-1"},
    )


def test_session_meta_without_a_value_is_meta_only() -> None:
    """Session metadata has no value: has_value is False and to_dict leaves the key out."""
    text = json.dumps(
        {
            "status": "success",
            "session_meta": {"meta": {"producers": [], "consumers": ["*"], "tags": ["pii"]}},
        }
    )

    result = parse_result(text)

    assert (result.session_meta, result.to_dict()) == (
        ValueWithMeta(
            has_value=False, meta=MetaData(consumers=frozenset({"*"}), tags=frozenset({"pii"}))
        ),
        json.loads(text),
    )


def test_null_value_is_a_present_value() -> None:
    """A program that returned None has a value of None, not a missing value."""
    result = parse_result('{"status": "success", "final_return_value": {"value": null}}')

    assert result.final_return_value == ValueWithMeta(value=None, has_value=True)


def test_missing_or_null_optional_keys_take_their_defaults() -> None:
    """Optional keys may be absent or null; metadata sets then default to empty."""
    text = json.dumps(
        {
            "status": "success",
            "final_return_value": {"value": "v", "meta": {"tags": None}, "value_type": None},
            "error": None,
            "program": None,
            "namespace_snapshot": None,
            "session_meta": None,
            "policy_check_history": None,
            "message_history_mismatch_detected": None,
        }
    )

    result = parse_result(text)

    assert result == ResponseContentJsonSchema(
        status="success", final_return_value=ValueWithMeta(value="v")
    )


def test_parses_namespace_snapshot_and_history_flag() -> None:
    """Namespace variables become ValueWithMeta entries; the mismatch flag is a boolean."""
    text = json.dumps(
        {
            "status": "success",
            "namespace_snapshot": {
                "doc": {"value": "secret", "meta": {"tags": ["confidential", "internal_use"]}},
                "n": {"value": 3, "meta": {}},
            },
            "message_history_mismatch_detected": False,
        }
    )

    result = parse_result(text)

    assert (result.namespace_snapshot, result.message_history_mismatch_detected) == (
        {
            "doc": ValueWithMeta(
                value="secret", meta=MetaData(tags=frozenset({"confidential", "internal_use"}))
            ),
            "n": ValueWithMeta(value=3),
        },
        False,
    )


def test_unknown_status_on_the_wire_is_accepted() -> None:
    """A server-sent "unknown" status is one of the documented values, not a parse error."""
    result = parse_result('{"status": "unknown"}')

    assert result == ResponseContentJsonSchema(status="unknown")


def test_accepts_utf8_bytes() -> None:
    """Content given as bytes is decoded as UTF-8."""
    assert parse_result(SUCCESS.encode()) == parse_result(SUCCESS)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "invalid JSON: Expecting value: line 1 column 1 (char 0)"),
        ("97 is the answer", "invalid JSON: Extra data: line 1 column 4 (char 3)"),
        (
            '{"status": "success"',
            "invalid JSON: Expecting ',' delimiter: line 1 column 21 (char 20)",
        ),
        ("[1, 2]", "$: expected an object, got array"),
        ("97", "$: expected an object, got number"),
        ('"plain text"', "$: expected an object, got string"),
        ("null", "$: expected an object, got null"),
        ("true", "$: expected an object, got boolean"),
        ("{}", "$.status: missing required key"),
        ('{"status": 1}', "$.status: expected a string, got number"),
        (
            '{"status": "partial"}',
            "$.status: expected one of 'success', 'failure', 'unknown', got 'partial'",
        ),
        (
            '{"status": "success", "final_return_value": 5}',
            "$.final_return_value: expected an object, got number",
        ),
        (
            '{"status": "success", "final_return_value": {"value": 1, "meta": []}}',
            "$.final_return_value.meta: expected an object, got array",
        ),
        (
            '{"status": "success", "final_return_value": {"meta": {"tags": ["a", 2]}}}',
            "$.final_return_value.meta.tags[1]: expected a string, got number",
        ),
        (
            '{"status": "success", "final_return_value": {"meta": {"consumers": "*"}}}',
            "$.final_return_value.meta.consumers: expected an array of strings, got string",
        ),
        (
            '{"status": "success", "final_return_value": {"value": 1, "value_type": 3}}',
            "$.final_return_value.value_type: expected a string, got number",
        ),
        ('{"status": "failure", "error": "boom"}', "$.error: expected an object, got string"),
        ('{"status": "failure", "error": {"code": "c"}}', "$.error.message: missing required key"),
        (
            '{"status": "failure", "error": {"code": null, "message": "m"}}',
            "$.error.code: expected a string, got null",
        ),
        ('{"status": "success", "program": ["x"]}', "$.program: expected a string, got array"),
        (
            '{"status": "success", "namespace_snapshot": []}',
            "$.namespace_snapshot: expected an object, got array",
        ),
        (
            '{"status": "success", "namespace_snapshot": {"my var": 3}}',
            '$.namespace_snapshot["my var"]: expected an object, got number',
        ),
        (
            '{"status": "success", "session_meta": {"meta": {"producers": [null]}}}',
            "$.session_meta.meta.producers[0]: expected a string, got null",
        ),
        (
            '{"status": "success", "policy_check_history": {}}',
            "$.policy_check_history: expected an array of objects, got object",
        ),
        (
            '{"status": "success", "policy_check_history": [{}, "x"]}',
            "$.policy_check_history[1]: expected an object, got string",
        ),
        (
            '{"status": "success", "message_history_mismatch_detected": "yes"}',
            "$.message_history_mismatch_detected: expected a boolean, got string",
        ),
        ('{"status": "success", "raw": 1}', "$.raw: expected a string, got number"),
    ],
)
def test_malformed_content_gives_unknown_with_the_reason(text: str, problem: str) -> None:
    """Content that is not a valid envelope gives status unknown, the raw text and the reason."""
    result = parse_result(text)

    assert result == ResponseContentJsonSchema(status="unknown", raw=text, parse_error=problem)


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000, '{"status": "success", "n": ' + "9" * 10_000 + "}", "\ufeff{}", "\ud800"],
    ids=["deep-nesting", "huge-integer", "bom", "lone-surrogate"],
)
def test_json_the_decoder_refuses_gives_unknown(text: str) -> None:
    """Input that makes the JSON decoder itself fail is reported, not raised."""
    result = parse_result(text)

    assert (result.status, result.raw, result.parse_error is not None) == ("unknown", text, True)


def test_none_content_gives_unknown() -> None:
    """A message with no content (None) gives status unknown without raw text."""
    assert parse_result(None) == ResponseContentJsonSchema(
        status="unknown", parse_error="no content: expected a JSON string, got None"
    )


def test_wrong_input_type_gives_unknown() -> None:
    """A value that is not text at all is reported, not raised."""
    result = parse_result(42)  # type: ignore[arg-type]

    assert result == ResponseContentJsonSchema(
        status="unknown", parse_error="expected a JSON string, got int"
    )


def test_unknown_result_is_neither_success_nor_failure() -> None:
    """An unreadable result answers False to every status predicate."""
    result = parse_result("oops")

    assert (result.is_success, result.is_failure, result.is_denied, result.value) == (
        False,
        False,
        False,
        None,
    )


@pytest.mark.parametrize("text", [SUCCESS, SUCCESS_WITH_PROGRAM, DENIAL, CONTROL_FLOW_DENIAL])
def test_to_dict_gives_back_the_spec_examples(text: str) -> None:
    """to_dict reproduces the documented wire JSON (null keys left out)."""
    expected = {key: value for key, value in json.loads(text).items() if value is not None}

    assert parse_result(text).to_dict() == expected


def test_to_dict_writes_unknown_keys_back_at_every_level() -> None:
    """Unknown keys are written back where they came from."""
    wire = {
        "status": "success",
        "final_return_value": {
            "value": [1, {"a": None}],
            "meta": {"producers": ["a", "b"], "consumers": ["*"], "tags": [], "trust": 0.5},
            "value_type": "list",
            "origin": "tool",
        },
        "error": {"code": "c", "message": "m", "line": 15},
        "namespace_snapshot": {
            "x": {"value": 2, "meta": {"producers": [], "consumers": [], "tags": []}, "n": 1}
        },
        "session_meta": {"meta": {"producers": [], "consumers": [], "tags": ["t"]}, "turn": 2},
        "policy_check_history": [{"denied": []}],
        "message_history_mismatch_detected": True,
        "trace_id": "t-1",
    }

    assert parse_result(json.dumps(wire)).to_dict() == wire


def test_to_dict_writes_sets_sorted_and_full_metadata() -> None:
    """Metadata sets are written as sorted arrays, and a missing meta as empty arrays."""
    text = '{"status": "success", "final_return_value": {"value": 1, "meta": {"tags": ["b", "a"]}}}'

    result = parse_result(text).to_dict()

    assert result == {
        "status": "success",
        "final_return_value": {
            "value": 1,
            "meta": {"producers": [], "consumers": [], "tags": ["a", "b"]},
        },
    }


def test_unknown_result_round_trips_through_to_dict() -> None:
    """An unreadable result's to_dict keeps raw and parse_error, and parses back equal."""
    result = parse_result("not json")

    assert parse_result(json.dumps(result.to_dict())) == result


def test_metadata_is_hashable() -> None:
    """MetaData values can be used in sets and as dict keys."""
    meta = MetaData(tags=frozenset({"a"}))

    assert {meta, MetaData(tags=frozenset({"a"}))} == {meta}


# ---------------------------------------------------------------------------------------------
# Property tests.

_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
_envelope_keys = [
    "status",
    "final_return_value",
    "error",
    "program",
    "namespace_snapshot",
    "session_meta",
    "policy_check_history",
    "message_history_mismatch_detected",
    "raw",
    "parse_error",
]


def _unknown_keys(known: set[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Draw a small dict of keys outside `known`, with arbitrary JSON values."""
    return st.dictionaries(
        st.text(max_size=8).filter(lambda key: key not in known), _json_values, max_size=2
    )


_strings = st.frozensets(st.text(max_size=8), max_size=3)
_meta = st.builds(
    MetaData,
    producers=_strings,
    consumers=_strings,
    tags=_strings,
    extra=_unknown_keys({"producers", "consumers", "tags"}),
)


@st.composite
def _values(draw: st.DrawFn) -> ValueWithMeta:
    """Draw a ValueWithMeta, sometimes meta-only."""
    has_value = draw(st.booleans())
    return ValueWithMeta(
        value=draw(_json_values) if has_value else None,
        meta=draw(_meta),
        value_type=draw(st.none() | st.text(max_size=8)),
        has_value=has_value,
        extra=draw(_unknown_keys({"value", "meta", "value_type"})),
    )


_envelopes = st.builds(
    ResponseContentJsonSchema,
    status=st.sampled_from(["success", "failure", "unknown"]),
    final_return_value=st.none() | _values(),
    error=st.none()
    | st.builds(ErrorInfo, st.text(), st.text(), extra=_unknown_keys({"code", "message"})),
    program=st.none() | st.text(),
    namespace_snapshot=st.none() | st.dictionaries(st.text(max_size=8), _values(), max_size=3),
    session_meta=st.none() | _values(),
    policy_check_history=st.none()
    | st.lists(st.dictionaries(st.text(max_size=8), _json_values, max_size=3), max_size=3),
    message_history_mismatch_detected=st.none() | st.booleans(),
    raw=st.none() | st.text(),
    parse_error=st.none() | st.text(),
    extra=_unknown_keys(set(_envelope_keys)),
)


@given(envelope=_envelopes)
def test_to_dict_round_trips_any_envelope(envelope: ResponseContentJsonSchema) -> None:
    """Writing an envelope to JSON and parsing it back gives an equal envelope."""
    assert parse_result(json.dumps(envelope.to_dict())) == envelope


@given(text=st.text())
def test_never_raises_on_arbitrary_text(text: str) -> None:
    """Any text gives an envelope instead of raising."""
    result = parse_result(text)

    assert result.status in {"success", "failure", "unknown"}


@given(value=_json_values)
def test_never_raises_on_arbitrary_json(value: Any) -> None:
    """Any JSON value gives an envelope whose status is one of the three documented ones."""
    result = parse_result(json.dumps(value))

    assert result.status in {"success", "failure", "unknown"}


@given(
    obj=st.fixed_dictionaries(
        {},
        optional={
            key: st.sampled_from(["success", "failure", "unknown"]) | _json_values
            # raw and parse_error are left out: on the wire they would be read as given.
            for key in _envelope_keys[:-2]
        },
    )
)
def test_never_raises_on_envelope_shaped_json(obj: dict[str, Any]) -> None:
    """Objects with the envelope's keys but arbitrary values parse or are reported as unknown."""
    text = json.dumps(obj)

    result = parse_result(text)

    assert result.parse_error is None or (result.status, result.raw) == ("unknown", text)
