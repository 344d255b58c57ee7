"""
Responses API response models. Output items of types this SDK does not model arrive as
`UnknownItem` (every key kept); `session_id` and `request_id` come from the response headers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from ..._converter import EMPTY
from .._model_methods import ModelMethods
from ._builtin_computer import CodeInterpreterOutput as CodeInterpreterOutput
from ._builtin_computer import CodeInterpreterOutputImage as CodeInterpreterOutputImage
from ._builtin_computer import CodeInterpreterOutputLogs as CodeInterpreterOutputLogs
from ._builtin_computer import CodeInterpreterToolCall as CodeInterpreterToolCall
from ._builtin_computer import ComputerAction as ComputerAction
from ._builtin_computer import ComputerActionClick as ComputerActionClick
from ._builtin_computer import ComputerActionDoubleClick as ComputerActionDoubleClick
from ._builtin_computer import ComputerActionDrag as ComputerActionDrag
from ._builtin_computer import ComputerActionDragPath as ComputerActionDragPath
from ._builtin_computer import ComputerActionKeypress as ComputerActionKeypress
from ._builtin_computer import ComputerActionMove as ComputerActionMove
from ._builtin_computer import ComputerActionScreenshot as ComputerActionScreenshot
from ._builtin_computer import ComputerActionScroll as ComputerActionScroll
from ._builtin_computer import ComputerActionType as ComputerActionType
from ._builtin_computer import ComputerActionWait as ComputerActionWait
from ._builtin_computer import ComputerPendingSafetyCheck as ComputerPendingSafetyCheck
from ._builtin_computer import ComputerToolCall as ComputerToolCall
from ._builtin_outputs import Annotation as Annotation
from ._builtin_outputs import AnnotationContainerFileCitation as AnnotationContainerFileCitation
from ._builtin_outputs import AnnotationFileCitation as AnnotationFileCitation
from ._builtin_outputs import AnnotationFilePath as AnnotationFilePath
from ._builtin_outputs import AnnotationURLCitation as AnnotationURLCitation
from ._builtin_outputs import ApplyPatchToolCall as ApplyPatchToolCall
from ._builtin_outputs import ConversationInfo as ConversationInfo
from ._builtin_outputs import FileSearchResult as FileSearchResult
from ._builtin_outputs import FileSearchToolCall as FileSearchToolCall
from ._builtin_outputs import FunctionShellToolCall as FunctionShellToolCall
from ._builtin_outputs import ImageGenerationCall as ImageGenerationCall
from ._builtin_outputs import LocalShellCall as LocalShellCall
from ._builtin_outputs import LocalShellCallAction as LocalShellCallAction
from ._builtin_outputs import McpApprovalRequest as McpApprovalRequest
from ._builtin_outputs import McpCall as McpCall
from ._builtin_outputs import McpListTools as McpListTools
from ._builtin_outputs import McpListToolsTool as McpListToolsTool
from ._builtin_outputs import OutputTextLogprob as OutputTextLogprob
from ._builtin_outputs import OutputTextLogprobTopLogprob as OutputTextLogprobTopLogprob
from ._builtin_outputs import ResponseCustomToolCall as ResponseCustomToolCall
from ._builtin_outputs import ResponsePromptInfo as ResponsePromptInfo
from ._builtin_outputs import ToolInfo as ToolInfo
from ._builtin_outputs import WebSearchAction as WebSearchAction
from ._builtin_outputs import WebSearchActionFind as WebSearchActionFind
from ._builtin_outputs import WebSearchActionOpenPage as WebSearchActionOpenPage
from ._builtin_outputs import WebSearchActionSearch as WebSearchActionSearch
from ._builtin_outputs import WebSearchActionSource as WebSearchActionSource
from ._builtin_outputs import WebSearchToolCall as WebSearchToolCall
from .request import UnknownContent, UnknownItem

__all__ = [
    "Annotation",
    "AnnotationContainerFileCitation",
    "AnnotationFileCitation",
    "AnnotationFilePath",
    "AnnotationURLCitation",
    "ApplyPatchToolCall",
    "CodeInterpreterOutput",
    "CodeInterpreterOutputImage",
    "CodeInterpreterOutputLogs",
    "CodeInterpreterToolCall",
    "ComputerAction",
    "ComputerActionClick",
    "ComputerActionDoubleClick",
    "ComputerActionDrag",
    "ComputerActionDragPath",
    "ComputerActionKeypress",
    "ComputerActionMove",
    "ComputerActionScreenshot",
    "ComputerActionScroll",
    "ComputerActionType",
    "ComputerActionWait",
    "ComputerPendingSafetyCheck",
    "ComputerToolCall",
    "ConversationInfo",
    "FileSearchResult",
    "FileSearchToolCall",
    "FunctionShellToolCall",
    "FunctionToolCall",
    "ImageGenerationCall",
    "IncompleteDetails",
    "InputTokensDetails",
    "LocalShellCall",
    "LocalShellCallAction",
    "McpApprovalRequest",
    "McpCall",
    "McpListTools",
    "McpListToolsTool",
    "OutputContent",
    "OutputContentItem",
    "OutputItem",
    "OutputText",
    "OutputTextLogprob",
    "OutputTextLogprobTopLogprob",
    "OutputTokensDetails",
    "ReasoningContent",
    "ReasoningItem",
    "ReasoningSummary",
    "ReasoningSummaryText",
    "ReasoningText",
    "Refusal",
    "ResponseCustomToolCall",
    "ResponseError",
    "ResponseIncompleteDetails",
    "ResponseOutputItem",
    "ResponseOutputMessage",
    "ResponseOutputRefusal",
    "ResponsePromptInfo",
    "ResponseUsage",
    "ResponsesResponse",
    "ToolInfo",
    "UnknownContent",
    "UnknownItem",
    "WebSearchAction",
    "WebSearchActionFind",
    "WebSearchActionOpenPage",
    "WebSearchActionSearch",
    "WebSearchActionSource",
    "WebSearchToolCall",
    "output_text_of",
]

_extra = attrs.field(default=EMPTY, kw_only=True, repr=False)


@attrs.frozen(kw_only=True)
class OutputText(ModelMethods):
    """Text the model produced, with its annotations (citations) and optional log probabilities."""

    text: str
    annotations: list[dict[str, Any]] = attrs.field(factory=list)
    logprobs: list[dict[str, Any]] | None = None
    type: Literal["output_text"] = "output_text"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseOutputRefusal(ModelMethods):
    """A refusal by the model."""

    refusal: str
    type: Literal["refusal"] = "refusal"
    extra: Mapping[str, Any] = _extra


OutputContent = OutputText | ResponseOutputRefusal | UnknownContent


@attrs.frozen(kw_only=True)
class ResponseOutputMessage(ModelMethods):
    """An assistant message output item."""

    id: str
    content: list[OutputContent]
    status: str = "completed"
    role: Literal["assistant"] = "assistant"
    type: Literal["message"] = "message"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class FunctionToolCall(ModelMethods):
    """
    A function call the caller must execute; answer it with a ``function_call_output`` input item
    carrying the same `call_id`. `arguments` is a JSON string.
    """

    call_id: str
    name: str
    arguments: str
    id: str | None = None
    status: str | None = None
    type: Literal["function_call"] = "function_call"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ReasoningSummaryText(ModelMethods):
    """One reasoning summary text."""

    text: str
    type: Literal["summary_text"] = "summary_text"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ReasoningText(ModelMethods):
    """Reasoning text."""

    text: str
    type: Literal["reasoning_text"] = "reasoning_text"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ReasoningItem(ModelMethods):
    """The model's reasoning (a summary, and the content or its encrypted form)."""

    id: str
    summary: list[ReasoningSummaryText] = attrs.field(factory=list)
    content: list[ReasoningText] | None = None
    encrypted_content: str | None = None
    status: str | None = None
    type: Literal["reasoning"] = "reasoning"
    extra: Mapping[str, Any] = _extra


OutputItem = (
    ResponseOutputMessage
    | FunctionToolCall
    | ReasoningItem
    | FileSearchToolCall
    | WebSearchToolCall
    | CodeInterpreterToolCall
    | ComputerToolCall
    | ImageGenerationCall
    | LocalShellCall
    | FunctionShellToolCall
    | ApplyPatchToolCall
    | McpCall
    | McpListTools
    | McpApprovalRequest
    | ResponseCustomToolCall
    | UnknownItem
)


@attrs.frozen(kw_only=True)
class InputTokensDetails(ModelMethods):
    """Breakdown of input tokens."""

    cached_tokens: int
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class OutputTokensDetails(ModelMethods):
    """Breakdown of output tokens."""

    reasoning_tokens: int
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseUsage(ModelMethods):
    """Token usage of one response."""

    input_tokens: int
    input_tokens_details: InputTokensDetails
    output_tokens: int
    output_tokens_details: OutputTokensDetails
    total_tokens: int
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseError(ModelMethods):
    """Why a response failed."""

    code: str
    message: str
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseIncompleteDetails(ModelMethods):
    """Why a response is incomplete (``max_output_tokens``, ``content_filter``)."""

    reason: str | None = None
    extra: Mapping[str, Any] = _extra


def _texts(item: Any) -> Iterable[str]:
    if isinstance(item, ResponseOutputMessage):
        for part in item.content:
            if isinstance(part, OutputText):
                yield part.text
            elif isinstance(part, UnknownContent) and part.type == "output_text":
                text = part.extra.get("text")
                if isinstance(text, str):
                    yield text
        return
    raw: Any = item.extra if isinstance(item, UnknownItem) else item
    kind = item.type if isinstance(item, UnknownItem) else None
    if isinstance(raw, Mapping):
        kind = kind or raw.get("type")
        if kind == "message":
            for part in raw.get("content") or ():
                if isinstance(part, Mapping) and part.get("type") == "output_text":
                    text = part.get("text")
                    if isinstance(text, str):
                        yield text


def output_text_of(output: Iterable[Any]) -> str:
    """
    Concatenate the text of every ``output_text`` part of every ``message`` item of `output`
    (typed items, `UnknownItem` and plain dicts alike).
    """
    return "".join(text for item in output for text in _texts(item))


@attrs.frozen(kw_only=True)
class ResponsesResponse(ModelMethods):
    """
    A response of the Responses API.

    `status` is ``"completed"``, or ``"failed"`` for example after a Dual-LLM policy denial (the
    output message then says why). Continue the conversation with
    ``previous_response_id=response.id``.

    Attributes:
        session_id: The ``X-Session-ID`` the server answered with.
        request_id: The server's request id, when it sent one.
    """

    id: str
    created_at: float
    model: str
    output: list[OutputItem]
    parallel_tool_calls: bool
    tool_choice: str | dict[str, Any]
    tools: list[dict[str, Any]]
    object: str = "response"
    status: str | None = None
    error: ResponseError | None = None
    incomplete_details: ResponseIncompleteDetails | None = None
    instructions: str | list[dict[str, Any]] | None = None
    metadata: dict[str, Any] | None = None
    temperature: float | None = None
    top_p: float | None = None
    background: bool | None = None
    completed_at: float | None = None
    conversation: dict[str, Any] | None = None
    max_output_tokens: int | None = None
    max_tool_calls: int | None = None
    previous_response_id: str | None = None
    prompt: dict[str, Any] | None = None
    prompt_cache_key: str | None = None
    prompt_cache_retention: str | None = None
    reasoning: dict[str, Any] | None = None
    safety_identifier: str | None = None
    service_tier: str | None = None
    text: dict[str, Any] | None = None
    top_logprobs: int | None = None
    truncation: str | None = None
    usage: ResponseUsage | None = None
    user: str | None = None
    session_id: str | None = None
    request_id: str | None = None
    extra: Mapping[str, Any] = _extra

    @property
    def output_text(self) -> str:
        """The text of every ``output_text`` part of every message item, concatenated."""
        return output_text_of(self.output)

    @property
    def function_calls(self) -> list[FunctionToolCall]:
        """The ``function_call`` items of the output, in order."""
        return [item for item in self.output if isinstance(item, FunctionToolCall)]


# -- the official SDK's names of the classes above ----------------------------------------------

Refusal = ResponseOutputRefusal
IncompleteDetails = ResponseIncompleteDetails
ReasoningSummary = ReasoningSummaryText
ReasoningContent = ReasoningText
OutputContentItem = OutputContent
ResponseOutputItem = OutputItem
