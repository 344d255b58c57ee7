"""Anthropic Messages: request, response and stream-event models, and the stream accumulator."""

from __future__ import annotations

from . import _unions  # noqa: F401 - registers the unions with the converter
from .accumulate import MessageAccumulator as MessageAccumulator
from .accumulate import accumulate_message as accumulate_message
from .accumulate import accumulate_message_async as accumulate_message_async
from .request import AnthropicMessageRequest as AnthropicMessageRequest
from .response import AnthropicMessageResponse as AnthropicMessageResponse
from .stream import AnthropicStreamEvent as AnthropicStreamEvent

__all__ = [
    "AnthropicMessageRequest",
    "AnthropicMessageResponse",
    "AnthropicStreamEvent",
    "MessageAccumulator",
    "accumulate_message",
    "accumulate_message_async",
]
