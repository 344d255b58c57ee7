"""
What a route handler returns: a JSON answer or a chat stream, written later by `_writer`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["JsonOutcome", "Outcome", "StreamOutcome", "json_error"]


@attrs.frozen(kw_only=True)
class JsonOutcome:
    """
    A JSON response.

    Attributes:
        status: The HTTP status.
        body: The JSON-compatible body.
        headers: Extra response headers.
    """

    status: int = 200
    body: Any = None
    headers: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class StreamOutcome:
    """
    A ``text/event-stream`` response: each event is one ``data: <json>`` line, then ``[DONE]``.

    Attributes:
        events: The JSON payloads, in order.
        headers: Extra response headers.
        done: Whether ``data: [DONE]`` ends the stream.
        named: Whether each event is preceded by ``event: <its "type">`` (Messages, Responses);
            an injected stream error is then ``event: error`` with ``{"type": "error", ...}``.
    """

    events: tuple[Mapping[str, Any], ...]
    headers: Mapping[str, str] = attrs.field(factory=dict)
    done: bool = True
    named: bool = False


Outcome = JsonOutcome | StreamOutcome


def json_error(status: int, detail: Any, headers: Mapping[str, str] | None = None) -> JsonOutcome:
    """
    Build the FastAPI-style error ``{"detail": detail}``.
    """
    return JsonOutcome(status=status, body={"detail": detail}, headers=dict(headers or {}))
