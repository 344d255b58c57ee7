"""
Anthropic Messages response models. Unknown keys are kept in `extra`, content blocks of unknown types
arrive as `UnknownContentBlock`; `session_id` and `request_id` come from the response headers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ..._converter import EMPTY
from .._model_methods import ModelMethods

__all__ = [
    "AnthropicMessageResponse",
    "CacheCreation",
    "ContentBlock",
    "RedactedThinkingBlock",
    "ServerToolUsage",
    "ServerToolUseBlock",
    "TextBlock",
    "TextCitation",
    "ThinkingBlock",
    "ToolUseBlock",
    "UnknownContentBlock",
    "Usage",
    "WebSearchToolResultBlock",
]

_extra = attrs.field(default=EMPTY, kw_only=True, repr=False)


@attrs.frozen(kw_only=True)
class TextCitation(ModelMethods):
    """A citation backing part of a text block (its fields depend on `type`; they are in `extra`)."""

    type: str
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class TextBlock(ModelMethods):
    """Text the model wrote."""

    text: str
    citations: list[TextCitation] | None = None
    type: Literal["text"] = "text"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ThinkingBlock(ModelMethods):
    """
    Extended thinking: the `thinking` text and the `signature` that lets you send the block back
    in a later request.
    """

    thinking: str
    signature: str | None = None
    type: Literal["thinking"] = "thinking"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class RedactedThinkingBlock(ModelMethods):
    """Thinking the provider encrypted; send `data` back unchanged."""

    data: str
    type: Literal["redacted_thinking"] = "redacted_thinking"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ToolUseBlock(ModelMethods):
    """A call of one of your tools: run it and answer with a ``tool_result`` block."""

    id: str
    name: str
    input: dict[str, Any]
    type: Literal["tool_use"] = "tool_use"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ServerToolUseBlock(ModelMethods):
    """A call of a server tool (web search...), run by the provider."""

    id: str
    name: str
    input: dict[str, Any] | None = None
    type: Literal["server_tool_use"] = "server_tool_use"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class WebSearchToolResultBlock(ModelMethods):
    """The results of a web search the provider ran (`content`: result list or error object)."""

    tool_use_id: str | None = None
    content: Any = None
    type: Literal["web_search_tool_result"] = "web_search_tool_result"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class UnknownContentBlock(ModelMethods):
    """
    A content block of a type this SDK does not know yet, kept as received: its keys other than
    ``type`` are in `extra`.
    """

    type: str
    extra: Mapping[str, Any] = _extra


ContentBlock = (
    TextBlock
    | ThinkingBlock
    | RedactedThinkingBlock
    | ToolUseBlock
    | ServerToolUseBlock
    | WebSearchToolResultBlock
    | UnknownContentBlock
)


@attrs.frozen(kw_only=True)
class CacheCreation(ModelMethods):
    """Prompt-cache writes by time to live."""

    ephemeral_1h_input_tokens: int | None = None
    ephemeral_5m_input_tokens: int | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ServerToolUsage(ModelMethods):
    """How many server-tool requests the answer used."""

    web_search_requests: int | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class Usage(ModelMethods):
    """Token counts of one message."""

    input_tokens: int
    output_tokens: int
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    cache_creation: CacheCreation | None = None
    server_tool_use: ServerToolUsage | None = None
    service_tier: str | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class AnthropicMessageResponse(ModelMethods):
    """
    An assistant message.

    `stop_reason` is an open string: ``"end_turn"``, ``"max_tokens"``, ``"stop_sequence"``,
    ``"tool_use"`` (run the `tool_uses` and answer with ``tool_result`` blocks), ``"pause_turn"``,
    ``"refusal"`` or anything newer.

    Attributes:
        session_id: The ``X-Session-ID`` the server answered with; pass it back to continue the
            conversation.
        request_id: The server's request id, when it sent one.
    """

    id: str
    content: list[ContentBlock]
    model: str
    usage: Usage
    stop_reason: str | None = None
    stop_sequence: str | None = None
    role: Literal["assistant"] = "assistant"
    type: Literal["message"] = "message"
    session_id: str | None = None
    request_id: str | None = None
    extra: Mapping[str, Any] = _extra

    @property
    def text(self) -> str:
        """The text blocks joined (``""`` when there is none)."""
        return "".join(b.text for b in self.content if isinstance(b, TextBlock))

    @property
    def tool_uses(self) -> list[ToolUseBlock]:
        """The tool calls to run, in order."""
        return [b for b in self.content if isinstance(b, ToolUseBlock)]
