"""Chat Completions stream chunks (``chat.completion.chunk``) and their parts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ..._converter import EMPTY
from .._model_methods import ModelMethods
from .response import TokenLogprob

__all__ = [
    "ChatCompletionChunk",
    "ChunkChoice",
    "ChunkChoiceDelta",
    "ChunkChoiceDeltaFunctionCall",
    "ChunkChoiceDeltaToolCall",
    "ChunkChoiceLogprobs",
    "ChunkCompletionTokensDetails",
    "ChunkCompletionUsage",
    "ChunkPromptTokensDetails",
]

_extra = attrs.field(default=EMPTY, kw_only=True, repr=False)


@attrs.frozen(kw_only=True)
class ChunkChoiceDeltaFunctionCall(ModelMethods):
    """A piece of a tool call's function: the name arrives first, the arguments in pieces."""

    name: str | None = None
    arguments: str | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ChunkChoiceDeltaToolCall(ModelMethods):
    """A piece of the tool call at position `index`."""

    index: int
    id: str | None = None
    type: str | None = None
    function: ChunkChoiceDeltaFunctionCall | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ChunkChoiceDelta(ModelMethods):
    """What a chunk adds to the message."""

    role: str | None = None
    content: str | None = None
    refusal: str | None = None
    tool_calls: list[ChunkChoiceDeltaToolCall] | None = None
    function_call: ChunkChoiceDeltaFunctionCall | None = None
    reasoning_content: str | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ChunkChoiceLogprobs(ModelMethods):
    """Log probabilities of the tokens in this chunk."""

    content: list[TokenLogprob] | None = None
    refusal: list[TokenLogprob] | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ChunkChoice(ModelMethods):
    """
    One choice of a chunk. `finish_reason` is set on the choice's last chunk; it is an open string
    (``"error"`` from some providers is accepted, not a parse failure).
    """

    index: int
    delta: ChunkChoiceDelta = attrs.field(factory=ChunkChoiceDelta)
    finish_reason: str | None = None
    logprobs: ChunkChoiceLogprobs | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ChunkCompletionTokensDetails(ModelMethods):
    """Breakdown of completion tokens."""

    accepted_prediction_tokens: int | None = None
    audio_tokens: int | None = None
    reasoning_tokens: int | None = None
    rejected_prediction_tokens: int | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ChunkPromptTokensDetails(ModelMethods):
    """Breakdown of prompt tokens."""

    audio_tokens: int | None = None
    cached_tokens: int | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ChunkCompletionUsage(ModelMethods):
    """Token usage, sent in the last chunk when usage was requested."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    completion_tokens_details: ChunkCompletionTokensDetails | None = None
    prompt_tokens_details: ChunkPromptTokensDetails | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ChatCompletionChunk(ModelMethods):
    """One event of a streamed chat completion."""

    id: str
    choices: list[ChunkChoice]
    created: int
    model: str
    object: str = "chat.completion.chunk"
    service_tier: str | None = None
    system_fingerprint: str | None = None
    usage: ChunkCompletionUsage | None = None
    extra: Mapping[str, Any] = _extra
