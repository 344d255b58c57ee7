"""
The two wire shapes of a run (pure): Chat Completions (tool calls and ``tool`` messages) and
Anthropic Messages (``tool_use`` blocks and ``tool_result`` blocks). Each reads a server answer into
the machine's `Answer` and appends one round trip to the conversation it re-sends.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ...._converter import get_fast_converter
from ....types.chat_completion.response import ChatCompletionResponse
from ....types.messages.response import AnthropicMessageResponse
from ...types.results import parse_result
from ._machine import Answer, CallsAnswer, FinalAnswer, Finished, ServerCall
from ._state import to_json

__all__ = [
    "MESSAGES_MAX_TOKENS",
    "opening_messages",
    "read_chat",
    "read_messages",
    "reply_chat",
    "reply_messages",
]

#: ``max_tokens`` of Messages requests (the planner writes no text: the program is given).
MESSAGES_MAX_TOKENS = 16384


def opening_messages(state: Any) -> list[dict[str, Any]]:
    """
    The conversation of the first request: one user message naming the task.

    Args:
        state: The initial state, as JSON values.

    Returns:
        The messages (the same text in both API styles).
    """
    text = f"Execute the LangGraph StateGraph with initial_state: {to_json(state)}."
    return [{"role": "user", "content": text}]


def _arguments(raw: str | None) -> Any:
    try:
        return json.loads(raw) if raw else {}
    except ValueError:
        return {}


def read_chat(response: ChatCompletionResponse) -> Answer:
    """
    Read a Chat Completions answer: its tool calls, else its result envelope.

    Args:
        response: The answer.

    Returns:
        `CallsAnswer` or `FinalAnswer`.
    """
    if not response.choices:
        return FinalAnswer(parse_result(None))
    choice = response.choices[0]
    calls = choice.message.tool_calls or []
    if choice.finish_reason == "tool_calls" or calls:
        return CallsAnswer(
            tuple(
                ServerCall(c.id, c.function.name, _arguments(c.function.arguments)) for c in calls
            )
        )
    return FinalAnswer(parse_result(choice.message.content))


def reply_chat(
    history: list[dict[str, Any]], response: ChatCompletionResponse, results: Sequence[Finished]
) -> None:
    """
    Append the assistant message as received, then one ``tool`` message per result.

    Args:
        history: The conversation (extended in place).
        response: The answer that asked for the calls.
        results: Their results, in the server's order.
    """
    history.append(get_fast_converter().unstructure(response.choices[0].message))
    history.extend(
        {"role": "tool", "tool_call_id": r.call_id, "content": r.content} for r in results
    )


def read_messages(response: AnthropicMessageResponse) -> Answer:
    """
    Read a Messages answer: its ``tool_use`` blocks, else its result envelope.

    Args:
        response: The answer.

    Returns:
        `CallsAnswer` or `FinalAnswer`.
    """
    uses = response.tool_uses
    if response.stop_reason == "tool_use" or uses:
        return CallsAnswer(tuple(ServerCall(u.id, u.name, u.input) for u in uses))
    return FinalAnswer(parse_result(response.text))


def reply_messages(
    history: list[dict[str, Any]], response: AnthropicMessageResponse, results: Sequence[Finished]
) -> None:
    """
    Append the assistant turn (every block as received), then one user message of
    ``tool_result`` blocks.

    Args:
        history: The conversation (extended in place).
        response: The answer that asked for the calls.
        results: Their results, in the server's order.
    """
    converter = get_fast_converter()
    history.append(
        {"role": "assistant", "content": [converter.unstructure(b) for b in response.content]}
    )
    history.append(
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": r.call_id, "content": r.content}
                for r in results
            ],
        }
    )
