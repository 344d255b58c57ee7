"""The chat-chunk shortcut decoder builds exactly what the converter builds, or declines."""

from __future__ import annotations

import itertools

from _mutate import mutated
from hypothesis import given
from hypothesis import strategies as st

from sequrity._converter import get_converter
from sequrity.types._fast_chunk import fast_chunk, fast_chunks
from sequrity.types.chat_completion.stream import ChatCompletionChunk

text = st.text(max_size=20)
maybe_text = st.none() | text
# What OpenAI-compatible providers send: optional parts as null (or empty), unknown keys.
delta = st.fixed_dictionaries(
    {},
    optional={
        "role": maybe_text,
        "content": maybe_text,
        "refusal": maybe_text,
        "reasoning_content": maybe_text,
        "tool_calls": st.none() | st.just([]),
        "function_call": st.none(),
        "reasoning": maybe_text,
    },
)
choice = st.fixed_dictionaries(
    {"index": st.integers(0, 5)},
    optional={
        "delta": delta,
        "finish_reason": maybe_text,
        "logprobs": st.none(),
        "native_finish_reason": maybe_text,
    },
)
chunk = st.fixed_dictionaries(
    {
        "id": text,
        "created": st.integers(0, 2**40),
        "model": text,
        "choices": st.lists(choice, max_size=3),
    },
    optional={
        "object": text,
        "system_fingerprint": maybe_text,
        "service_tier": maybe_text,
        "usage": st.none(),
        "obfuscation": text,
    },
)
# The shape OpenAI sends for every chunk: every key (nulls included), one choice with every key.
full_choice = st.fixed_dictionaries(
    {
        "index": st.integers(0, 5),
        "delta": delta | text.map(lambda t: {"content": t}) | st.just({}),
        "finish_reason": maybe_text,
        "logprobs": st.none(),
    }
)
full_chunk = st.fixed_dictionaries(
    {
        "id": text,
        "object": text,
        "created": st.integers(0, 2**40),
        "model": text,
        "service_tier": maybe_text,
        "system_fingerprint": maybe_text,
        "choices": st.lists(full_choice, min_size=1, max_size=1),
        "usage": st.none(),
    }
)
junk = st.dictionaries(
    st.sampled_from(["id", "created", "model", "choices", "usage", "x"]),
    st.none() | st.integers() | text | st.lists(st.integers(), max_size=2),
)


@given(chunk)
def test_common_chunks_decode_exactly_as_the_converter_does(data):
    """For every text-delta chunk the shortcut gives the converter's object."""
    assert fast_chunk(data) == get_converter().structure(data, ChatCompletionChunk)


@given(mutated(chunk))
def test_altered_chunks_are_declined_or_equal(data):
    """A chunk with one part changed is declined unless the converter builds the same object."""
    result = fast_chunk(data)

    if result is not None:
        assert result == get_converter().structure(data, ChatCompletionChunk)


@given(junk)
def test_other_shapes_are_declined_or_equal(data):
    """Anything else is declined (None) unless the converter would build the same object."""
    result = fast_chunk(data)

    if result is not None:
        assert result == get_converter().structure(data, ChatCompletionChunk)


@given(full_chunk)
def test_full_openai_chunks_decode_exactly_as_the_converter_does(data):
    """The usual shape, every key sent, gives the converter's object."""
    assert fast_chunk(data) == get_converter().structure(data, ChatCompletionChunk)


@given(mutated(full_chunk))
def test_altered_full_chunks_are_declined_or_equal(data):
    """The usual shape with one part changed is declined unless the converter agrees."""
    result = fast_chunk(data)

    if result is not None:
        assert result == get_converter().structure(data, ChatCompletionChunk)


@given(st.lists(full_chunk | chunk | mutated(full_chunk) | junk, max_size=5))
def test_chunks_decoded_together_are_those_decoded_alone_up_to_the_first_declined(values):
    """`fast_chunks` gives `fast_chunk` of each value, stopping at the first it declines."""
    alone = [fast_chunk(v) for v in values]
    prefix = list(itertools.takewhile(lambda c: c is not None, alone))

    assert fast_chunks(values) == prefix


def test_tool_call_deltas_and_usage_fall_back():
    """Actual tool-call deltas, logprobs and usage are left to the converter."""
    base = {"id": "c", "created": 1, "model": "m"}
    call = {"index": 0, "id": "t", "function": {"name": "f"}}
    usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}

    assert fast_chunk({**base, "choices": [{"index": 0, "delta": {"tool_calls": [call]}}]}) is None
    assert fast_chunk({**base, "choices": [{"index": 0, "logprobs": {"content": []}}]}) is None
    assert fast_chunk({**base, "choices": [], "usage": usage}) is None
    assert fast_chunk({**base, "created": True, "choices": []}) is None


def test_a_realistic_chunk_takes_the_shortcut_and_keeps_unknown_keys():
    """A chunk with nulls and unknown keys decodes as the converter decodes it, extras kept."""
    data = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1769043728,
        "model": "gpt-5-mini",
        "service_tier": "default",
        "system_fingerprint": "fp_1",
        "choices": [
            {
                "index": 0,
                "delta": {"role": "assistant", "content": "", "refusal": None},
                "logprobs": None,
                "finish_reason": None,
            }
        ],
        "usage": None,
        "obfuscation": "x1",
    }

    result = fast_chunk(data)

    assert result is not None
    assert result == get_converter().structure(data, ChatCompletionChunk)
    assert result.extra == {"obfuscation": "x1"}
