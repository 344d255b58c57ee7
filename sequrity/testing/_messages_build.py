"""
Messages helpers of the emulator (§3.2): the chat-shaped view of a Messages request that scripts,
responders and the Dual-LLM engine read, building ``message`` objects, and their stream events.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ._answers import count_tokens, message_text
from ._sse import split_text

__all__ = ["build_message", "chat_view_messages", "chat_view_tools", "message_events"]


def _result_text(content: Any) -> str:
    return content if isinstance(content, str) else message_text(content)


def chat_view_messages(
    messages: Sequence[Mapping[str, Any]], system: Any = None
) -> list[dict[str, Any]]:
    """
    Translate Messages history into Chat Completions messages: ``system`` becomes a system
    message, ``tool_use`` blocks assistant ``tool_calls``, ``tool_result`` blocks tool messages.
    """
    out: list[dict[str, Any]] = []
    if system:
        out.append({"role": "system", "content": _result_text(system)})
    for message in messages:
        role = message["role"]
        content = message["content"]
        if isinstance(content, str):
            out.append({"role": role, "content": content})
            continue
        texts = [b["text"] for b in content if b.get("type") == "text"]
        if role == "assistant":
            entry: dict[str, Any] = {"role": "assistant", "content": " ".join(texts) or None}
            calls = [
                {
                    "id": b["id"],
                    "type": "function",
                    "function": {"name": b["name"], "arguments": json.dumps(b["input"])},
                }
                for b in content
                if b.get("type") == "tool_use"
            ]
            if calls:
                entry["tool_calls"] = calls
            out.append(entry)
            continue
        results = [b for b in content if b.get("type") == "tool_result"]
        out.extend(
            {
                "role": "tool",
                "tool_call_id": b["tool_use_id"],
                "content": _result_text(b.get("content")),
            }
            for b in results
        )
        if texts or not results:
            out.append({"role": "user", "content": " ".join(texts)})
    return out


def chat_view_tools(tools: Sequence[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """
    Translate Messages tools (those with a name) into Chat Completions function tools.
    """
    return [
        {
            "type": "function",
            "function": {"name": t["name"], "parameters": t.get("input_schema") or {}},
        }
        for t in tools or ()
        if isinstance(t.get("name"), str)
    ]


def build_message(
    *,
    message_id: str,
    model: str,
    blocks: list[dict[str, Any]],
    stop_reason: str,
    input_tokens: int,
) -> dict[str, Any]:
    """
    Build a ``message`` object with word-count usage (never 0 tokens).
    """
    produced = [
        b["text"] if b["type"] == "text" else b["name"] + " " + json.dumps(b["input"])
        for b in blocks
    ]
    return {
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": blocks,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": input_tokens, "output_tokens": count_tokens(produced)},
    }


def _json_pieces(text: str) -> list[str]:
    if len(text) < 2:
        return [text]
    middle = len(text) // 2
    return [text[:middle], text[middle:]]


def message_events(message: Mapping[str, Any]) -> list[dict[str, Any]]:
    """
    Turn a ``message`` into its stream events: ``message_start`` (empty content), per block a
    ``content_block_start``, one or more ``content_block_delta`` (text by word, tool input as
    ``input_json_delta`` pieces) and a ``content_block_stop``, then ``message_delta`` (stop reason,
    output tokens) and ``message_stop``.
    """
    usage = message["usage"]
    start = {
        **message,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": usage["input_tokens"], "output_tokens": 1},
    }
    events: list[dict[str, Any]] = [{"type": "message_start", "message": start}]
    for index, block in enumerate(message["content"]):
        if block["type"] == "tool_use":
            head = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
            deltas = [
                {"type": "input_json_delta", "partial_json": piece}
                for piece in _json_pieces(json.dumps(block["input"]))
            ]
        else:
            head = {"type": "text", "text": ""}
            deltas = [
                {"type": "text_delta", "text": piece} for piece in split_text(block["text"]) or [""]
            ]
        events.append({"type": "content_block_start", "index": index, "content_block": head})
        events.extend(
            {"type": "content_block_delta", "index": index, "delta": delta} for delta in deltas
        )
        events.append({"type": "content_block_stop", "index": index})
    events.append(
        {
            "type": "message_delta",
            "delta": {"stop_reason": message["stop_reason"], "stop_sequence": None},
            "usage": {"output_tokens": usage["output_tokens"]},
        }
    )
    events.append({"type": "message_stop"})
    return events
