"""OpenAI Responses API: request, response and stream-event models, and the stream accumulator."""

from __future__ import annotations

from . import _register  # noqa: F401 - registers the unions with the converter
from .accumulator import ResponseAccumulator as ResponseAccumulator
from .accumulator import accumulate_response as accumulate_response
from .request import FunctionCallOutputParam as FunctionCallOutputParam
from .request import FunctionToolParam as FunctionToolParam
from .request import InputMessageParam as InputMessageParam
from .request import ItemReferenceParam as ItemReferenceParam
from .request import MessageParam as MessageParam
from .request import ReasoningItemParam as ReasoningItemParam
from .request import ResponseFunctionToolCallParam as ResponseFunctionToolCallParam
from .request import ResponseOutputMessageParam as ResponseOutputMessageParam
from .request import ResponsesRequest as ResponsesRequest
from .request import UnknownItem as UnknownItem
from .request import UnknownTool as UnknownTool
from .response import FunctionToolCall as FunctionToolCall
from .response import OutputText as OutputText
from .response import ReasoningItem as ReasoningItem
from .response import ResponseError as ResponseError
from .response import ResponseOutputMessage as ResponseOutputMessage
from .response import ResponsesResponse as ResponsesResponse
from .response import ResponseUsage as ResponseUsage
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
    "FunctionCallOutputParam",
    "FunctionToolCall",
    "FunctionToolParam",
    "InputMessageParam",
    "ItemReferenceParam",
    "MessageParam",
    "OpenAiResponseStreamEvent",
    "OutputText",
    "ReasoningItem",
    "ReasoningItemParam",
    "ResponseAccumulator",
    "ResponseCompletedEvent",
    "ResponseContentPartAddedEvent",
    "ResponseContentPartDoneEvent",
    "ResponseCreatedEvent",
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
    "ResponseReasoningSummaryPartAddedEvent",
    "ResponseReasoningSummaryPartDoneEvent",
    "ResponseReasoningSummaryTextDeltaEvent",
    "ResponseReasoningSummaryTextDoneEvent",
    "ResponseTextDeltaEvent",
    "ResponseTextDoneEvent",
    "ResponseUsage",
    "ResponsesRequest",
    "ResponsesResponse",
    "UnknownItem",
    "UnknownStreamEvent",
    "UnknownTool",
    "accumulate_response",
]
