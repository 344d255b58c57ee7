"""
Chat Completions response models. Unknown keys a server adds are kept in `extra`; `session_id` and
`request_id` come from the response headers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ..._converter import EMPTY
from .._model_methods import ModelMethods

__all__ = [
    "Annotation",
    "AnnotationUrlCitation",
    "AudioResponse",
    "ChatCompletionResponse",
    "Choice",
    "ChoiceLogprobs",
    "CompletionUsage",
    "ResponseMessage",
    "ResponseToolCall",
    "TokenLogprob",
    "ToolCallFunction",
    "TopLogprob",
]

_extra = attrs.field(default=EMPTY, kw_only=True, repr=False)


@attrs.frozen(kw_only=True)
class CompletionUsage(ModelMethods):
    """Token counts of one completion."""

    completion_tokens: int
    prompt_tokens: int
    total_tokens: int
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class TopLogprob(ModelMethods):
    """One alternative token and its log probability."""

    token: str
    logprob: float
    bytes: list[int] | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class TokenLogprob(ModelMethods):
    """A sampled token, its log probability and the most likely alternatives."""

    token: str
    logprob: float
    bytes: list[int] | None = None
    top_logprobs: list[TopLogprob] = attrs.field(factory=list)
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ChoiceLogprobs(ModelMethods):
    """Log probabilities of a choice's content and refusal tokens."""

    content: list[TokenLogprob] | None = None
    refusal: list[TokenLogprob] | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ToolCallFunction(ModelMethods):
    """The function a tool call invokes; `arguments` is a JSON string produced by the model."""

    arguments: str
    name: str
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseToolCall(ModelMethods):
    """
    A tool call the caller must execute. In Dual-LLM mode the id has the form
    ``tc-<session id>-<call id>``.
    """

    id: str
    function: ToolCallFunction
    type: str = "function"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class AnnotationUrlCitation(ModelMethods):
    """A URL cited by the answer and the character range that cites it."""

    end_index: int
    start_index: int
    title: str
    url: str
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class Annotation(ModelMethods):
    """An annotation of the answer text (today only URL citations)."""

    type: str
    url_citation: AnnotationUrlCitation | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class AudioResponse(ModelMethods):
    """Audio output of the model."""

    id: str
    data: str
    expires_at: int
    transcript: str
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseMessage(ModelMethods):
    """
    The assistant's message. In Dual-LLM mode a final answer's `content` is a JSON result envelope
    (see `sequrity.control.types.results`).
    """

    role: Literal["assistant"] = "assistant"
    content: str | None = None
    refusal: str | None = None
    annotations: list[Annotation] | None = None
    audio: AudioResponse | None = None
    function_call: ToolCallFunction | None = None
    tool_calls: list[ResponseToolCall] | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class Choice(ModelMethods):
    """
    One completion choice.

    `finish_reason` is an open string: ``"stop"``, ``"length"``, ``"tool_calls"``,
    ``"content_filter"``, ``"function_call"``, ``"error"`` or anything a provider adds.
    """

    finish_reason: str | None
    index: int
    message: ResponseMessage
    logprobs: ChoiceLogprobs | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ChatCompletionResponse(ModelMethods):
    """
    A chat completion.

    Attributes:
        session_id: The ``X-Session-ID`` the server answered with; pass it back to continue the
            conversation.
        request_id: The server's request id, when it sent one (quote it in support requests).
    """

    id: str
    choices: list[Choice]
    created: int
    model: str
    object: str = "chat.completion"
    usage: CompletionUsage | None = None
    service_tier: str | None = None
    system_fingerprint: str | None = None
    session_id: str | None = None
    request_id: str | None = None
    extra: Mapping[str, Any] = _extra

    @property
    def content(self) -> str | None:
        """The first choice's message content (`None` when there are no choices)."""
        return self.choices[0].message.content if self.choices else None
