"""The chat request-body and completion shortcuts build exactly what the converter builds."""

from __future__ import annotations

import json

import attrs
import pytest
from _mutate import mutated
from hypothesis import given
from hypothesis import strategies as st

from sequrity._converter import dumps, get_converter, get_fast_converter, structure_or_raise
from sequrity.types._fast_chat import fast_body, fast_completion
from sequrity.types.chat_completion.request import ChatCompletionRequest
from sequrity.types.chat_completion.response import ChatCompletionResponse

text = st.text(max_size=12)
maybe_text = st.none() | text
message = st.fixed_dictionaries(
    {"role": st.sampled_from(["system", "user", "assistant", "developer"]), "content": text},
    optional={"name": text},
)
params = st.fixed_dictionaries(
    {},
    optional={
        "temperature": st.none() | st.floats(0, 2) | st.integers(0, 2),
        "top_p": st.none() | st.floats(0, 1),
        "seed": st.none() | st.integers(-5, 5),
        "stream": st.none() | st.booleans(),
        "reasoning_effort": st.none() | st.sampled_from(["low", "high"]),
        "max_completion_tokens": st.none() | st.integers(1, 9),
        "stop": st.none() | text,
    },
)


def converter_body(messages, model, options):
    data = {"messages": messages, "model": model}
    data.update({k: v for k, v in options.items() if v is not None})
    request = structure_or_raise(data, ChatCompletionRequest, "request")
    return json.loads(dumps(get_fast_converter().unstructure(request)))


@given(st.lists(message, min_size=1, max_size=4), text, params)
def test_plain_bodies_equal_the_converters(messages, model, options):
    """For text messages and scalar options the shortcut sends the converter's JSON."""
    body = fast_body(messages, model, options)

    assert body is not None
    assert json.loads(dumps(body)) == converter_body(messages, model, options)


@given(
    mutated(
        st.fixed_dictionaries(
            {"messages": st.lists(message, min_size=1, max_size=3), "model": text, "params": params}
        )
    )
)
def test_altered_bodies_are_declined_or_equal_the_converters(data):
    """A request with one part changed is declined unless the converter accepts the same JSON."""
    if not isinstance(data, dict) or not isinstance(data.get("params"), dict):
        return
    messages, model, options = data.get("messages"), data.get("model"), data["params"]

    body = fast_body(messages, model, options) if isinstance(messages, list) else None

    if body is not None:
        assert json.loads(dumps(body)) == converter_body(messages, model, options)


def test_other_requests_are_left_to_the_converter():
    """Typed messages, content parts, tools, bad roles and bad types are declined."""
    user = {"role": "user", "content": "hi"}

    assert (
        fast_body([{"role": "user", "content": [{"type": "text", "text": "x"}]}], "m", {}) is None
    )
    assert fast_body([{"role": "robot", "content": "x"}], "m", {}) is None
    assert fast_body([user], "m", {"tools": [{"type": "function"}]}) is None
    assert fast_body([user], "m", {"temperature": True}) is None
    assert fast_body([user], "m", {"seed": 1.5}) is None
    assert fast_body([{**user, "x": 1}], "m", {}) is None
    assert fast_body([], "m", {}) is None


usage = st.fixed_dictionaries(
    {k: st.integers(0, 99) for k in ("completion_tokens", "prompt_tokens", "total_tokens")},
    optional={
        "prompt_tokens_details": st.none()
        | st.fixed_dictionaries({"cached_tokens": st.integers(0, 9), "audio_tokens": st.just(0)}),
        "completion_tokens_details": st.none()
        | st.fixed_dictionaries({"reasoning_tokens": st.integers(0, 9)}),
    },
)
# What OpenAI-compatible providers send besides the text: optional parts as null (or empty).
nulls = {
    "refusal": maybe_text,
    "annotations": st.none() | st.just([]),
    "tool_calls": st.none() | st.just([]),
    "function_call": st.none(),
    "audio": st.none(),
    "reasoning": st.none() | text,
}
choice = st.fixed_dictionaries(
    {
        "index": st.integers(0, 3),
        "finish_reason": maybe_text,
        "message": st.fixed_dictionaries(
            {},
            optional={"role": st.just("assistant"), "content": maybe_text, **nulls},
        ),
    },
    optional={"logprobs": st.none(), "native_finish_reason": maybe_text},
)
completion = st.fixed_dictionaries(
    {
        "id": text,
        "created": st.integers(0, 2**40),
        "model": text,
        "choices": st.lists(choice, max_size=3),
    },
    optional={
        "object": text,
        "usage": st.none() | usage,
        "system_fingerprint": maybe_text,
        "service_tier": maybe_text,
        "session_id": maybe_text,
        "request_id": maybe_text,
        "provider": text,
    },
)
noise = st.dictionaries(
    st.sampled_from(["id", "created", "model", "choices", "usage", "extra_field"]),
    st.none() | st.integers() | text | st.lists(st.integers(), max_size=2),
)


@given(completion)
def test_plain_completions_decode_as_the_converter_does(data):
    """For text-answer completions the shortcut gives the converter's object."""
    assert fast_completion(data) == get_converter().structure(data, ChatCompletionResponse)


@given(mutated(completion))
def test_altered_completions_are_declined_or_equal(data):
    """A completion with one part changed is declined unless the converter builds the same."""
    result = fast_completion(data)

    if result is not None:
        assert result == get_converter().structure(data, ChatCompletionResponse)


@given(noise)
def test_other_shapes_are_declined_or_equal(data):
    """Anything else is declined unless the converter would build the same object."""
    result = fast_completion(data)

    if result is not None:
        assert result == get_converter().structure(data, ChatCompletionResponse)


def test_tool_calls_and_logprobs_fall_back():
    """Actual tool calls, logprobs and other non-null optional parts are the converter's job."""
    base = {"id": "c", "created": 1, "model": "m"}
    msg = {"role": "assistant", "content": None}

    def one(choice):
        return fast_completion({**base, "choices": [{"index": 0, "finish_reason": None, **choice}]})

    call = {"id": "t", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    assert one({"message": {**msg, "tool_calls": [call]}}) is None
    assert one({"message": msg, "logprobs": {"content": None}}) is None
    assert one({"message": {**msg, "annotations": [{"type": "url_citation"}]}}) is None
    assert one({"message": {**msg, "audio": {"id": "a"}}}) is None
    assert fast_completion({**base, "choices": [{"index": 0, "message": msg}]}) is None


def test_a_realistic_answer_takes_the_shortcut_and_keeps_unknown_keys():
    """An answer with nulls, usage details and unknown keys decodes as the converter decodes it."""
    data = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1769043728,
        "model": "gpt-5-mini",
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": "97",
                    "refusal": None,
                    "annotations": [],
                    "tool_calls": None,
                    "function_call": None,
                    "audio": None,
                },
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": 16,
            "completion_tokens": 9,
            "total_tokens": 25,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        },
        "service_tier": "default",
        "system_fingerprint": "fp_1",
        "provider": "OpenAI",
    }

    result = fast_completion(data)

    assert result is not None
    assert result == get_converter().structure(data, ChatCompletionResponse)
    assert result.extra == {"provider": "OpenAI"}
    assert result.usage is not None
    assert result.usage.extra == {"prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0}}


@given(completion)
def test_shortcut_completions_behave_as_the_converters(data):
    """A shortcut's completion (built slot by slot) reprs, evolves, dumps and freezes alike."""
    result = fast_completion(data)
    expected = get_converter().structure(data, ChatCompletionResponse)

    assert result is not None
    assert repr(result) == repr(expected)
    assert attrs.evolve(result, model="other") == attrs.evolve(expected, model="other")
    assert get_converter().unstructure(result) == get_converter().unstructure(expected)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.model = "other"  # type: ignore[misc]
