"""
Turning a Responses stream into its final `ResponsesResponse` and text (pure; the same events come
from the async and the blocking client).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import attrs

from .response import (
    FunctionToolCall,
    OutputItem,
    OutputText,
    ResponseOutputMessage,
    ResponsesResponse,
)
from .stream import (
    OpenAiResponseStreamEvent,
    ResponseCompletedEvent,
    ResponseCreatedEvent,
    ResponseFailedEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseFunctionCallArgumentsDoneEvent,
    ResponseIncompleteEvent,
    ResponseInProgressEvent,
    ResponseOutputItemAddedEvent,
    ResponseOutputItemDoneEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
)

__all__ = ["ResponseAccumulator", "accumulate_response"]


class ResponseAccumulator:
    """
    Collects the events of one Responses stream.

    Feed every event to `add` (in order); then `response` is the final response: the terminal
    event's ``response`` when the server sent one with its output, otherwise assembled from the
    items and deltas seen. `output_text` is available at any point.

    Example:
        >>> acc = ResponseAccumulator()
        >>> async for event in stream:
        ...     acc.add(event)
        >>> acc.response.output_text
    """

    def __init__(self) -> None:
        self._base: ResponsesResponse | None = None
        self._terminal: ResponsesResponse | None = None
        self._items: dict[int, OutputItem] = {}
        self._done: set[int] = set()
        self._texts: dict[tuple[int, int], str] = {}
        self._arguments: dict[int, str] = {}
        self.events = 0

    @property
    def finished(self) -> bool:
        """Whether a terminal event (completed, failed, incomplete) was seen."""
        return self._terminal is not None

    def add(self, event: OpenAiResponseStreamEvent) -> None:
        """
        Take one event into account (unknown event types are counted and otherwise ignored).
        """
        self.events += 1
        if isinstance(event, ResponseCreatedEvent | ResponseInProgressEvent):
            self._base = event.response
        elif isinstance(
            event, ResponseCompletedEvent | ResponseFailedEvent | ResponseIncompleteEvent
        ):
            self._terminal = event.response
        elif isinstance(event, ResponseOutputItemAddedEvent):
            self._items.setdefault(event.output_index, event.item)
        elif isinstance(event, ResponseOutputItemDoneEvent):
            self._items[event.output_index] = event.item
            self._done.add(event.output_index)
        elif isinstance(event, ResponseTextDeltaEvent):
            key = (event.output_index, event.content_index)
            self._texts[key] = self._texts.get(key, "") + event.delta
        elif isinstance(event, ResponseTextDoneEvent):
            self._texts[(event.output_index, event.content_index)] = event.text
        elif isinstance(event, ResponseFunctionCallArgumentsDeltaEvent):
            self._arguments[event.output_index] = (
                self._arguments.get(event.output_index, "") + event.delta
            )
        elif isinstance(event, ResponseFunctionCallArgumentsDoneEvent):
            self._arguments[event.output_index] = event.arguments

    def _item(self, index: int) -> OutputItem:
        item = self._items[index]
        if index in self._done:
            return item
        if isinstance(item, ResponseOutputMessage):
            texts = sorted((c, t) for (o, c), t in self._texts.items() if o == index)
            parts = list(item.content)
            for content_index, text in texts:
                part = OutputText(text=text)
                if content_index < len(parts):
                    parts[content_index] = part
                else:
                    parts.append(part)
            return attrs.evolve(item, content=parts)
        if isinstance(item, FunctionToolCall) and index in self._arguments:
            return attrs.evolve(item, arguments=self._arguments[index])
        return item

    def _assembled_output(self) -> list[OutputItem]:
        output = [self._item(i) for i in sorted(self._items)]
        known = set(self._items)
        for (index, _), text in sorted(self._texts.items()):
            if index not in known:  # deltas for an item whose "added" event never came
                known.add(index)
                output.append(
                    ResponseOutputMessage(id=f"msg_{index}", content=[OutputText(text=text)])
                )
        return output

    @property
    def output_text(self) -> str:
        """The output text so far (the final response's, once the stream finished)."""
        if self._terminal is not None and self._terminal.output:
            return self._terminal.output_text
        return "".join(text for _, text in sorted(self._texts.items()))

    @property
    def response(self) -> ResponsesResponse | None:
        """
        The final response, or `None` when neither a terminal event nor any response was seen.
        """
        if self._terminal is not None:
            if self._terminal.output or not self._items:
                return self._terminal
            return attrs.evolve(self._terminal, output=self._assembled_output())
        if self._base is None and not self._items and not self._texts:
            return None
        base = self._base or _placeholder()
        return attrs.evolve(base, output=self._assembled_output())


def _placeholder() -> ResponsesResponse:
    fields: dict[str, Any] = {"tool_choice": "auto", "tools": [], "parallel_tool_calls": True}
    return ResponsesResponse(
        id="", created_at=time.time(), model="", output=[], status="in_progress", **fields
    )


def accumulate_response(events: Iterable[OpenAiResponseStreamEvent]) -> ResponsesResponse:
    """
    Build the final response of a finished stream from its events.

    Args:
        events: The stream's events, in order (a list, or a blocking `Stream` itself).

    Returns:
        The terminal event's response (with its output assembled from the items and deltas when the
        server left it empty), or a response assembled from what was seen.

    Raises:
        ValueError: The events hold no response at all.
    """
    acc = ResponseAccumulator()
    for event in events:
        acc.add(event)
    result = acc.response
    if result is None:
        raise ValueError("the events hold no response (no response.* event and no output)")
    return result
