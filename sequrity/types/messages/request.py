"""
Anthropic Messages request models. Every class accepts the same keys as its JSON object; unknown keys
given in a plain dict are kept in `extra` and sent unchanged, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ..._converter import EMPTY
from .._model_methods import ModelMethods

__all__ = [
    "AnthropicMessageRequest",
    "Base64DocumentSourceParam",
    "Base64ImageSourceParam",
    "DocumentBlockParam",
    "DocumentSourceParam",
    "ImageBlockParam",
    "ImageSource",
    "ImageSourceParam",
    "JSONOutputFormatParam",
    "MessageContentBlockParam",
    "MessageParam",
    "MetadataParam",
    "OutputConfigParam",
    "ReasoningEffort",
    "RedactedThinkingBlockParam",
    "TextBlockParam",
    "ThinkingBlockParam",
    "ThinkingConfigAdaptiveParam",
    "ThinkingConfigDisabledParam",
    "ThinkingConfigEnabledParam",
    "ThinkingConfigParam",
    "ToolChoiceAnyParam",
    "ToolChoiceAutoParam",
    "ToolChoiceNoneParam",
    "ToolChoiceParam",
    "ToolChoiceToolParam",
    "ToolInputSchema",
    "ToolParam",
    "ToolResultBlockParam",
    "ToolResultContentParam",
    "ToolUnionParam",
    "ToolUseBlockParam",
    "URLDocumentSourceParam",
    "URLImageSourceParam",
    "UnknownBlockParam",
]

ReasoningEffort = Literal["none", "minimal", "low", "medium", "high", "xhigh"]

_extra = attrs.field(default=EMPTY, kw_only=True, repr=False)


# -- content blocks ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TextBlockParam(ModelMethods):
    """A text block: ``{"type": "text", "text": ...}``."""

    text: str
    citations: list[dict[str, Any]] | None = None
    cache_control: dict[str, Any] | None = None
    type: Literal["text"] = "text"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class Base64ImageSourceParam(ModelMethods):
    """Inline image bytes, base64-encoded."""

    data: str
    media_type: Literal["image/jpeg", "image/png", "image/gif", "image/webp"]
    type: Literal["base64"] = "base64"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class URLImageSourceParam(ModelMethods):
    """An image fetched from a URL."""

    url: str
    type: Literal["url"] = "url"
    extra: Mapping[str, Any] = _extra


ImageSourceParam = Base64ImageSourceParam | URLImageSourceParam
#: The official SDK's name of `ImageSourceParam`.
ImageSource = ImageSourceParam


@attrs.frozen(kw_only=True)
class ImageBlockParam(ModelMethods):
    """An image block: ``{"type": "image", "source": {...}}``."""

    source: ImageSourceParam
    cache_control: dict[str, Any] | None = None
    type: Literal["image"] = "image"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class Base64DocumentSourceParam(ModelMethods):
    """An inline PDF, base64-encoded."""

    data: str
    media_type: Literal["application/pdf"] = "application/pdf"
    type: Literal["base64"] = "base64"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class URLDocumentSourceParam(ModelMethods):
    """A PDF fetched from a URL."""

    url: str
    type: Literal["url"] = "url"
    extra: Mapping[str, Any] = _extra


DocumentSourceParam = Base64DocumentSourceParam | URLDocumentSourceParam


@attrs.frozen(kw_only=True)
class DocumentBlockParam(ModelMethods):
    """A document block: ``{"type": "document", "source": {...}}``."""

    source: DocumentSourceParam
    title: str | None = None
    context: str | None = None
    citations: dict[str, Any] | None = None
    cache_control: dict[str, Any] | None = None
    type: Literal["document"] = "document"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ToolUseBlockParam(ModelMethods):
    """A tool call of an earlier assistant turn, replayed in the history."""

    id: str
    name: str
    input: dict[str, Any]
    cache_control: dict[str, Any] | None = None
    type: Literal["tool_use"] = "tool_use"
    extra: Mapping[str, Any] = _extra


ToolResultContentParam = TextBlockParam | ImageBlockParam | DocumentBlockParam


@attrs.frozen(kw_only=True)
class ToolResultBlockParam(ModelMethods):
    """The result of the tool call `tool_use_id`, sent in a user message."""

    tool_use_id: str
    content: str | list[ToolResultContentParam] | None = None
    is_error: bool | None = None
    cache_control: dict[str, Any] | None = None
    type: Literal["tool_result"] = "tool_result"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ThinkingBlockParam(ModelMethods):
    """
    Extended thinking of an earlier assistant turn, replayed exactly as received (Anthropic's shape:
    `thinking` and its `signature`).
    """

    thinking: str
    signature: str
    type: Literal["thinking"] = "thinking"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class RedactedThinkingBlockParam(ModelMethods):
    """Encrypted thinking of an earlier assistant turn, replayed exactly as received."""

    data: str
    type: Literal["redacted_thinking"] = "redacted_thinking"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class UnknownBlockParam(ModelMethods):
    """
    A content block of a type this SDK does not model (``server_tool_use``, ``search_result``...),
    sent unchanged: its keys other than ``type`` are in `extra`.
    """

    type: str
    extra: Mapping[str, Any] = _extra


MessageContentBlockParam = (
    TextBlockParam
    | ImageBlockParam
    | DocumentBlockParam
    | ToolUseBlockParam
    | ToolResultBlockParam
    | ThinkingBlockParam
    | RedactedThinkingBlockParam
    | UnknownBlockParam
)


@attrs.frozen(kw_only=True)
class MessageParam(ModelMethods):
    """One turn of the conversation: text, or a list of content blocks."""

    role: Literal["user", "assistant"]
    content: str | list[MessageContentBlockParam]
    extra: Mapping[str, Any] = _extra


# -- tools -------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ToolInputSchema(ModelMethods):
    """The JSON Schema of a tool's input; keys other than these three are kept in `extra`."""

    type: str = "object"
    properties: dict[str, Any] | None = None
    required: list[str] | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ToolParam(ModelMethods):
    """
    A client tool the model may call. Server tools (``{"type": "web_search_20250305", ...}``) are
    given as plain dicts and sent unchanged.
    """

    name: str
    input_schema: ToolInputSchema
    description: str | None = None
    cache_control: dict[str, Any] | None = None
    strict: bool | None = None
    type: Literal["custom"] | None = None
    extra: Mapping[str, Any] = _extra


#: A tool: a typed `ToolParam` or its JSON object (the official SDK's name).
ToolUnionParam = ToolParam | dict[str, Any]


@attrs.frozen(kw_only=True)
class ToolChoiceAutoParam(ModelMethods):
    """The model decides whether to call tools."""

    disable_parallel_tool_use: bool | None = None
    type: Literal["auto"] = "auto"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ToolChoiceAnyParam(ModelMethods):
    """The model must call one of the tools."""

    disable_parallel_tool_use: bool | None = None
    type: Literal["any"] = "any"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ToolChoiceToolParam(ModelMethods):
    """The model must call the tool `name`."""

    name: str
    disable_parallel_tool_use: bool | None = None
    type: Literal["tool"] = "tool"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ToolChoiceNoneParam(ModelMethods):
    """The model must not call tools."""

    type: Literal["none"] = "none"
    extra: Mapping[str, Any] = _extra


ToolChoiceParam = (
    ToolChoiceAutoParam | ToolChoiceAnyParam | ToolChoiceToolParam | ToolChoiceNoneParam
)

# -- configuration -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class MetadataParam(ModelMethods):
    """Request metadata: an opaque id of your end user."""

    user_id: str | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class JSONOutputFormatParam(ModelMethods):
    """
    Structured output matching a JSON Schema; `schema_` goes out under the JSON key ``schema``.
    """

    schema_: dict[str, Any]
    type: Literal["json_schema"] = "json_schema"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class OutputConfigParam(ModelMethods):
    """Output options: the structured-output `format`."""

    format: JSONOutputFormatParam | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ThinkingConfigEnabledParam(ModelMethods):
    """Extended thinking with a token budget (at least 1024, below `max_tokens`)."""

    budget_tokens: int
    type: Literal["enabled"] = "enabled"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ThinkingConfigDisabledParam(ModelMethods):
    """No extended thinking."""

    type: Literal["disabled"] = "disabled"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ThinkingConfigAdaptiveParam(ModelMethods):
    """The model decides how much to think."""

    type: Literal["adaptive"] = "adaptive"
    extra: Mapping[str, Any] = _extra


ThinkingConfigParam = (
    ThinkingConfigEnabledParam | ThinkingConfigDisabledParam | ThinkingConfigAdaptiveParam
)


@attrs.frozen(kw_only=True)
class AnthropicMessageRequest(ModelMethods):
    """
    The body of ``POST .../v1/messages``.

    `messages`, `model` and `max_tokens` are required. `tools` holds `ToolParam` objects or, for
    server tools, plain dicts with their own ``type``, sent unchanged.
    """

    messages: list[MessageParam]
    model: str
    max_tokens: int
    system: str | list[TextBlockParam] | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    tools: list[ToolParam | dict[str, Any]] | None = None
    tool_choice: ToolChoiceParam | None = None
    thinking: ThinkingConfigParam | None = None
    reasoning_effort: ReasoningEffort | None = None
    stop_sequences: list[str] | None = None
    stream: bool | None = None
    output_config: OutputConfigParam | None = None
    metadata: MetadataParam | None = None
    service_tier: Literal["auto", "standard_only"] | None = None
    extra: Mapping[str, Any] = _extra
