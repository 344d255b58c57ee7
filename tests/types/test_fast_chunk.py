"""The chat-chunk shortcut decoder builds exactly what the converter builds, or declines."""

from __future__ import annotations

from _mutate import mutated
from hypothesis import given
from hypothesis import strategies as st

from sequrity._converter import get_converter
from sequrity.types._fast_chunk import fast_chunk
from sequrity.types.chat_completion.stream import ChatCompletionChunk

text = st.text(max_size=20)
maybe_text = st.none() | text
delta = st.fixed_dictionaries({}, optional={"role": maybe_text, "content": maybe_text})
choice = st.fixed_dictionaries(
    {"index": st.integers(0, 5)}, optional={"delta": delta, "finish_reason": maybe_text}
)
chunk = st.fixed_dictionaries(
    {
        "id": text,
        "created": st.integers(0, 2**40),
        "model": text,
        "choices": st.lists(choice, max_size=3),
    },
    optional={"object": text, "system_fingerprint": maybe_text},
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


def test_tool_call_deltas_and_unknown_keys_fall_back():
    """Tool-call deltas, usage and unknown keys are left to the converter."""
    base = {"id": "c", "created": 1, "model": "m"}

    assert fast_chunk({**base, "choices": [{"index": 0, "delta": {"tool_calls": []}}]}) is None
    assert fast_chunk({**base, "choices": [], "usage": None}) is None
    assert fast_chunk({**base, "choices": [], "new_field": 1}) is None
    assert fast_chunk({**base, "created": True, "choices": []}) is None
