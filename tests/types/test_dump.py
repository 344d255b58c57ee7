"""Tests for `sequrity.types.to_dict`: any model object back as its wire JSON object."""

from __future__ import annotations

import json

import pytest

from sequrity._converter import structure_fast
from sequrity.types import to_dict
from sequrity.types.chat_completion.request import UserMessage
from sequrity.types.chat_completion.response import ChatCompletionResponse
from sequrity.types.chat_completion.stream import ChatCompletionChunk
from sequrity.types.responses.stream import OpenAiResponseStreamEvent

COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [
        {
            "index": 0,
            "finish_reason": "tool_calls",
            "message": {
                "role": "assistant",
                "content": "",
                "tool_calls": [
                    {"id": "tc-1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
                ],
                "vendor_field": {"kept": True},
            },
        }
    ],
    "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
}


def test_a_completion_comes_back_as_the_json_it_was_read_from() -> None:
    """A completion read from JSON gives back that JSON, unknown keys included."""
    completion = structure_fast(json.loads(json.dumps(COMPLETION)), ChatCompletionResponse)

    assert to_dict(completion) == COMPLETION


def test_a_stream_chunk_and_a_responses_event_come_back_as_json() -> None:
    """Stream chunks and Responses stream events convert too; `None` fields are left out."""
    chunk = {
        "id": "c",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "delta": {"content": "hi"}}],
    }
    event = {
        "type": "response.output_text.delta",
        "item_id": "i",
        "output_index": 0,
        "content_index": 0,
        "delta": "hi",
        "sequence_number": 3,
    }

    assert (
        to_dict(structure_fast(chunk, ChatCompletionChunk)),
        to_dict(structure_fast(event, OpenAiResponseStreamEvent)),
    ) == (chunk, event)


def test_a_request_message_uses_wire_names() -> None:
    """A typed request message gives the JSON a server expects."""
    assert to_dict(UserMessage(content="hi")) == {"role": "user", "content": "hi"}


def test_a_value_that_is_not_a_model_object_is_refused() -> None:
    """Plain values have no wire object: `TypeError`."""
    with pytest.raises(TypeError, match="expected a model object, got int"):
        to_dict(3)
