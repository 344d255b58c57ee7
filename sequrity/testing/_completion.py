"""
Building ``chat.completion`` objects: word-count usage, and the check that scripted tool calls
name tools the request offered.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from ._answers import count_tokens, message_text
from ._errors import ScriptError
from ._script import ChatCall, ToolCallSpec

__all__ = ["build_completion", "check_tool_names", "prompt_tokens"]


def check_tool_names(call: ChatCall, specs: Sequence[ToolCallSpec]) -> None:
    """
    Refuse scripted tool calls the request could not have produced.

    Raises:
        ScriptError: The request has no tools, or a scripted name is not among them.
    """
    if not call.tools:
        raise ScriptError("tool calls were scripted but the request has no 'tools'")
    names = call.tool_names
    for spec in specs:
        if spec.name not in names:
            raise ScriptError(
                f"scripted tool {spec.name!r} is not one of the request's tools {names}"
            )


def prompt_tokens(messages: Sequence[Mapping[str, Any]]) -> int:
    """
    Count the prompt tokens of a request (words of every message's text).
    """
    return count_tokens(message_text(m.get("content")) for m in messages)


def build_completion(
    *,
    completion_id: str,
    model: str,
    content: str | None,
    tool_calls: list[dict[str, Any]] | None,
    finish_reason: str,
    prompt: int,
) -> dict[str, Any]:
    """
    Build a ``chat.completion`` object with one choice and word-count usage.
    """
    message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": None}
    produced = [content or ""]
    if tool_calls:
        message["tool_calls"] = tool_calls
        produced.extend(
            c["function"]["name"] + " " + c["function"]["arguments"] for c in tool_calls
        )
    completion_tokens = count_tokens(produced)
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}
        ],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt + completion_tokens,
        },
    }
