"""
Dual-LLM envelopes in Responses API answers (pure, dict level): the text of ``output_text``
parts, in a whole response and in a stream of events, replaced by the unwrapped value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._results import EnvelopeBuffer, unwrap_text

__all__ = ["StreamUnwrapper", "unwrap_output_item", "unwrap_response"]

_TERMINAL = ("response.completed", "response.failed", "response.incomplete")


def _unwrap_part(part: Mapping[str, Any], session_id: str | None) -> dict[str, Any]:
    if part.get("type") != "output_text" or not isinstance(part.get("text"), str):
        return dict(part)
    text, _ = unwrap_text(part["text"], session_id=session_id)
    return {**part, "text": text}


def unwrap_output_item(item: Mapping[str, Any], session_id: str | None) -> dict[str, Any]:
    """
    Unwrap the envelopes of one output item (only ``message`` items carry text).

    Raises:
        PolicyViolationError: A part's text is a failure envelope.
    """
    if item.get("type") != "message" or not isinstance(item.get("content"), list):
        return dict(item)
    return {**item, "content": [_unwrap_part(p, session_id) for p in item["content"]]}


def unwrap_response(response: Mapping[str, Any], session_id: str | None) -> dict[str, Any]:
    """
    Unwrap the envelopes of a whole ``response`` object (and its ``output_text``, if present).

    Raises:
        PolicyViolationError: A message's text is a failure envelope.
    """
    output = [unwrap_output_item(item, session_id) for item in response.get("output") or []]
    unwrapped: dict[str, Any] = {**response, "output": output}
    if isinstance(response.get("output_text"), str):
        unwrapped["output_text"], _ = unwrap_text(response["output_text"], session_id=session_id)
    return unwrapped


class StreamUnwrapper:
    """
    Rewrites the events of one Responses stream: text deltas that may form an envelope are held
    back, and at ``response.output_text.done`` the value's text goes out as one delta; every
    later event that repeats the text carries the unwrapped value.

    Args:
        session_id: The stream's session, carried by a `PolicyViolationError`.
    """

    def __init__(self, session_id: str | None) -> None:
        self._session_id = session_id
        self._buffers: dict[tuple[Any, Any], EnvelopeBuffer] = {}

    def process(self, event: Mapping[str, Any]) -> list[dict[str, Any]]:
        """
        Rewrite one event.

        Args:
            event: The event's JSON object.

        Returns:
            The events to pass on, in order (none, while a delta is held back).

        Raises:
            PolicyViolationError: A text turned out to be a failure envelope.
        """
        kind = event.get("type")
        key = (event.get("item_id"), event.get("content_index"))
        if kind == "response.output_text.delta":
            shown = self._buffers.setdefault(key, EnvelopeBuffer()).feed(str(event["delta"]))
            return [{**event, "delta": shown}] if shown else []
        if kind == "response.output_text.done":
            rest, _ = self._buffers.pop(key, EnvelopeBuffer()).finish(session_id=self._session_id)
            text, _ = unwrap_text(event.get("text"), session_id=self._session_id)
            done = {**event, "text": text}
            if not rest:
                return [done]
            delta = {k: v for k, v in event.items() if k != "text"}
            delta.update(type="response.output_text.delta", delta=rest, logprobs=[])
            return [delta, done]
        if kind == "response.content_part.done" and isinstance(event.get("part"), Mapping):
            return [{**event, "part": _unwrap_part(event["part"], self._session_id)}]
        if kind == "response.output_item.done" and isinstance(event.get("item"), Mapping):
            return [{**event, "item": unwrap_output_item(event["item"], self._session_id)}]
        if kind in _TERMINAL and isinstance(event.get("response"), Mapping):
            return [{**event, "response": unwrap_response(event["response"], self._session_id)}]
        return [dict(event)]
