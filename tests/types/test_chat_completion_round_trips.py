"""Round trips of the Chat Completions wire models through the converter (hypothesis)."""

from __future__ import annotations

from typing import Any

import attrs
from _budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from sequrity._converter import get_converter
from sequrity.types.chat_completion import response as r
from sequrity.types.chat_completion import stream as s
from sequrity.types.chat_completion.request import ChatCompletionRequest
from sequrity.types.chat_completion.response import ChatCompletionResponse
from sequrity.types.chat_completion.stream import ChatCompletionChunk

C = get_converter()

# -- strategies ------------------------------------------------------------------------------

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
INTS = st.integers(0, 2**40)
TEXT = st.text(max_size=12)


def with_unknown(
    strategy: st.SearchStrategy[dict[str, Any]], known: set[str]
) -> st.SearchStrategy[dict[str, Any]]:
    """Add up to two random keys the model does not declare."""
    unknown = st.dictionaries(
        st.text(min_size=1, max_size=10).filter(lambda k: k not in known), JSON_VALUES, max_size=2
    )
    return st.builds(lambda base, extra: {**extra, **base}, strategy, unknown)


def obj(
    cls: type, required: dict[str, Any], optional: dict[str, Any] | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """A JSON object for `cls`: required keys, some optional ones, and random unknown keys."""
    known = {f.name.rstrip("_") for f in attrs.fields(cls) if f.name != "extra"}
    return with_unknown(st.fixed_dictionaries(required, optional=optional or {}), known)


FUNCTION = obj(r.ToolCallFunction, {"arguments": TEXT, "name": TEXT})
TOP_LOGPROB = obj(
    r.TopLogprob,
    {"token": TEXT, "logprob": st.floats(-100, 0)},
    {"bytes": st.lists(st.integers(0, 255), max_size=3)},
)
TOKEN_LOGPROB = obj(
    r.TokenLogprob,
    {
        "token": TEXT,
        "logprob": st.floats(-100, 0),
        "top_logprobs": st.lists(TOP_LOGPROB, max_size=2),
    },
    {"bytes": st.lists(st.integers(0, 255), max_size=3)},
)


def _response_strategy() -> st.SearchStrategy[dict[str, Any]]:
    """Valid ChatCompletionResponse JSON objects."""
    usage = obj(
        r.CompletionUsage, {"completion_tokens": INTS, "prompt_tokens": INTS, "total_tokens": INTS}
    )
    tool_call = obj(
        r.ResponseToolCall, {"id": TEXT, "type": st.just("function") | TEXT, "function": FUNCTION}
    )
    citation = obj(
        r.AnnotationUrlCitation,
        {"end_index": INTS, "start_index": INTS, "title": TEXT, "url": TEXT},
    )
    annotation = obj(r.Annotation, {"type": st.just("url_citation")}, {"url_citation": citation})
    audio = obj(r.AudioResponse, {"id": TEXT, "data": TEXT, "expires_at": INTS, "transcript": TEXT})
    message = obj(
        r.ResponseMessage,
        {"role": st.just("assistant")},
        {
            "content": TEXT,
            "refusal": TEXT,
            "annotations": st.lists(annotation, max_size=2),
            "audio": audio,
            "function_call": FUNCTION,
            "tool_calls": st.lists(tool_call, max_size=2),
        },
    )
    logprobs = obj(
        r.ChoiceLogprobs,
        {},
        {
            "content": st.lists(TOKEN_LOGPROB, max_size=2),
            "refusal": st.lists(TOKEN_LOGPROB, max_size=1),
        },
    )
    choice = obj(
        r.Choice,
        {
            "finish_reason": st.none()
            | st.sampled_from(["stop", "length", "tool_calls", "error"])
            | TEXT,
            "index": INTS,
            "message": message,
        },
        {"logprobs": logprobs},
    )
    return obj(
        r.ChatCompletionResponse,
        {
            "id": TEXT,
            "choices": st.lists(choice, max_size=3),
            "created": INTS,
            "model": TEXT,
            "object": st.just("chat.completion"),
        },
        {
            "usage": usage,
            "service_tier": TEXT,
            "system_fingerprint": TEXT,
            "session_id": TEXT,
            "request_id": TEXT,
        },
    )


def _chunk_strategy() -> st.SearchStrategy[dict[str, Any]]:
    """Valid ChatCompletionChunk JSON objects."""
    fn = obj(s.ChunkChoiceDeltaFunctionCall, {}, {"name": TEXT, "arguments": TEXT})
    tool_call = obj(
        s.ChunkChoiceDeltaToolCall, {"index": INTS}, {"id": TEXT, "type": TEXT, "function": fn}
    )
    delta = obj(
        s.ChunkChoiceDelta,
        {},
        {
            "role": st.just("assistant"),
            "content": TEXT,
            "refusal": TEXT,
            "tool_calls": st.lists(tool_call, max_size=2),
            "function_call": fn,
            "reasoning_content": TEXT,
        },
    )
    logprobs = obj(s.ChunkChoiceLogprobs, {}, {"content": st.lists(TOKEN_LOGPROB, max_size=2)})
    choice = obj(
        s.ChunkChoice,
        {"index": INTS, "delta": delta},
        {
            "finish_reason": st.sampled_from(
                ["stop", "length", "tool_calls", "content_filter", "error"]
            ),
            "logprobs": logprobs,
        },
    )
    completion_details = obj(
        s.ChunkCompletionTokensDetails,
        {},
        dict.fromkeys(
            (
                "accepted_prediction_tokens",
                "audio_tokens",
                "reasoning_tokens",
                "rejected_prediction_tokens",
            ),
            INTS,
        ),
    )
    prompt_details = obj(
        s.ChunkPromptTokensDetails, {}, {"audio_tokens": INTS, "cached_tokens": INTS}
    )
    usage = obj(
        s.ChunkCompletionUsage,
        {"prompt_tokens": INTS, "completion_tokens": INTS, "total_tokens": INTS},
        {"completion_tokens_details": completion_details, "prompt_tokens_details": prompt_details},
    )
    return obj(
        s.ChatCompletionChunk,
        {
            "id": TEXT,
            "choices": st.lists(choice, max_size=3),
            "created": INTS,
            "model": TEXT,
            "object": st.just("chat.completion.chunk"),
        },
        {
            "service_tier": st.sampled_from(["auto", "default", "flex", "scale", "priority"]),
            "system_fingerprint": TEXT,
            "usage": usage,
        },
    )


@settings(max_examples=examples(150))
@given(_response_strategy())
def test_chat_completion_response_round_trips(data: dict[str, Any]) -> None:
    """Any valid response JSON (with unknown keys at every level) structures and unstructures unchanged."""
    response = C.structure(data, ChatCompletionResponse)

    assert C.unstructure(response) == data


@settings(max_examples=examples(150))
@given(_chunk_strategy())
def test_chat_completion_chunk_round_trips(data: dict[str, Any]) -> None:
    """Any valid chunk JSON (with unknown keys at every level) structures and unstructures unchanged."""
    chunk = C.structure(data, ChatCompletionChunk)

    assert C.unstructure(chunk) == data


@settings(max_examples=examples(100))
@given(
    st.lists(
        st.fixed_dictionaries(
            {"role": st.sampled_from(["system", "user", "developer"]), "content": TEXT},
            optional={"name": TEXT},
        ),
        min_size=1,
        max_size=4,
    ),
    st.dictionaries(
        st.text(min_size=1, max_size=8).filter(
            lambda k: k not in {f.name for f in attrs.fields(ChatCompletionRequest)}
        ),
        JSON_VALUES,
        max_size=2,
    ),
)
def test_chat_completion_request_dicts_round_trip(
    messages: list[dict[str, Any]], unknown: dict[str, Any]
) -> None:
    """Request dicts with unknown top-level keys are sent back exactly as given."""
    data = {"messages": messages, "model": "m", **unknown}

    assert C.unstructure(C.structure(data, ChatCompletionRequest)) == data
