"""OpenAI Responses API: request, response and stream-event models, and the stream accumulator."""

from __future__ import annotations

from . import _register  # noqa: F401 - registers the unions with the converter
from .accumulator import ResponseAccumulator as ResponseAccumulator
from .accumulator import accumulate_response as accumulate_response
from .request import ApplyPatchCallOutputParam as ApplyPatchCallOutputParam
from .request import ApplyPatchCallParam as ApplyPatchCallParam
from .request import ApplyPatchToolParam as ApplyPatchToolParam
from .request import CodeInterpreterContainerAuto as CodeInterpreterContainerAuto
from .request import CodeInterpreterToolParam as CodeInterpreterToolParam
from .request import (
    ComputerCallOutputAcknowledgedSafetyCheck as ComputerCallOutputAcknowledgedSafetyCheck,
)
from .request import ComputerCallOutputParam as ComputerCallOutputParam
from .request import ComputerToolParam as ComputerToolParam
from .request import ConversationParam as ConversationParam
from .request import CustomToolParam as CustomToolParam
from .request import FileSearchToolParam as FileSearchToolParam
from .request import FunctionCallOutputParam as FunctionCallOutputParam
from .request import FunctionShellToolParam as FunctionShellToolParam
from .request import FunctionToolParam as FunctionToolParam
from .request import ImageGenerationCallParam as ImageGenerationCallParam
from .request import ImageGenerationInputImageMask as ImageGenerationInputImageMask
from .request import ImageGenerationToolParam as ImageGenerationToolParam
from .request import InputAudioParam as InputAudioParam
from .request import InputFileParam as InputFileParam
from .request import InputImageParam as InputImageParam
from .request import InputMessageParam as InputMessageParam
from .request import InputTextParam as InputTextParam
from .request import ItemReferenceParam as ItemReferenceParam
from .request import LocalShellCallActionParam as LocalShellCallActionParam
from .request import LocalShellCallOutputParam as LocalShellCallOutputParam
from .request import LocalShellCallParam as LocalShellCallParam
from .request import LocalShellToolParam as LocalShellToolParam
from .request import McpAllowedToolsFilter as McpAllowedToolsFilter
from .request import McpApprovalFilter as McpApprovalFilter
from .request import McpApprovalRequestParam as McpApprovalRequestParam
from .request import McpApprovalResponseParam as McpApprovalResponseParam
from .request import McpCallParam as McpCallParam
from .request import McpListToolsParam as McpListToolsParam
from .request import McpListToolsToolParam as McpListToolsToolParam
from .request import McpToolParam as McpToolParam
from .request import MessageParam as MessageParam
from .request import OutputRefusalParam as OutputRefusalParam
from .request import OutputTextParam as OutputTextParam
from .request import ReasoningItemParam as ReasoningItemParam
from .request import ReasoningItemSummaryParam as ReasoningItemSummaryParam
from .request import ReasoningParam as ReasoningParam
from .request import ResponseCustomToolCallOutputParam as ResponseCustomToolCallOutputParam
from .request import ResponseCustomToolCallParam as ResponseCustomToolCallParam
from .request import ResponseFunctionToolCallParam as ResponseFunctionToolCallParam
from .request import ResponseOutputMessageParam as ResponseOutputMessageParam
from .request import ResponsePromptParam as ResponsePromptParam
from .request import ResponsesRequest as ResponsesRequest
from .request import ResponseTextConfigParam as ResponseTextConfigParam
from .request import ShellCallActionParam as ShellCallActionParam
from .request import ShellCallOutputParam as ShellCallOutputParam
from .request import ShellCallParam as ShellCallParam
from .request import StreamOptionsParam as StreamOptionsParam
from .request import TextConfigJSONObjectParam as TextConfigJSONObjectParam
from .request import TextConfigJSONSchemaParam as TextConfigJSONSchemaParam
from .request import TextConfigTextParam as TextConfigTextParam
from .request import ToolChoiceAutoParam as ToolChoiceAutoParam
from .request import ToolChoiceFunctionParam as ToolChoiceFunctionParam
from .request import ToolChoiceNoneParam as ToolChoiceNoneParam
from .request import ToolChoiceRequiredParam as ToolChoiceRequiredParam
from .request import UnknownItem as UnknownItem
from .request import UnknownTool as UnknownTool
from .request import WebSearchPreviewToolParam as WebSearchPreviewToolParam
from .request import WebSearchPreviewUserLocation as WebSearchPreviewUserLocation
from .request import WebSearchToolParam as WebSearchToolParam
from .response import AnnotationContainerFileCitation as AnnotationContainerFileCitation
from .response import AnnotationFileCitation as AnnotationFileCitation
from .response import AnnotationFilePath as AnnotationFilePath
from .response import AnnotationURLCitation as AnnotationURLCitation
from .response import ApplyPatchToolCall as ApplyPatchToolCall
from .response import CodeInterpreterOutputImage as CodeInterpreterOutputImage
from .response import CodeInterpreterOutputLogs as CodeInterpreterOutputLogs
from .response import CodeInterpreterToolCall as CodeInterpreterToolCall
from .response import ComputerActionClick as ComputerActionClick
from .response import ComputerActionDoubleClick as ComputerActionDoubleClick
from .response import ComputerActionDrag as ComputerActionDrag
from .response import ComputerActionKeypress as ComputerActionKeypress
from .response import ComputerActionMove as ComputerActionMove
from .response import ComputerActionScreenshot as ComputerActionScreenshot
from .response import ComputerActionScroll as ComputerActionScroll
from .response import ComputerActionType as ComputerActionType
from .response import ComputerActionWait as ComputerActionWait
from .response import ComputerPendingSafetyCheck as ComputerPendingSafetyCheck
from .response import ComputerToolCall as ComputerToolCall
from .response import ConversationInfo as ConversationInfo
from .response import FileSearchResult as FileSearchResult
from .response import FileSearchToolCall as FileSearchToolCall
from .response import FunctionShellToolCall as FunctionShellToolCall
from .response import FunctionToolCall as FunctionToolCall
from .response import ImageGenerationCall as ImageGenerationCall
from .response import IncompleteDetails as IncompleteDetails
from .response import InputTokensDetails as InputTokensDetails
from .response import LocalShellCall as LocalShellCall
from .response import LocalShellCallAction as LocalShellCallAction
from .response import McpApprovalRequest as McpApprovalRequest
from .response import McpCall as McpCall
from .response import McpListTools as McpListTools
from .response import McpListToolsTool as McpListToolsTool
from .response import OutputText as OutputText
from .response import OutputTextLogprob as OutputTextLogprob
from .response import OutputTextLogprobTopLogprob as OutputTextLogprobTopLogprob
from .response import ReasoningContent as ReasoningContent
from .response import ReasoningItem as ReasoningItem
from .response import ReasoningSummary as ReasoningSummary
from .response import Refusal as Refusal
from .response import ResponseCustomToolCall as ResponseCustomToolCall
from .response import ResponseError as ResponseError
from .response import ResponseOutputMessage as ResponseOutputMessage
from .response import ResponsePromptInfo as ResponsePromptInfo
from .response import ResponsesResponse as ResponsesResponse
from .response import ResponseUsage as ResponseUsage
from .response import ToolInfo as ToolInfo
from .response import WebSearchActionFind as WebSearchActionFind
from .response import WebSearchActionOpenPage as WebSearchActionOpenPage
from .response import WebSearchActionSearch as WebSearchActionSearch
from .response import WebSearchActionSource as WebSearchActionSource
from .response import WebSearchToolCall as WebSearchToolCall
from .stream import OpenAiResponseStreamEvent as OpenAiResponseStreamEvent
from .stream import ResponseCompletedEvent as ResponseCompletedEvent
from .stream import ResponseContentPartAddedEvent as ResponseContentPartAddedEvent
from .stream import ResponseContentPartDoneEvent as ResponseContentPartDoneEvent
from .stream import ResponseCreatedEvent as ResponseCreatedEvent
from .stream import ResponseFailedEvent as ResponseFailedEvent
from .stream import (
    ResponseFunctionCallArgumentsDeltaEvent as ResponseFunctionCallArgumentsDeltaEvent,
)
from .stream import ResponseFunctionCallArgumentsDoneEvent as ResponseFunctionCallArgumentsDoneEvent
from .stream import ResponseIncompleteEvent as ResponseIncompleteEvent
from .stream import ResponseInProgressEvent as ResponseInProgressEvent
from .stream import ResponseOutputItemAddedEvent as ResponseOutputItemAddedEvent
from .stream import ResponseOutputItemDoneEvent as ResponseOutputItemDoneEvent
from .stream import ResponseReasoningSummaryPartAddedEvent as ResponseReasoningSummaryPartAddedEvent
from .stream import ResponseReasoningSummaryPartDoneEvent as ResponseReasoningSummaryPartDoneEvent
from .stream import ResponseReasoningSummaryTextDeltaEvent as ResponseReasoningSummaryTextDeltaEvent
from .stream import ResponseReasoningSummaryTextDoneEvent as ResponseReasoningSummaryTextDoneEvent
from .stream import ResponseTextDeltaEvent as ResponseTextDeltaEvent
from .stream import ResponseTextDoneEvent as ResponseTextDoneEvent
from .stream import UnknownStreamEvent as UnknownStreamEvent

__all__ = [
    "AnnotationContainerFileCitation",
    "AnnotationFileCitation",
    "AnnotationFilePath",
    "AnnotationURLCitation",
    "ApplyPatchCallOutputParam",
    "ApplyPatchCallParam",
    "ApplyPatchToolCall",
    "ApplyPatchToolParam",
    "CodeInterpreterContainerAuto",
    "CodeInterpreterOutputImage",
    "CodeInterpreterOutputLogs",
    "CodeInterpreterToolCall",
    "CodeInterpreterToolParam",
    "ComputerActionClick",
    "ComputerActionDoubleClick",
    "ComputerActionDrag",
    "ComputerActionKeypress",
    "ComputerActionMove",
    "ComputerActionScreenshot",
    "ComputerActionScroll",
    "ComputerActionType",
    "ComputerActionWait",
    "ComputerCallOutputAcknowledgedSafetyCheck",
    "ComputerCallOutputParam",
    "ComputerPendingSafetyCheck",
    "ComputerToolCall",
    "ComputerToolParam",
    "ConversationInfo",
    "ConversationParam",
    "CustomToolParam",
    "FileSearchResult",
    "FileSearchToolCall",
    "FileSearchToolParam",
    "FunctionCallOutputParam",
    "FunctionShellToolCall",
    "FunctionShellToolParam",
    "FunctionToolCall",
    "FunctionToolParam",
    "ImageGenerationCall",
    "ImageGenerationCallParam",
    "ImageGenerationInputImageMask",
    "ImageGenerationToolParam",
    "IncompleteDetails",
    "InputAudioParam",
    "InputFileParam",
    "InputImageParam",
    "InputMessageParam",
    "InputTextParam",
    "InputTokensDetails",
    "ItemReferenceParam",
    "LocalShellCall",
    "LocalShellCallAction",
    "LocalShellCallActionParam",
    "LocalShellCallOutputParam",
    "LocalShellCallParam",
    "LocalShellToolParam",
    "McpAllowedToolsFilter",
    "McpApprovalFilter",
    "McpApprovalRequest",
    "McpApprovalRequestParam",
    "McpApprovalResponseParam",
    "McpCall",
    "McpCallParam",
    "McpListTools",
    "McpListToolsParam",
    "McpListToolsTool",
    "McpListToolsToolParam",
    "McpToolParam",
    "MessageParam",
    "OpenAiResponseStreamEvent",
    "OutputRefusalParam",
    "OutputText",
    "OutputTextLogprob",
    "OutputTextLogprobTopLogprob",
    "OutputTextParam",
    "ReasoningContent",
    "ReasoningItem",
    "ReasoningItemParam",
    "ReasoningItemSummaryParam",
    "ReasoningParam",
    "ReasoningSummary",
    "Refusal",
    "ResponseAccumulator",
    "ResponseCompletedEvent",
    "ResponseContentPartAddedEvent",
    "ResponseContentPartDoneEvent",
    "ResponseCreatedEvent",
    "ResponseCustomToolCall",
    "ResponseCustomToolCallOutputParam",
    "ResponseCustomToolCallParam",
    "ResponseError",
    "ResponseFailedEvent",
    "ResponseFunctionCallArgumentsDeltaEvent",
    "ResponseFunctionCallArgumentsDoneEvent",
    "ResponseFunctionToolCallParam",
    "ResponseInProgressEvent",
    "ResponseIncompleteEvent",
    "ResponseOutputItemAddedEvent",
    "ResponseOutputItemDoneEvent",
    "ResponseOutputMessage",
    "ResponseOutputMessageParam",
    "ResponsePromptInfo",
    "ResponsePromptParam",
    "ResponseReasoningSummaryPartAddedEvent",
    "ResponseReasoningSummaryPartDoneEvent",
    "ResponseReasoningSummaryTextDeltaEvent",
    "ResponseReasoningSummaryTextDoneEvent",
    "ResponseTextConfigParam",
    "ResponseTextDeltaEvent",
    "ResponseTextDoneEvent",
    "ResponseUsage",
    "ResponsesRequest",
    "ResponsesResponse",
    "ShellCallActionParam",
    "ShellCallOutputParam",
    "ShellCallParam",
    "StreamOptionsParam",
    "TextConfigJSONObjectParam",
    "TextConfigJSONSchemaParam",
    "TextConfigTextParam",
    "ToolChoiceAutoParam",
    "ToolChoiceFunctionParam",
    "ToolChoiceNoneParam",
    "ToolChoiceRequiredParam",
    "ToolInfo",
    "UnknownItem",
    "UnknownStreamEvent",
    "UnknownTool",
    "WebSearchActionFind",
    "WebSearchActionOpenPage",
    "WebSearchActionSearch",
    "WebSearchActionSource",
    "WebSearchPreviewToolParam",
    "WebSearchPreviewUserLocation",
    "WebSearchToolCall",
    "WebSearchToolParam",
    "accumulate_response",
]
