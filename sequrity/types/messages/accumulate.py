"""
Turning a Messages event stream into the final `AnthropicMessageResponse`: text and thinking deltas
joined, signatures kept, tool inputs assembled from their ``input_json_delta`` pieces, stop reason and
usage applied. Pure; works on the events of either client.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, Iterable
from typing import Any

import attrs

from ..._converter import get_fast_converter, structure_fast
from ..._exceptions import SequrityStreamError
from .response import AnthropicMessageResponse
from .stream import (
    AnthropicStreamEvent,
    CitationsDelta,
    InputJSONDelta,
    RawContentBlockDeltaEvent,
    RawContentBlockStartEvent,
    RawContentBlockStopEvent,
    RawMessageDeltaEvent,
    RawMessageStartEvent,
    RawMessageStopEvent,
    SignatureDelta,
    TextDelta,
    ThinkingDelta,
)

__all__ = ["MessageAccumulator", "accumulate_message", "accumulate_message_async"]

_JSON_INPUT_BLOCKS = frozenset({"tool_use", "server_tool_use"})


@attrs.define
class _Block:
    data: dict[str, Any]
    partial_json: list[str] = attrs.field(factory=list)
    stopped: bool = False


class MessageAccumulator:
    """
    Collects stream events into the message they describe.

    Example:
        >>> acc = MessageAccumulator()
        >>> async for event in stream:
        ...     acc.add(event)
        >>> print(acc.message.stop_reason, acc.text)

    Attributes:
        session_id: Copied onto `message` (the stream's ``X-Session-ID``).
        request_id: Copied onto `message`.
        done: True once ``message_stop`` arrived.
    """

    def __init__(self, *, session_id: str | None = None, request_id: str | None = None) -> None:
        self.session_id = session_id
        self.request_id = request_id
        self.done = False
        self._message: dict[str, Any] | None = None
        self._blocks: dict[int, _Block] = {}

    def add(self, event: AnthropicStreamEvent) -> None:
        """
        Apply one event. Unknown events (``ping``...) and unknown deltas are ignored.

        Raises:
            SequrityStreamError: The events are out of order (a block event before
                ``message_start``, a delta for a block that never started).
        """
        if isinstance(event, RawMessageStartEvent):
            converter = get_fast_converter()
            message = converter.unstructure(event.message)
            message.pop("session_id", None)
            message.pop("request_id", None)
            for index, block in enumerate(message.pop("content", [])):
                self._blocks[index] = _Block(block, stopped=True)
            self._message = message
        elif isinstance(event, RawContentBlockStartEvent):
            self._started()
            data = get_fast_converter().unstructure(event.content_block)
            self._blocks[event.index] = _Block(data)
        elif isinstance(event, RawContentBlockDeltaEvent):
            self._apply_delta(self._block(event.index), event)
        elif isinstance(event, RawContentBlockStopEvent):
            self._finish(self._block(event.index))
        elif isinstance(event, RawMessageDeltaEvent):
            message = self._started()
            for key in ("stop_reason", "stop_sequence"):
                value = getattr(event.delta, key)
                if value is not None:
                    message[key] = value
            usage = message.setdefault("usage", {"input_tokens": 0, "output_tokens": 0})
            usage.update(get_fast_converter().unstructure(event.usage))
        elif isinstance(event, RawMessageStopEvent):
            self.done = True

    def _started(self) -> dict[str, Any]:
        if self._message is None:
            raise SequrityStreamError("the stream sent content before its message_start event")
        return self._message

    def _block(self, index: int) -> _Block:
        self._started()
        block = self._blocks.get(index)
        if block is None:
            raise SequrityStreamError(f"the stream sent an event for block {index} before it began")
        return block

    @staticmethod
    def _apply_delta(block: _Block, event: RawContentBlockDeltaEvent) -> None:
        delta = event.delta
        data = block.data
        if isinstance(delta, TextDelta):
            data["text"] = data.get("text", "") + delta.text
        elif isinstance(delta, InputJSONDelta):
            block.partial_json.append(delta.partial_json)
        elif isinstance(delta, ThinkingDelta):
            data["thinking"] = data.get("thinking", "") + delta.thinking
        elif isinstance(delta, SignatureDelta):
            data["signature"] = delta.signature
        elif isinstance(delta, CitationsDelta):
            data.setdefault("citations", []).append(delta.citation)

    @staticmethod
    def _finish(block: _Block) -> None:
        block.stopped = True
        if block.data.get("type") not in _JSON_INPUT_BLOCKS or not block.partial_json:
            return
        text = "".join(block.partial_json)
        try:
            value = json.loads(text) if text.strip() else {}
        except ValueError as exc:
            raise SequrityStreamError(
                f"the input of tool call {block.data.get('id')!r} is not JSON: {exc}", body=text
            ) from None
        if not isinstance(value, dict):
            raise SequrityStreamError(
                f"the input of tool call {block.data.get('id')!r} is not a JSON object", body=text
            )
        block.data["input"] = value

    @property
    def text(self) -> str:
        """The text of the text blocks so far, joined."""
        return "".join(
            str(b.data.get("text", ""))
            for _, b in sorted(self._blocks.items())
            if b.data.get("type") == "text"
        )

    @property
    def message(self) -> AnthropicMessageResponse:
        """
        The message as accumulated so far (complete once `done`).

        Raises:
            SequrityStreamError: No ``message_start`` event arrived.
        """
        base = dict(self._started())
        base["content"] = [b.data for _, b in sorted(self._blocks.items())]
        base["session_id"] = self.session_id
        base["request_id"] = self.request_id
        try:
            return structure_fast(base, AnthropicMessageResponse)
        except Exception as exc:
            raise SequrityStreamError(
                f"the streamed events do not make a message: {exc}", body=json.dumps(base)
            ) from None


def _accumulator_for(events: object) -> MessageAccumulator:
    return MessageAccumulator(
        session_id=getattr(events, "session_id", None),
        request_id=getattr(events, "request_id", None),
    )


def accumulate_message(events: Iterable[AnthropicStreamEvent]) -> AnthropicMessageResponse:
    """
    Consume `events` (a blocking `Stream`, or a list of events) and return the final message.

    Args:
        events: The events; a stream's `session_id` and `request_id` are copied onto the result.

    Returns:
        The `AnthropicMessageResponse` the events describe.

    Raises:
        SequrityStreamError: The events do not describe a message.
    """
    acc = _accumulator_for(events)
    for event in events:
        acc.add(event)
    return acc.message


async def accumulate_message_async(
    events: AsyncIterable[AnthropicStreamEvent],
) -> AnthropicMessageResponse:
    """
    `accumulate_message` for an `AsyncStream` (the same result; the same `MessageAccumulator`).

    Raises:
        SequrityStreamError: The events do not describe a message.
    """
    acc = _accumulator_for(events)
    async for event in events:
        acc.add(event)
    return acc.message
