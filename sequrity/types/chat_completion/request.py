"""
Chat Completions request models. Every class accepts the same keys as its JSON object; unknown keys
given in a plain dict are kept in `extra` and sent unchanged, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs

if TYPE_CHECKING:
    import cattrs

from ..._converter import EMPTY, register_tagged_union, register_wire_rules
from .._model_methods import ModelMethods

__all__ = [
    "AssistantMessage",
    "AssistantMessageAudio",
    "ChatCompletionRequest",
    "ContentPart",
    "ContentPartFile",
    "ContentPartImage",
    "ContentPartInputAudio",
    "ContentPartRefusal",
    "ContentPartText",
    "DeveloperMessage",
    "FileData",
    "FunctionCallResult",
    "FunctionDefinition",
    "FunctionMessage",
    "FunctionTool",
    "ImageUrl",
    "InputAudioData",
    "JsonSchema",
    "Message",
    "ReasoningEffort",
    "ResponseFormat",
    "ResponseFormatJsonObject",
    "ResponseFormatJsonSchema",
    "ResponseFormatText",
    "StreamOptions",
    "SystemMessage",
    "Tool",
    "ToolCall",
    "ToolCallFunction",
    "ToolMessage",
    "UserMessage",
]

ReasoningEffort = Literal["none", "minimal", "low", "medium", "high", "xhigh"]

_extra = attrs.field(default=EMPTY, kw_only=True, repr=False)


# -- content parts -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ContentPartText(ModelMethods):
    """A text part: ``{"type": "text", "text": ...}``."""

    text: str
    type: Literal["text"] = "text"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ImageUrl(ModelMethods):
    """An image reference: a URL or a ``data:`` URL, with an optional detail level."""

    url: str
    detail: Literal["auto", "low", "high"] | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ContentPartImage(ModelMethods):
    """An image part: ``{"type": "image_url", "image_url": {...}}``."""

    image_url: ImageUrl
    type: Literal["image_url"] = "image_url"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class InputAudioData(ModelMethods):
    """Base64 audio data and its format."""

    data: str
    format: Literal["wav", "mp3"]
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ContentPartInputAudio(ModelMethods):
    """An audio part: ``{"type": "input_audio", "input_audio": {...}}``."""

    input_audio: InputAudioData
    type: Literal["input_audio"] = "input_audio"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class FileData(ModelMethods):
    """A file, inline (`file_data`) or by id."""

    file_data: str | None = None
    file_id: str | None = None
    filename: str | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ContentPartFile(ModelMethods):
    """A file part: ``{"type": "file", "file": {...}}``."""

    file: FileData
    type: Literal["file"] = "file"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ContentPartRefusal(ModelMethods):
    """A refusal part (assistant messages only)."""

    refusal: str
    type: Literal["refusal"] = "refusal"
    extra: Mapping[str, Any] = _extra


ContentPart = (
    ContentPartText
    | ContentPartImage
    | ContentPartInputAudio
    | ContentPartFile
    | ContentPartRefusal
)

# -- messages ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DeveloperMessage(ModelMethods):
    """Instructions from the application developer (newer models' replacement for system)."""

    content: str | list[ContentPart]
    name: str | None = None
    role: Literal["developer"] = "developer"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class SystemMessage(ModelMethods):
    """System instructions."""

    content: str | list[ContentPart]
    name: str | None = None
    role: Literal["system"] = "system"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class UserMessage(ModelMethods):
    """A message from the end user: text or a list of text, image, audio and file parts."""

    content: str | list[ContentPart]
    name: str | None = None
    role: Literal["user"] = "user"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class FunctionCallResult(ModelMethods):
    """The deprecated single `function_call` of an assistant message."""

    arguments: str
    name: str
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ToolCallFunction(ModelMethods):
    """The function a tool call invokes; `arguments` is a JSON string."""

    arguments: str
    name: str
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ToolCall(ModelMethods):
    """A tool call made by the assistant, replayed in the history."""

    id: str
    function: ToolCallFunction
    type: Literal["function"] = "function"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class AssistantMessageAudio(ModelMethods):
    """A reference to earlier audio output of the assistant."""

    id: str
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class AssistantMessage(ModelMethods):
    """An earlier assistant turn, replayed as history (with its tool calls, if any)."""

    content: str | list[ContentPart] | None = None
    name: str | None = None
    refusal: str | None = None
    audio: AssistantMessageAudio | None = None
    tool_calls: list[ToolCall] | None = None
    function_call: FunctionCallResult | None = None
    role: Literal["assistant"] = "assistant"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ToolMessage(ModelMethods):
    """The result of one tool call, answering the call with id `tool_call_id`."""

    content: str | list[ContentPart]
    tool_call_id: str
    role: Literal["tool"] = "tool"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class FunctionMessage(ModelMethods):
    """The deprecated result of a `function_call`."""

    content: str | None
    name: str
    role: Literal["function"] = "function"
    extra: Mapping[str, Any] = _extra


Message = (
    DeveloperMessage
    | SystemMessage
    | UserMessage
    | AssistantMessage
    | ToolMessage
    | FunctionMessage
)

# -- tools and formats -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FunctionDefinition(ModelMethods):
    """A function the model may call; `parameters` is a JSON Schema object."""

    name: str
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class FunctionTool(ModelMethods):
    """A tool: ``{"type": "function", "function": {...}}``."""

    function: FunctionDefinition
    type: Literal["function"] = "function"
    extra: Mapping[str, Any] = _extra


Tool = FunctionTool


@attrs.frozen(kw_only=True)
class ResponseFormatText(ModelMethods):
    """Plain text output (the default)."""

    type: Literal["text"] = "text"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseFormatJsonObject(ModelMethods):
    """Any JSON object as output."""

    type: Literal["json_object"] = "json_object"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class JsonSchema(ModelMethods):
    """
    A named JSON Schema for structured output.

    The schema goes out under the JSON key ``schema``; the attribute is `schema_` only because
    ``schema`` reads badly as a Python name next to other libraries' `schema()` methods.
    """

    name: str
    description: str | None = None
    schema_: dict[str, Any] | None = None
    strict: bool | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseFormatJsonSchema(ModelMethods):
    """Output that must match `json_schema`."""

    json_schema: JsonSchema
    type: Literal["json_schema"] = "json_schema"
    extra: Mapping[str, Any] = _extra


ResponseFormat = ResponseFormatText | ResponseFormatJsonObject | ResponseFormatJsonSchema


@attrs.frozen(kw_only=True)
class StreamOptions(ModelMethods):
    """Streaming options: `include_usage` adds a final chunk with token usage."""

    include_usage: bool | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ChatCompletionRequest(ModelMethods):
    """
    The body of ``POST .../v1/chat/completions``.

    Only `messages` and `model` are required. In Dual-LLM mode `model` may name two models,
    ``"planner,quarantined"``.
    """

    messages: list[Message]
    model: str
    reasoning_effort: ReasoningEffort | None = None
    response_format: ResponseFormat | None = None
    seed: int | None = None
    stream: bool | None = None
    stream_options: StreamOptions | None = None
    temperature: float | None = None
    top_p: float | None = None
    tools: list[FunctionTool] | None = None
    tool_choice: str | dict[str, Any] | None = None
    parallel_tool_calls: bool | None = None
    max_completion_tokens: int | None = None
    max_tokens: int | None = None
    stop: str | list[str] | None = None
    n: int | None = None
    user: str | None = None
    extra: Mapping[str, Any] = _extra


# The wire rules of this module's unions: how the converter tells their members apart. They are
# registered when the models are imported, so they are in place before any can be converted.
def _register_chat(converter: cattrs.Converter) -> None:
    """
    Teach `converter` how to tell the members of each union apart.
    """
    register_tagged_union(
        converter,
        Message,
        "role",
        {
            "developer": DeveloperMessage,
            "system": SystemMessage,
            "user": UserMessage,
            "assistant": AssistantMessage,
            "tool": ToolMessage,
            "function": FunctionMessage,
        },
    )
    register_tagged_union(
        converter,
        ContentPart,
        "type",
        {
            "text": ContentPartText,
            "image_url": ContentPartImage,
            "input_audio": ContentPartInputAudio,
            "file": ContentPartFile,
            "refusal": ContentPartRefusal,
        },
    )
    register_tagged_union(
        converter,
        ResponseFormat,
        "type",
        {
            "text": ResponseFormatText,
            "json_object": ResponseFormatJsonObject,
            "json_schema": ResponseFormatJsonSchema,
        },
    )


register_wire_rules(_register_chat)
