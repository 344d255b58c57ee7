"""
Responses stream framing (§3.3, Appendix A item 11): the event sequence equivalent to a finished
``response`` object, each event with an increasing ``sequence_number``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from ._sse import split_text

__all__ = ["response_events"]


def _halves(text: str) -> list[str]:
    if len(text) < 2:
        return [text]
    middle = len(text) // 2
    return [text[:middle], text[middle:]]


def _item_events(index: int, item: Mapping[str, Any]) -> list[dict[str, Any]]:
    kind = item.get("type")
    item_id = str(item.get("id", ""))
    events: list[dict[str, Any]] = []
    if kind == "message":
        events.append(
            {
                "type": "response.output_item.added",
                "output_index": index,
                "item": {**item, "status": "in_progress", "content": []},
            }
        )
        where = {"item_id": item_id, "output_index": index}
        for content_index, part in enumerate(item.get("content") or ()):
            text = str(part.get("text", ""))
            at = {**where, "content_index": content_index}
            empty = {**part, "text": ""}
            events.append({"type": "response.content_part.added", **at, "part": empty})
            events.extend(
                {"type": "response.output_text.delta", **at, "delta": piece, "logprobs": []}
                for piece in split_text(text)
            )
            events.append({"type": "response.output_text.done", **at, "text": text, "logprobs": []})
            events.append({"type": "response.content_part.done", **at, "part": dict(part)})
    elif kind == "function_call":
        arguments = str(item.get("arguments", ""))
        events.append(
            {
                "type": "response.output_item.added",
                "output_index": index,
                "item": {**item, "status": "in_progress", "arguments": ""},
            }
        )
        where = {"item_id": item_id, "output_index": index}
        events.extend(
            {"type": "response.function_call_arguments.delta", **where, "delta": piece}
            for piece in _halves(arguments)
        )
        events.append(
            {
                "type": "response.function_call_arguments.done",
                **where,
                "name": item.get("name"),
                "arguments": arguments,
            }
        )
    else:
        events.append({"type": "response.output_item.added", "output_index": index, "item": item})
    events.append({"type": "response.output_item.done", "output_index": index, "item": dict(item)})
    return events


def response_events(response: Mapping[str, Any]) -> list[dict[str, Any]]:
    """
    Turn a finished ``response`` object into its stream events.

    Order: ``response.created``, ``response.in_progress``, then per output item
    ``output_item.added``, (messages) ``content_part.added``, ``output_text.delta``+,
    ``output_text.done``, ``content_part.done``, (function calls) ``function_call_arguments.delta``+
    and ``.done``, ``output_item.done``; last ``response.completed`` (``response.failed`` or
    ``response.incomplete`` after its status).

    Args:
        response: The non-streaming response.

    Returns:
        The event payloads, in order, ``sequence_number`` counting from 0.
    """
    pending = {**response, "status": "in_progress", "output": [], "usage": None}
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": pending},
        {"type": "response.in_progress", "response": pending},
    ]
    for index, item in enumerate(response.get("output") or ()):
        events.extend(_item_events(index, item))
    status = response.get("status")
    terminal = {"failed": "response.failed", "incomplete": "response.incomplete"}.get(
        str(status), "response.completed"
    )
    events.append({"type": terminal, "response": dict(response)})
    counter = itertools.count()
    return [{**event, "sequence_number": next(counter)} for event in events]
