"""Both JSON backends (orjson with the [speed] extra, the standard library) give the same results."""

from __future__ import annotations

import json
import math

import pytest
from _budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from json_backends import backends, using

from sequrity import SequrityValidationError
from sequrity._core import _json
from sequrity.control import FeaturesHeader, FineGrainedConfigHeader, SecurityPolicyHeader
from sequrity.control.resources.chat import build_chat_body


def reference_dumps(value: object) -> bytes:
    """What the standard library writes for a request body."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


#: Any character, control characters and lone surrogates included.
any_text = st.text(st.characters(codec=None, min_codepoint=0), max_size=12)
safe_floats = st.floats(allow_nan=False, allow_infinity=False).filter(_json.safe_float)
plain = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(-(2**70), 2**70)
    | safe_floats
    | any_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
    max_leaves=8,
)


def outcome(function, value):  # type: ignore[no-untyped-def]
    """The result of `function(value)`, or the type of the error it raised."""
    try:
        return function(value)
    except (TypeError, ValueError) as exc:
        return type(exc)


@backends
@settings(max_examples=examples(300))
@given(value=plain)
def test_plain_values_are_written_byte_for_byte_as_json_writes_them(backend, value):
    """Plain values are written as the standard library writes them, or refused alike."""
    expected = outcome(reference_dumps, value)

    with using(backend):
        actual = outcome(_json.dumps_plain, value)

    assert actual == expected or (isinstance(expected, type) and isinstance(actual, type))


def _circular() -> list[object]:
    value: list[object] = []
    value.append({"a": value})
    return value


@pytest.mark.parametrize(
    "value",
    [float("nan"), {"a": {1, 2}}, {1j: 1}, _circular(), "text", [1e400], {"a": b"x"}],
    ids=["nan", "set", "key", "circular", "str", "infinity", "bytes"],
)
def test_json_writes_or_refuses_values_with_its_own_words(value):
    """Without orjson, what `json` writes is written the same, what it refuses refused alike."""
    try:
        expected: object = reference_dumps(value)
    except (TypeError, ValueError) as exc:
        expected = (type(exc), str(exc))
    try:
        with using("json"):
            actual: object = _json.dumps_plain(value)
    except (TypeError, ValueError) as exc:
        actual = (type(exc), str(exc))

    assert actual == expected


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
    max_leaves=8,
)


def same(a: object, b: object) -> bool:
    """Equal, with NaN equal to NaN."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@backends
@settings(max_examples=examples(300))
@given(value=json_values, ascii_only=st.booleans())
def test_json_text_is_read_as_json_reads_it(backend, value, ascii_only):
    """Any JSON text (NaN, huge numbers and escaped surrogates included) reads to json's value."""
    text = json.dumps(value, ensure_ascii=ascii_only)
    data = text.encode("utf-8", "surrogatepass")

    with using(backend):
        from_text, from_bytes = _json.loads(text), outcome(_json.loads, data)

    assert same(from_text, json.loads(text))
    assert same(from_bytes, outcome(json.loads, data))


@backends
@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf{}",
        b'{"a": 1, "a": 2}',
        b"-0",
        b"1e400",
        b"[" * 2000 + b"]" * 2000,
        b'"\\ud800"',
        b"\xff",
        b"",
        b"{",
        b"NaN",
        b"123456789012345678901234567890",
        '{"a": 1}'.encode("utf-16-le"),
        '{"a": 1}'.encode("utf-32-le"),
        b'{"a": "\xed\xa0\x80"}',
        b"{ } \n",
        b'{"a": 1} x',
        b"{\xff}",
    ],
)
def test_edge_cases_read_alike(backend, data):
    """Edge cases read to json's value, or fail with json's error type."""
    try:
        expected: object = json.loads(data)
    except (ValueError, RecursionError) as exc:
        expected = type(exc)
    try:
        with using(backend):
            actual: object = _json.loads(data)
    except (ValueError, RecursionError) as exc:
        actual = type(exc)

    assert same(actual, expected)


message = st.fixed_dictionaries(
    {"role": st.sampled_from(["system", "user", "assistant"]), "content": any_text},
    optional={"name": any_text},
)
params = st.fixed_dictionaries(
    {},
    optional={
        "temperature": st.floats() | st.integers(0, 2),
        "top_p": st.floats(0, 1),
        "seed": st.integers(),
        "stream": st.booleans(),
        "max_completion_tokens": st.integers(1, 2**70),
        "stop": any_text,
    },
)


def body_or_error(messages, options):  # type: ignore[no-untyped-def]
    """The chat body, or the message of the validation error."""
    try:
        return build_chat_body(messages, "m", options, None)
    except SequrityValidationError as exc:
        return str(exc)


@backends
@settings(max_examples=examples(300))
@given(messages=st.lists(message, min_size=1, max_size=3), options=params)
def test_request_bodies_are_the_same_bytes_with_either_backend(backend, messages, options):
    """A chat body is the same bytes with orjson as with json, or refused with the same error."""
    with using("json"):
        expected = body_or_error(messages, options)

    with using(backend):
        actual = body_or_error(messages, options)

    assert actual == expected


@backends
@pytest.mark.parametrize(
    "header",
    [
        FeaturesHeader.dual_llm(pii_redaction=True),
        SecurityPolicyHeader.dual_llm(codes='tool "send_émail" { hard deny when true; }'),
        FineGrainedConfigHeader.dual_llm(max_n_turns=5),
    ],
)
def test_header_json_is_the_same_with_either_backend(backend, header):
    """Configuration headers are the same ASCII JSON text whichever backend is in use."""
    with using(backend):
        value = header.dump_for_headers("json_str", overrides={"x": "ü", "y": 1e-7})
    with using("json"):
        expected = header.dump_for_headers("json_str", overrides={"x": "ü", "y": 1e-7})

    assert value == expected
    assert value.isascii()
    assert json.loads(value)["x"] == "ü"


event_bytes = st.one_of(
    json_values.map(lambda v: json.dumps(v, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    st.binary(max_size=12).map(lambda b: b'{"a": "' + b + b'"}'),
    st.sampled_from(
        [b"\xef\xbb\xbf{}", b"{\x00}", b'{"a": "\xed\xa0\x80"}', b'{"a": "\xea\xb0\x80"}']
    ),
)


@backends
@settings(max_examples=examples(300))
@given(data=event_bytes)
def test_event_data_reads_as_the_text_the_stream_decoder_makes(backend, data):
    """Event data read from bytes equals reading the decoder's text (bad UTF-8 replaced)."""
    with using(backend):
        actual = outcome(_json.loads_event, data)
        expected = outcome(_json.loads, data.decode("utf-8", "replace"))

    assert same(actual, expected)


@backends
@settings(max_examples=examples(200))
@given(datas=st.lists(event_bytes | st.just(b"[DONE]") | st.just(b'{"a": 1} '), max_size=6))
def test_events_read_together_read_as_each_alone(backend, datas):
    """`loads_events` gives `loads_event`'s values for a prefix, from any start, and stops early."""
    with using(backend):
        for start in range(len(datas) + 1):
            values = _json.loads_events(datas, start)
            expected = [outcome(_json.loads_event, d) for d in datas[start : start + len(values)]]

            assert len(values) <= len(datas) - start
            assert all(same(v, e) for v, e in zip(values, expected, strict=True))
