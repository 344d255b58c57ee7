"""
Chat Completions stream framing (§3.1, §3.4): building ``chat.completion.chunk`` events from a
finished completion, splitting text into deltas deterministically, and encoding SSE lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["DONE", "completion_chunks", "encode_event", "split_text"]

#: The last event of a chat stream.
DONE = b"data: [DONE]\n\n"

_PIECE = re.compile(r"\S+\s*|\s+")


def split_text(text: str) -> list[str]:
    """
    Split `text` into deltas: one word with the whitespace after it per delta.

    The deltas joined give back `text` exactly; an empty text gives no delta.
    """
    return _PIECE.findall(text)


def encode_event(payload: Mapping[str, Any], *, named: bool = False) -> bytes:
    """
    Encode one SSE event: ``data: <compact json>`` and a blank line; with `named`, preceded by
    ``event: <payload["type"]>``.
    """
    data = b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n"
    if named:
        return b"event: " + str(payload.get("type", "message")).encode() + b"\n" + data
    return data


def _split_arguments(arguments: str) -> list[str]:
    # Two halves (or one piece when tiny): enough for a client to prove it concatenates.
    if len(arguments) < 2:
        return [arguments]
    middle = len(arguments) // 2
    return [arguments[:middle], arguments[middle:]]


def completion_chunks(
    completion: Mapping[str, Any], *, include_usage: bool = False
) -> list[dict[str, Any]]:
    """
    Turn a ``chat.completion`` object into the equivalent list of ``chat.completion.chunk`` events.

    Order: a role chunk (``{"role": "assistant", "content": ""}``), then one chunk per text delta
    or, for tool calls, a head chunk per call (id, type, name, empty arguments) followed by its
    argument pieces, then a chunk with an empty delta and the `finish_reason`, and, when
    `include_usage`, a last chunk with no choices and the usage.

    Args:
        completion: The non-streaming completion (one choice).
        include_usage: Whether to add the usage chunk (``stream_options.include_usage``).

    Returns:
        The chunk payloads, in order (``[DONE]`` is added by the writer).
    """
    head = {
        "id": completion["id"],
        "object": "chat.completion.chunk",
        "created": completion["created"],
        "model": completion["model"],
    }
    choice = completion["choices"][0]
    message = choice["message"]

    def chunk(delta: Mapping[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
        return {
            **head,
            "choices": [
                {"index": 0, "delta": dict(delta), "finish_reason": finish_reason, "logprobs": None}
            ],
        }

    chunks = [chunk({"role": "assistant", "content": ""})]
    tool_calls: Sequence[Mapping[str, Any]] = message.get("tool_calls") or ()
    for index, call in enumerate(tool_calls):
        function = call["function"]
        first = {
            "index": index,
            "id": call["id"],
            "type": "function",
            "function": {"name": function["name"], "arguments": ""},
        }
        chunks.append(chunk({"tool_calls": [first]}))
        for piece in _split_arguments(function["arguments"]):
            chunks.append(
                chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
            )
    if not tool_calls:
        chunks.extend(
            chunk({"content": piece}) for piece in split_text(message.get("content") or "")
        )
    chunks.append(chunk({}, choice["finish_reason"]))
    if include_usage:
        chunks.append({**head, "choices": [], "usage": completion.get("usage")})
    return chunks
