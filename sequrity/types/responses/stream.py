"""
Responses API stream events (``event: <type>`` / ``data: {...}``). Event types this SDK does not
model (``response.refusal.delta``, future ones) arrive as `UnknownStreamEvent`, never as an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ..._converter import EMPTY
from .._model_methods import ModelMethods
from .response import OutputContent, OutputItem, ReasoningSummaryText, ResponsesResponse

__all__ = [
    "TERMINAL_EVENTS",
    "OpenAiResponseStreamEvent",
    "ResponseCompletedEvent",
    "ResponseContentPartAddedEvent",
    "ResponseContentPartDoneEvent",
    "ResponseCreatedEvent",
    "ResponseFailedEvent",
    "ResponseFunctionCallArgumentsDeltaEvent",
    "ResponseFunctionCallArgumentsDoneEvent",
    "ResponseInProgressEvent",
    "ResponseIncompleteEvent",
    "ResponseOutputItemAddedEvent",
    "ResponseOutputItemDoneEvent",
    "ResponseReasoningSummaryPartAddedEvent",
    "ResponseReasoningSummaryPartDoneEvent",
    "ResponseReasoningSummaryTextDeltaEvent",
    "ResponseReasoningSummaryTextDoneEvent",
    "ResponseTextDeltaEvent",
    "ResponseTextDoneEvent",
    "UnknownStreamEvent",
]

_extra = attrs.field(default=EMPTY, kw_only=True, repr=False)

#: The event types that end a stream.
TERMINAL_EVENTS = frozenset({"response.completed", "response.failed", "response.incomplete"})


@attrs.frozen(kw_only=True)
class ResponseCreatedEvent(ModelMethods):
    """The response was created (first event)."""

    sequence_number: int
    response: ResponsesResponse
    type: Literal["response.created"] = "response.created"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseInProgressEvent(ModelMethods):
    """The response is being generated."""

    sequence_number: int
    response: ResponsesResponse
    type: Literal["response.in_progress"] = "response.in_progress"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseCompletedEvent(ModelMethods):
    """The response is complete (terminal); `response` is the final response."""

    sequence_number: int
    response: ResponsesResponse
    type: Literal["response.completed"] = "response.completed"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseFailedEvent(ModelMethods):
    """The response failed (terminal); `response.error` and the output say why."""

    sequence_number: int
    response: ResponsesResponse
    type: Literal["response.failed"] = "response.failed"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseIncompleteEvent(ModelMethods):
    """The response ended incomplete (terminal), e.g. at ``max_output_tokens``."""

    sequence_number: int
    response: ResponsesResponse
    type: Literal["response.incomplete"] = "response.incomplete"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseOutputItemAddedEvent(ModelMethods):
    """An output item started."""

    sequence_number: int
    output_index: int
    item: OutputItem
    type: Literal["response.output_item.added"] = "response.output_item.added"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseOutputItemDoneEvent(ModelMethods):
    """An output item is complete; `item` is its final form."""

    sequence_number: int
    output_index: int
    item: OutputItem
    type: Literal["response.output_item.done"] = "response.output_item.done"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseContentPartAddedEvent(ModelMethods):
    """A content part of a message started."""

    sequence_number: int
    item_id: str
    output_index: int
    content_index: int
    part: OutputContent
    type: Literal["response.content_part.added"] = "response.content_part.added"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseContentPartDoneEvent(ModelMethods):
    """A content part of a message is complete."""

    sequence_number: int
    item_id: str
    output_index: int
    content_index: int
    part: OutputContent
    type: Literal["response.content_part.done"] = "response.content_part.done"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseTextDeltaEvent(ModelMethods):
    """A piece of output text."""

    sequence_number: int
    item_id: str
    output_index: int
    content_index: int
    delta: str
    type: Literal["response.output_text.delta"] = "response.output_text.delta"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseTextDoneEvent(ModelMethods):
    """The whole text of a content part."""

    sequence_number: int
    item_id: str
    output_index: int
    content_index: int
    text: str
    type: Literal["response.output_text.done"] = "response.output_text.done"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseFunctionCallArgumentsDeltaEvent(ModelMethods):
    """A piece of a function call's JSON arguments."""

    sequence_number: int
    item_id: str
    output_index: int
    delta: str
    type: Literal["response.function_call_arguments.delta"] = (
        "response.function_call_arguments.delta"
    )
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseFunctionCallArgumentsDoneEvent(ModelMethods):
    """A function call's complete JSON arguments."""

    sequence_number: int
    item_id: str
    output_index: int
    arguments: str
    name: str | None = None
    type: Literal["response.function_call_arguments.done"] = "response.function_call_arguments.done"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseReasoningSummaryPartAddedEvent(ModelMethods):
    """A reasoning summary part started."""

    sequence_number: int
    item_id: str
    output_index: int
    summary_index: int
    part: ReasoningSummaryText
    type: Literal["response.reasoning_summary_part.added"] = "response.reasoning_summary_part.added"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseReasoningSummaryPartDoneEvent(ModelMethods):
    """A reasoning summary part is complete."""

    sequence_number: int
    item_id: str
    output_index: int
    summary_index: int
    part: ReasoningSummaryText
    type: Literal["response.reasoning_summary_part.done"] = "response.reasoning_summary_part.done"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseReasoningSummaryTextDeltaEvent(ModelMethods):
    """A piece of reasoning summary text."""

    sequence_number: int
    item_id: str
    output_index: int
    summary_index: int
    delta: str
    type: Literal["response.reasoning_summary_text.delta"] = "response.reasoning_summary_text.delta"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class ResponseReasoningSummaryTextDoneEvent(ModelMethods):
    """The whole text of a reasoning summary part."""

    sequence_number: int
    item_id: str
    output_index: int
    summary_index: int
    text: str
    type: Literal["response.reasoning_summary_text.done"] = "response.reasoning_summary_text.done"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class UnknownStreamEvent(ModelMethods):
    """An event of a type this SDK does not model: `type`, `sequence_number` and the rest kept."""

    type: str
    sequence_number: int | None = None
    extra: Mapping[str, Any] = _extra


OpenAiResponseStreamEvent = (
    ResponseCreatedEvent
    | ResponseInProgressEvent
    | ResponseCompletedEvent
    | ResponseFailedEvent
    | ResponseIncompleteEvent
    | ResponseOutputItemAddedEvent
    | ResponseOutputItemDoneEvent
    | ResponseContentPartAddedEvent
    | ResponseContentPartDoneEvent
    | ResponseTextDeltaEvent
    | ResponseTextDoneEvent
    | ResponseFunctionCallArgumentsDeltaEvent
    | ResponseFunctionCallArgumentsDoneEvent
    | ResponseReasoningSummaryPartAddedEvent
    | ResponseReasoningSummaryPartDoneEvent
    | ResponseReasoningSummaryTextDeltaEvent
    | ResponseReasoningSummaryTextDoneEvent
    | UnknownStreamEvent
)
