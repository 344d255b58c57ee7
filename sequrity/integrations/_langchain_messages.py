"""
LangChain messages to and from the Chat Completions wire: the request's messages and tools, an
answer as an `AIMessage`, and stream chunks as `AIMessageChunk`s (with tool-call chunks and the
Dual-LLM envelope unwrapped).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..types.chat_completion.response import ChatCompletionResponse
from ..types.chat_completion.stream import ChatCompletionChunk
from ._extras import missing_extra
from ._results import EnvelopeBuffer, unwrap_text

try:
    from langchain_core.messages import (
        AIMessage,
        AIMessageChunk,
        BaseMessage,
        InvalidToolCall,
        ToolCall,
        ToolCallChunk,
        convert_to_openai_messages,
    )
    from langchain_core.messages.ai import UsageMetadata
    from langchain_core.messages.tool import invalid_tool_call, tool_call, tool_call_chunk
except ImportError as exc:  # pragma: no cover - the extra is installed where this runs
    raise missing_extra("langchain", exc) from exc

__all__ = ["ChunkConverter", "ai_message", "wire_messages"]


def wire_messages(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    """
    Give LangChain messages as Chat Completions messages (tool calls keep their ``tc-`` ids).

    Args:
        messages: The conversation.

    Returns:
        One JSON message per message.
    """
    converted = convert_to_openai_messages(list(messages))
    return converted if isinstance(converted, list) else [converted]


def _usage(usage: Any) -> UsageMetadata | None:
    if usage is None:
        return None
    return UsageMetadata(
        input_tokens=usage.prompt_tokens,
        output_tokens=usage.completion_tokens,
        total_tokens=usage.total_tokens,
    )


def _tool_calls(calls: Sequence[Any]) -> tuple[list[ToolCall], list[InvalidToolCall]]:
    good: list[ToolCall] = []
    bad: list[InvalidToolCall] = []
    for call in calls:
        raw = call.function.arguments or "{}"
        try:
            args = json.loads(raw)
        except ValueError as exc:
            bad.append(
                invalid_tool_call(name=call.function.name, args=raw, id=call.id, error=str(exc))
            )
            continue
        if not isinstance(args, dict):
            error = "the arguments are not a JSON object"
            bad.append(
                invalid_tool_call(name=call.function.name, args=raw, id=call.id, error=error)
            )
            continue
        good.append(tool_call(name=call.function.name, args=args, id=call.id))
    return good, bad


def _metadata(
    model: str, finish_reason: str | None, session_id: str | None, request_id: str | None
) -> dict[str, Any]:
    return {
        "model_name": model,
        "model_provider": "sequrity",
        "finish_reason": finish_reason,
        "session_id": session_id,
        "request_id": request_id,
    }


def _add_result(metadata: dict[str, Any], envelope: Any) -> None:
    if envelope is None:
        return
    metadata["sequrity_status"] = envelope.status
    if envelope.policy_check_history is not None:
        metadata["policy_check_history"] = envelope.policy_check_history


def ai_message(response: ChatCompletionResponse) -> AIMessage:
    """
    Give a chat completion as an `AIMessage`: tool calls parsed, a Dual-LLM envelope replaced
    by its value, and ``response_metadata`` with ``session_id``, ``request_id``,
    ``finish_reason`` and (Dual-LLM) ``sequrity_status`` and ``policy_check_history``.

    Raises:
        PolicyViolationError: The answer is a failure envelope.
        ValueError: The completion has no choices.
    """
    if not response.choices:
        raise ValueError("the chat completion has no choices")
    choice = response.choices[0]
    message = choice.message
    calls, invalid = _tool_calls(message.tool_calls or [])
    content, envelope = message.content or "", None
    if not calls and not invalid:
        text, envelope = unwrap_text(content, session_id=response.session_id)
        content = text or ""
    metadata = _metadata(
        response.model, choice.finish_reason, response.session_id, response.request_id
    )
    _add_result(metadata, envelope)
    # No message id: in Dual-LLM mode a completion's id is its session id, the same for every
    # answer of the session, and LangGraph's `add_messages` would merge answers sharing an id.
    return AIMessage(
        content=content,
        tool_calls=calls,
        invalid_tool_calls=invalid,
        response_metadata=metadata,
        usage_metadata=_usage(response.usage),
    )


class ChunkConverter:
    """
    Turns the chunks of one chat stream into `AIMessageChunk`s. Text that may be a Dual-LLM
    envelope is held back and comes out unwrapped, in the chunk that ends the answer, which
    also carries ``response_metadata`` (``session_id``, ``finish_reason``...).

    Args:
        session_id: The stream's session.
        request_id: The stream's request id.
    """

    def __init__(self, session_id: str | None, request_id: str | None) -> None:
        self._session_id = session_id
        self._request_id = request_id
        self._buffer = EnvelopeBuffer()

    def convert(self, chunk: ChatCompletionChunk) -> AIMessageChunk | None:
        """
        Convert one chunk.

        Returns:
            The message chunk, or `None` when it carries nothing to pass on yet.

        Raises:
            PolicyViolationError: The text turned out to be a failure envelope.
        """
        usage = _usage(chunk.usage)
        choice = next((c for c in chunk.choices if c.index == 0), None)
        text, finish = "", None
        calls: list[ToolCallChunk] = []
        if choice is not None:
            delta = choice.delta
            text = self._buffer.feed(delta.content) if delta.content else ""
            calls = [
                tool_call_chunk(
                    name=part.function.name if part.function else None,
                    args=part.function.arguments if part.function else None,
                    id=part.id,
                    index=part.index,
                )
                for part in delta.tool_calls or []
            ]
            finish = choice.finish_reason
        metadata: dict[str, Any] = {}
        if finish is not None:
            rest, envelope = self._buffer.finish(session_id=self._session_id)
            text += rest
            metadata = _metadata(chunk.model, finish, self._session_id, self._request_id)
            _add_result(metadata, envelope)
        if not (text or calls or metadata or usage):
            return None
        return AIMessageChunk(
            content=text,
            tool_call_chunks=calls,
            response_metadata=metadata,
            usage_metadata=usage,
            chunk_position="last" if finish is not None else None,
        )

    def close(self, model: str) -> AIMessageChunk | None:
        """
        End a stream that stopped without a ``finish_reason``: give any held-back text.

        Raises:
            PolicyViolationError: The held-back text was a failure envelope.
        """
        rest, envelope = self._buffer.finish(session_id=self._session_id)
        if not rest and envelope is None:
            return None
        metadata = _metadata(model, None, self._session_id, self._request_id)
        _add_result(metadata, envelope)
        return AIMessageChunk(content=rest, response_metadata=metadata)
