"""Builders: the decoding shortcuts' way to make model instances without `__init__`."""

from __future__ import annotations

import copy
import weakref

import attrs
import pytest

from sequrity._converter import EMPTY
from sequrity.types._fast_chat import fast_completion
from sequrity.types._fast_chunk import _make_delta, fast_chunk
from sequrity.types._slots import builder
from sequrity.types.chat_completion.response import (
    ChatCompletionResponse,
    Choice,
    CompletionUsage,
    ResponseMessage,
)
from sequrity.types.chat_completion.stream import ChatCompletionChunk, ChunkChoice, ChunkChoiceDelta

DELTA_FIELDS = tuple(f.name for f in attrs.fields(ChunkChoiceDelta))


def built_delta(content: str) -> ChunkChoiceDelta:
    """A text delta as the chunk shortcut builds it (through its builder)."""
    return _make_delta(None, content, None, None, None, EMPTY)


def test_a_built_instance_is_the_one_init_builds():
    """Same class, equal, same repr, still frozen, weakly referable, copyable."""
    delta = built_delta("hi")
    made = ChunkChoiceDelta(content="hi")

    assert type(delta) is ChunkChoiceDelta
    assert delta == made
    assert repr(delta) == repr(made)
    assert attrs.asdict(delta) == attrs.asdict(made)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        delta.content = "changed"  # type: ignore[misc]
    assert weakref.ref(delta)() is delta
    assert copy.copy(delta) == made
    assert attrs.evolve(delta, content="x") == ChunkChoiceDelta(content="x")


def test_a_builder_must_name_every_field_in_order():
    """A field list that is not the class's (a field added later, a typo) fails at import."""
    with pytest.raises(TypeError, match="has fields"):
        builder(ChunkChoiceDelta, *DELTA_FIELDS[:-1])
    with pytest.raises(TypeError, match="has fields"):
        builder(ChunkChoiceDelta, *reversed(DELTA_FIELDS))


def test_a_builder_refuses_classes_that_check_their_values():
    """A validated or converted field must go through `__init__`."""

    @attrs.frozen
    class Checked:
        n: int = attrs.field(validator=attrs.validators.instance_of(int))

    with pytest.raises(TypeError, match="checks its values"):
        builder(Checked, "n")


def test_shortcut_results_have_the_model_classes_all_the_way_down():
    """No builder class escapes the chunk and completion shortcuts."""
    chunk = fast_chunk(
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "m",
            "service_tier": None,
            "system_fingerprint": None,
            "choices": [
                {"index": 0, "delta": {"content": "x"}, "finish_reason": None, "logprobs": None}
            ],
            "usage": None,
        }
    )
    completion = fast_completion(
        {
            "id": "c",
            "object": "chat.completion",
            "created": 1,
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": "x"},
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2, "x": {}},
        }
    )

    assert chunk is not None
    assert completion is not None
    assert type(chunk) is ChatCompletionChunk
    assert type(chunk.choices[0]) is ChunkChoice
    assert type(chunk.choices[0].delta) is ChunkChoiceDelta
    assert type(completion) is ChatCompletionResponse
    assert type(completion.choices[0]) is Choice
    assert type(completion.choices[0].message) is ResponseMessage
    assert type(completion.usage) is CompletionUsage
