"""
Anthropic Messages stream events. The union is open: ``ping`` and event types newer than this SDK
arrive as `UnknownStreamEvent`, unknown deltas as `UnknownDelta`, unknown blocks as
`UnknownContentBlock`; an ``error`` event is raised by the stream, never yielded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ..._converter import EMPTY
from .._model_methods import ModelMethods
from .response import (
    AnthropicMessageResponse,
    ServerToolUsage,
    UnknownContentBlock,
    WebSearchToolResultBlock,
)

__all__ = [
    "AnthropicContentBlockStart",
    "AnthropicContentDelta",
    "AnthropicStreamEvent",
    "BlockStart",
    "CitationsDelta",
    "Delta",
    "InputJSONDelta",
    "MessageDeltaBody",
    "MessageDeltaUsage",
    "RawContentBlockDeltaEvent",
    "RawContentBlockStartEvent",
    "RawContentBlockStopEvent",
    "RawMessageDeltaEvent",
    "RawMessageStartEvent",
    "RawMessageStopEvent",
    "RedactedThinkingBlockStart",
    "ServerToolUseBlockStart",
    "SignatureDelta",
    "TextBlockStart",
    "TextDelta",
    "ThinkingBlockStart",
    "ThinkingDelta",
    "ToolUseBlockStart",
    "UnknownDelta",
    "UnknownStreamEvent",
]

_extra = attrs.field(default=EMPTY, kw_only=True, repr=False)

# -- deltas ------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TextDelta(ModelMethods):
    """More text for a text block."""

    text: str
    type: Literal["text_delta"] = "text_delta"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class InputJSONDelta(ModelMethods):
    """A piece of a tool call's input JSON; the pieces of a block concatenate to the object."""

    partial_json: str
    type: Literal["input_json_delta"] = "input_json_delta"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ThinkingDelta(ModelMethods):
    """More text for a thinking block."""

    thinking: str
    type: Literal["thinking_delta"] = "thinking_delta"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class SignatureDelta(ModelMethods):
    """The signature of a thinking block (sent just before the block stops)."""

    signature: str
    type: Literal["signature_delta"] = "signature_delta"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class CitationsDelta(ModelMethods):
    """A citation added to a text block."""

    citation: dict[str, Any]
    type: Literal["citations_delta"] = "citations_delta"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class UnknownDelta(ModelMethods):
    """A delta of a type this SDK does not know yet; its other keys are in `extra`."""

    type: str
    extra: Mapping[str, Any] = _extra


Delta = TextDelta | InputJSONDelta | ThinkingDelta | SignatureDelta | CitationsDelta | UnknownDelta
#: The official SDK's name of `Delta`.
AnthropicContentDelta = Delta

# -- block starts ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TextBlockStart(ModelMethods):
    """A text block begins (its text arrives in `TextDelta` events)."""

    text: str = ""
    citations: list[dict[str, Any]] | None = None
    type: Literal["text"] = "text"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ThinkingBlockStart(ModelMethods):
    """A thinking block begins (`ThinkingDelta` events, then a `SignatureDelta`)."""

    thinking: str = ""
    signature: str | None = None
    type: Literal["thinking"] = "thinking"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class RedactedThinkingBlockStart(ModelMethods):
    """A redacted thinking block, complete in its start event."""

    data: str | None = None
    type: Literal["redacted_thinking"] = "redacted_thinking"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ToolUseBlockStart(ModelMethods):
    """A tool call begins (its input arrives as `InputJSONDelta` pieces)."""

    id: str
    name: str
    input: dict[str, Any] = attrs.field(factory=dict)
    type: Literal["tool_use"] = "tool_use"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ServerToolUseBlockStart(ModelMethods):
    """A server tool call begins."""

    id: str
    name: str
    input: dict[str, Any] | None = None
    type: Literal["server_tool_use"] = "server_tool_use"
    extra: Mapping[str, Any] = _extra


BlockStart = (
    TextBlockStart
    | ThinkingBlockStart
    | RedactedThinkingBlockStart
    | ToolUseBlockStart
    | ServerToolUseBlockStart
    | WebSearchToolResultBlock
    | UnknownContentBlock
)
#: The official SDK's name of `BlockStart`.
AnthropicContentBlockStart = BlockStart

# -- events ------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class MessageDeltaBody(ModelMethods):
    """What changes at the end of the message."""

    stop_reason: str | None = None
    stop_sequence: str | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class MessageDeltaUsage(ModelMethods):
    """Cumulative token counts at the end of the message."""

    output_tokens: int
    input_tokens: int | None = None
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    server_tool_use: ServerToolUsage | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class RawMessageStartEvent(ModelMethods):
    """The first event: the message with empty `content` and the input token count."""

    message: AnthropicMessageResponse
    type: Literal["message_start"] = "message_start"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class RawContentBlockStartEvent(ModelMethods):
    """Content block `index` begins."""

    index: int
    content_block: BlockStart
    type: Literal["content_block_start"] = "content_block_start"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class RawContentBlockDeltaEvent(ModelMethods):
    """A piece of content block `index`."""

    index: int
    delta: Delta
    type: Literal["content_block_delta"] = "content_block_delta"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class RawContentBlockStopEvent(ModelMethods):
    """Content block `index` is complete."""

    index: int
    type: Literal["content_block_stop"] = "content_block_stop"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class RawMessageDeltaEvent(ModelMethods):
    """The stop reason and final output token count."""

    delta: MessageDeltaBody
    usage: MessageDeltaUsage
    type: Literal["message_delta"] = "message_delta"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class RawMessageStopEvent(ModelMethods):
    """The last event of a stream."""

    type: Literal["message_stop"] = "message_stop"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class UnknownStreamEvent(ModelMethods):
    """
    An event this SDK does not model (``ping``, or a type added after this release), delivered as
    received: its keys other than ``type`` are in `extra`.
    """

    type: str
    extra: Mapping[str, Any] = _extra


AnthropicStreamEvent = (
    RawMessageStartEvent
    | RawContentBlockStartEvent
    | RawContentBlockDeltaEvent
    | RawContentBlockStopEvent
    | RawMessageDeltaEvent
    | RawMessageStopEvent
    | UnknownStreamEvent
)
