"""OpenAI-compatible Chat Completions: request, response and stream-chunk models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_attributes as _lazy_attributes

if TYPE_CHECKING:
    from .request import ChatCompletionRequest as ChatCompletionRequest
    from .response import ChatCompletionResponse as ChatCompletionResponse
    from .stream import ChatCompletionChunk as ChatCompletionChunk

__all__ = ["ChatCompletionChunk", "ChatCompletionRequest", "ChatCompletionResponse"]

# Each module loads on first use (see `sequrity._lazy`): an answer needs only the response models.
__getattr__, __dir__ = _lazy_attributes(
    globals(),
    {
        "ChatCompletionRequest": "sequrity.types.chat_completion.request",
        "ChatCompletionResponse": "sequrity.types.chat_completion.response",
        "ChatCompletionChunk": "sequrity.types.chat_completion.stream",
    },
)
