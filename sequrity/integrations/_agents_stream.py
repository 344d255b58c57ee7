"""
Chat Completions streams as the Agents SDK's Responses stream events: our chunks become OpenAI
chunks (a Dual-LLM envelope held back and unwrapped on the way), and the Agents SDK's own
stream handler turns those into ``response.*`` events.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any, cast

from .. import AsyncStream
from ..types import to_dict
from ..types.chat_completion.stream import ChatCompletionChunk as SequrityChunk
from ._extras import missing_extra
from ._results import EnvelopeBuffer

try:
    from agents.items import TResponseStreamEvent
    from agents.model_settings import ModelSettings
    from agents.models.chatcmpl_stream_handler import ChatCmplStreamHandler
    from agents.models.fake_id import FAKE_RESPONSES_ID
    from openai.types.chat import ChatCompletionChunk
    from openai.types.responses import Response
except ImportError as exc:  # pragma: no cover - the extra is installed where this runs
    raise missing_extra("agents", exc) from exc

__all__ = ["chat_events", "openai_chunks"]


def _text_chunk(template: dict[str, Any], text: str) -> dict[str, Any]:
    choice = {"index": 0, "delta": {"content": text}, "finish_reason": None}
    return {**template, "choices": [choice], "usage": None}


async def openai_chunks(stream: AsyncStream[SequrityChunk]) -> AsyncIterator[ChatCompletionChunk]:
    """
    Give a chat stream's chunks as OpenAI `ChatCompletionChunk` objects, with the text of a
    Dual-LLM envelope unwrapped (it is emitted just before the chunk that ends the choice).

    Raises:
        PolicyViolationError: The stream's text was a failure envelope.
    """
    buffer = EnvelopeBuffer()
    template: dict[str, Any] = {}
    flushed = False

    def flush() -> dict[str, Any] | None:
        nonlocal flushed
        flushed = True
        rest, _ = buffer.finish(session_id=stream.session_id)
        return _text_chunk(template, rest) if rest and template else None

    async for chunk in stream:
        data = to_dict(chunk)
        template = {k: v for k, v in data.items() if k not in ("choices", "usage")}
        for choice in data.get("choices") or []:
            delta = choice.get("delta") or {}
            content = delta.get("content")
            if choice.get("index", 0) == 0 and isinstance(content, str) and content:
                shown = buffer.feed(content)
                choice["delta"] = {**delta, "content": shown or None}
            if choice.get("index", 0) == 0 and choice.get("finish_reason") and not flushed:
                held = flush()
                if held is not None:
                    yield ChatCompletionChunk.model_construct(**held)
        yield ChatCompletionChunk.model_construct(**data)
    if not flushed:
        held = flush()
        if held is not None:
            yield ChatCompletionChunk.model_construct(**held)


async def chat_events(
    model: str, stream: AsyncStream[SequrityChunk], settings: ModelSettings
) -> AsyncIterator[TResponseStreamEvent]:
    """
    Give a chat stream as the Responses stream events a `Runner` consumes (``response.created``,
    ``response.output_text.delta``..., ``response.completed``).

    Args:
        model: The model name, reported in the events.
        stream: The open chat stream (the caller closes it).
        settings: The run's model settings (temperature and top_p are reported).

    Raises:
        PolicyViolationError: The stream's text was a failure envelope.
    """
    response = Response(
        id=FAKE_RESPONSES_ID,
        created_at=time.time(),
        model=model,
        object="response",
        output=[],
        tool_choice="auto",
        top_p=settings.top_p,
        temperature=settings.temperature,
        tools=[],
        parallel_tool_calls=False,
    )
    chunks = cast(Any, openai_chunks(stream))
    async for event in ChatCmplStreamHandler.handle_stream(response, chunks, model=model):
        yield event
