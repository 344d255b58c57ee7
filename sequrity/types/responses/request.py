"""
Responses API request models (``POST .../v1/responses``). Input items and tools the SDK does not
model travel as `UnknownItem` / `UnknownTool`: kept whole and sent back unchanged, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ..._converter import EMPTY
from .._model_methods import ModelMethods
from . import _builtin_inputs as bi
from . import _builtin_tools as bt
from ._builtin_inputs import *  # noqa: F403 - the official path of the built-in input items
from ._builtin_tools import *  # noqa: F403 - the official path of the built-in tools

__all__ = [
    "CustomToolCallOutputParam", "CustomToolCallParam", "FunctionCallOutputParam",
    "FunctionToolParam", "InputAudioContent", "InputAudioParam", "InputContent",
    "InputContentParam", "InputFileContent", "InputFileParam", "InputImageContent",
    "InputImageParam", "InputItem", "InputMessageParam", "InputTextContent", "InputTextParam",
    "ItemReferenceParam", "MessageParam", "OutputMessageContentParam", "OutputRefusalParam",
    "OutputTextParam", "PromptParam", "ReasoningItemParam", "ReasoningItemSummaryParam",
    "ReasoningParam", "RefusalParam", "ResponseCustomToolCallOutputParam",
    "ResponseCustomToolCallParam", "ResponseFormatJSONObjectParam",
    "ResponseFormatJSONSchemaParam", "ResponseFormatTextParam", "ResponseFunctionToolCallParam",
    "ResponseInputItemParam", "ResponseInputParam", "ResponseOutputMessageParam",
    "ResponsePromptParam", "ResponseTextConfigParam", "ResponsesRequest", "StreamOptionsParam",
    "SummaryTextParam", "TextConfigJSONObjectParam", "TextConfigJSONSchemaParam",
    "TextConfigTextParam", "TextFormatParam", "ToolChoiceFunctionParam", "ToolChoiceParam",
    "ToolParam", "UnknownContent", "UnknownItem", "UnknownTool",
]  # fmt: skip
__all__ += bi.__all__ + bt.__all__

_extra = attrs.field(default=EMPTY, kw_only=True, repr=False)


@attrs.frozen(kw_only=True)
class UnknownItem(ModelMethods):
    """
    An item (input or output) of a type this SDK does not model: `type` and every other key (in
    `extra`) are kept and sent back exactly.
    """

    type: str | None = None
    extra: Mapping[str, Any] = _extra


# -- input content -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class InputTextContent(ModelMethods):
    """Text input: ``{"type": "input_text", "text": ...}``."""

    text: str
    type: Literal["input_text"] = "input_text"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class InputImageContent(ModelMethods):
    """An image by URL (or ``data:`` URL) or file id."""

    detail: Literal["low", "high", "auto"] | None = None
    file_id: str | None = None
    image_url: str | None = None
    type: Literal["input_image"] = "input_image"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class InputFileContent(ModelMethods):
    """A file by id."""

    file_id: str | None = None
    type: Literal["input_file"] = "input_file"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class InputAudioContent(ModelMethods):
    """Base64 audio input."""

    audio: str
    type: Literal["input_audio"] = "input_audio"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class UnknownContent(ModelMethods):
    """A content part of a type this SDK does not model (every key kept and sent back)."""

    type: str | None = None
    extra: Mapping[str, Any] = _extra


InputContent = (
    InputTextContent | InputImageContent | InputFileContent | InputAudioContent | UnknownContent
)


# -- input items -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class InputMessageParam(ModelMethods):
    """A message without a ``type`` key: ``{"role": "user", "content": "..."}``."""

    role: Literal["user", "system", "developer", "assistant"]
    content: str | list[InputContent]
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class MessageParam(ModelMethods):
    """A message item: ``{"type": "message", "role": ..., "content": ...}``."""

    role: Literal["user", "system", "developer"]
    content: str | list[InputContent]
    status: Literal["in_progress", "completed", "incomplete"] | None = None
    type: Literal["message"] = "message"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class OutputTextParam(ModelMethods):
    """Assistant text replayed as input."""

    text: str
    annotations: list[dict[str, Any]] | None = None
    type: Literal["output_text"] = "output_text"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class RefusalParam(ModelMethods):
    """An assistant refusal replayed as input."""

    refusal: str
    type: Literal["refusal"] = "refusal"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseOutputMessageParam(ModelMethods):
    """An earlier assistant output message, replayed as input."""

    id: str
    content: list[OutputTextParam | RefusalParam]
    status: Literal["in_progress", "completed", "incomplete"]
    role: Literal["assistant"] = "assistant"
    type: Literal["message"] = "message"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseFunctionToolCallParam(ModelMethods):
    """A function call the model made, replayed as input; `arguments` is a JSON string."""

    call_id: str
    name: str
    arguments: str
    id: str | None = None
    status: Literal["in_progress", "completed", "incomplete"] | None = None
    type: Literal["function_call"] = "function_call"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class FunctionCallOutputParam(ModelMethods):
    """The result of the function call `call_id`, sent back to the model."""

    call_id: str
    output: str
    id: str | None = None
    status: Literal["in_progress", "completed", "incomplete"] | None = None
    type: Literal["function_call_output"] = "function_call_output"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class CustomToolCallParam(ModelMethods):
    """A custom-tool call replayed as input."""

    call_id: str
    name: str
    input: str
    id: str | None = None
    type: Literal["custom_tool_call"] = "custom_tool_call"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class CustomToolCallOutputParam(ModelMethods):
    """The output of a custom-tool call."""

    call_id: str
    output: str
    id: str | None = None
    type: Literal["custom_tool_call_output"] = "custom_tool_call_output"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class SummaryTextParam(ModelMethods):
    """One reasoning summary text."""

    text: str
    type: Literal["summary_text"] = "summary_text"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ReasoningItemParam(ModelMethods):
    """A reasoning item replayed as input."""

    id: str
    summary: list[SummaryTextParam] = attrs.field(factory=list)
    encrypted_content: str | None = None
    type: Literal["reasoning"] = "reasoning"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ItemReferenceParam(ModelMethods):
    """A reference to an earlier item by id."""

    id: str
    type: Literal["item_reference"] | None = None
    extra: Mapping[str, Any] = _extra


InputItem = (
    InputMessageParam
    | MessageParam
    | ResponseOutputMessageParam
    | ResponseFunctionToolCallParam
    | FunctionCallOutputParam
    | CustomToolCallParam
    | CustomToolCallOutputParam
    | ReasoningItemParam
    | ItemReferenceParam
    | bi.ComputerCallOutputParam
    | bi.LocalShellCallParam
    | bi.LocalShellCallOutputParam
    | bi.ShellCallParam
    | bi.ShellCallOutputParam
    | bi.ApplyPatchCallParam
    | bi.ApplyPatchCallOutputParam
    | bi.McpListToolsParam
    | bi.McpApprovalRequestParam
    | bi.McpApprovalResponseParam
    | bi.McpCallParam
    | bi.ImageGenerationCallParam
    | UnknownItem
)

# -- tools, text format, options ---------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FunctionToolParam(ModelMethods):
    """A function tool, in the Responses API's **flat** shape (``name`` at the top level)."""

    name: str
    parameters: dict[str, Any] | None = None
    strict: bool | None = None
    description: str | None = None
    type: Literal["function"] = "function"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class UnknownTool(ModelMethods):
    """Any other tool (web search, MCP, a Chat-style nested function...): sent exactly as given."""

    type: str | None = None
    extra: Mapping[str, Any] = _extra


ToolParam = (
    FunctionToolParam
    | bt.FileSearchToolParam
    | bt.WebSearchToolParam
    | bt.WebSearchPreviewToolParam
    | bt.CodeInterpreterToolParam
    | bt.ComputerToolParam
    | bt.ImageGenerationToolParam
    | bt.McpToolParam
    | bt.LocalShellToolParam
    | bt.FunctionShellToolParam
    | bt.CustomToolParam
    | bt.ApplyPatchToolParam
    | UnknownTool
)


@attrs.frozen(kw_only=True)
class ToolChoiceFunctionParam(ModelMethods):
    """Force a call of the function `name`."""

    name: str
    type: Literal["function"] = "function"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ReasoningParam(ModelMethods):
    """Reasoning options."""

    effort: Literal["none", "minimal", "low", "medium", "high", "xhigh"] | None = None
    generate_summary: Literal["auto", "concise", "detailed"] | None = None
    summary: Literal["auto", "concise", "detailed"] | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseFormatTextParam(ModelMethods):
    """Plain text output."""

    type: Literal["text"] = "text"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseFormatJSONObjectParam(ModelMethods):
    """Any JSON object as output."""

    type: Literal["json_object"] = "json_object"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseFormatJSONSchemaParam(ModelMethods):
    """Output matching a JSON Schema; `schema_` goes out as ``schema``."""

    name: str
    schema_: dict[str, Any]
    description: str | None = None
    strict: bool | None = None
    type: Literal["json_schema"] = "json_schema"
    extra: Mapping[str, Any] = _extra


TextFormatParam = (
    ResponseFormatTextParam | ResponseFormatJSONObjectParam | ResponseFormatJSONSchemaParam
)

ToolChoiceParam = (
    bt.ToolChoiceNoneParam
    | bt.ToolChoiceAutoParam
    | bt.ToolChoiceRequiredParam
    | ToolChoiceFunctionParam
)


@attrs.frozen(kw_only=True)
class ResponseTextConfigParam(ModelMethods):
    """Text output options: ``{"format": {...}}``."""

    format: TextFormatParam | None = None
    verbosity: Literal["low", "medium", "high"] | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class PromptParam(ModelMethods):
    """A stored prompt template and its variables."""

    id: str
    variables: dict[str, Any] | None = None
    version: str | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class StreamOptionsParam(ModelMethods):
    """Streaming options."""

    include_usage: bool | None = None
    include_obfuscation: bool | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponsesRequest(ModelMethods):
    """
    The body of ``POST .../v1/responses``.

    `model` is required, and so is one of `input` and `previous_response_id` (checked by the
    resource). With `previous_response_id`, `input` holds only the new items.
    """

    model: str
    input: str | list[InputItem] | None = None
    instructions: str | None = None
    tools: list[ToolParam] | None = None
    tool_choice: str | dict[str, Any] | None = None
    stream: bool | None = None
    temperature: float | None = None
    top_p: float | None = None
    max_output_tokens: int | None = None
    reasoning: ReasoningParam | None = None
    text: ResponseTextConfigParam | None = None
    metadata: dict[str, str] | None = None
    previous_response_id: str | None = None
    include: list[str] | None = None
    store: bool | None = None
    truncation: Literal["auto", "disabled"] | None = None
    parallel_tool_calls: bool | None = None
    max_tool_calls: int | None = None
    background: bool | None = None
    conversation: str | dict[str, Any] | None = None
    prompt: PromptParam | None = None
    service_tier: Literal["auto", "default", "flex", "scale", "priority"] | None = None
    stream_options: StreamOptionsParam | None = None
    top_logprobs: int | None = None
    prompt_cache_key: str | None = None
    prompt_cache_retention: Literal["in-memory", "24h"] | None = None
    safety_identifier: str | None = None
    user: str | None = None
    extra: Mapping[str, Any] = _extra


# -- the official SDK's names of the classes above ----------------------------------------------

InputTextParam = InputTextContent
InputImageParam = InputImageContent
InputFileParam = InputFileContent
InputAudioParam = InputAudioContent
InputContentParam = InputContent
OutputRefusalParam = RefusalParam
OutputMessageContentParam = OutputTextParam | RefusalParam
ResponseCustomToolCallParam = CustomToolCallParam
ResponseCustomToolCallOutputParam = CustomToolCallOutputParam
ReasoningItemSummaryParam = SummaryTextParam
ResponseInputItemParam = InputItem
ResponseInputParam = str | list[InputItem]
TextConfigTextParam = ResponseFormatTextParam
TextConfigJSONObjectParam = ResponseFormatJSONObjectParam
TextConfigJSONSchemaParam = ResponseFormatJSONSchemaParam
ResponsePromptParam = PromptParam
