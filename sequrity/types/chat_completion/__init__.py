"""OpenAI-compatible Chat Completions: request, response and stream-chunk models."""

from __future__ import annotations

from . import _register  # noqa: F401 - registers the unions with the converter
from .request import ChatCompletionRequest as ChatCompletionRequest
from .response import ChatCompletionResponse as ChatCompletionResponse
from .stream import ChatCompletionChunk as ChatCompletionChunk

__all__ = ["ChatCompletionChunk", "ChatCompletionRequest", "ChatCompletionResponse"]
