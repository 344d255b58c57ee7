"""
What every integration does with an answer (pure, no third-party imports): recognise a Dual-LLM
result envelope, turn it into the answer's text or a `PolicyViolationError`, hold streamed text
back while it may still be an envelope, and find session ids in headers.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Any

from ..control.types.results import (
    PolicyViolationError,
    ResponseContentJsonSchema,
    parse_result,
)

__all__ = [
    "EnvelopeBuffer",
    "SessionSlot",
    "envelope_of",
    "session_from_headers",
    "unwrap_text",
    "value_text",
]

_ENVELOPE_KEYS = ("final_return_value", "error")


def envelope_of(text: str | None) -> ResponseContentJsonSchema | None:
    """
    Read `text` as a Dual-LLM result envelope.

    Args:
        text: An assistant message's content.

    Returns:
        The envelope when `text` is a JSON object with ``status`` ``"success"`` or
        ``"failure"`` and a ``final_return_value`` or ``error`` key; otherwise `None` (plain
        text, or JSON that is not an envelope, stays the answer as it is).
    """
    if not text or not text.lstrip().startswith("{"):
        return None
    try:
        decoded = json.loads(text)
    except ValueError:
        return None
    if not isinstance(decoded, dict) or not any(k in decoded for k in _ENVELOPE_KEYS):
        return None
    result = parse_result(text)
    return result if result.status in ("success", "failure") else None


def value_text(value: Any) -> str:
    """
    Give the text an agent sees for a program's return value.

    Args:
        value: ``final_return_value.value``.

    Returns:
        A string as it is, ``""`` for `None`, anything else as compact JSON.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def unwrap_text(
    text: str | None, *, session_id: str | None
) -> tuple[str | None, ResponseContentJsonSchema | None]:
    """
    Replace a Dual-LLM envelope by the text of its value.

    Args:
        text: An assistant message's content.
        session_id: The answer's session, carried by the error.

    Returns:
        The text to show and the envelope it came from (`None` when `text` was not one, in
        which case the text is returned unchanged).

    Raises:
        PolicyViolationError: The envelope says ``status: "failure"``.
    """
    envelope = envelope_of(text)
    if envelope is None:
        return text, None
    if envelope.is_failure:
        raise PolicyViolationError(envelope, session_id=session_id)
    return value_text(envelope.value), envelope


class EnvelopeBuffer:
    """
    Streamed text, held back while it may still be a Dual-LLM envelope.

    The server writes an envelope only once the program has finished, so holding it back costs
    no latency that matters; text that does not start with ``{`` is passed on at once.
    """

    def __init__(self) -> None:
        self._held: list[str] = []
        self._passing = False

    def feed(self, delta: str) -> str:
        """
        Take one text delta.

        Args:
            delta: The text the stream just produced.

        Returns:
            The text that may be shown now (``""`` while it is held back).
        """
        if self._passing:
            return delta
        self._held.append(delta)
        start = "".join(self._held).lstrip()
        if not start:
            return ""
        if start.startswith("{"):
            return ""
        self._passing = True
        text, self._held = "".join(self._held), []
        return text

    def finish(self, *, session_id: str | None) -> tuple[str, ResponseContentJsonSchema | None]:
        """
        End the text: give what was held back, unwrapped when it was an envelope.

        Args:
            session_id: The stream's session, carried by the error.

        Returns:
            The text still to show, and the envelope when there was one.

        Raises:
            PolicyViolationError: The text was a failure envelope.
        """
        held, self._held = "".join(self._held), []
        if not held:
            return "", None
        text, envelope = unwrap_text(held, session_id=session_id)
        return text or "", envelope


def session_from_headers(headers: Mapping[str, Any] | None) -> str | None:
    """
    Find an ``X-Session-ID`` header (any case) among extra request headers.

    Args:
        headers: Headers a framework passes through (for example ``extra_headers``).

    Returns:
        The non-empty session id, else `None`.
    """
    for name, value in (headers or {}).items():
        if name.lower() == "x-session-id" and isinstance(value, str) and value.strip():
            return value.strip()
    return None


class SessionSlot:
    """
    The one conversation of an official-style object (``session_id``, ``set_session_id``,
    ``reset_session``), safe to share between concurrent calls.

    A call sends the id the slot holds when it starts. When it ends, the slot takes the
    server's id only if it still holds what that call sent: the first session wins, concurrent
    calls never flip it back and forth, and an id set meanwhile is never overwritten.
    """

    def __init__(self, session_id: str | None = None) -> None:
        self._lock = threading.Lock()
        self._id = session_id

    def __reduce__(self) -> tuple[Any, ...]:
        # The lock cannot be pickled or copied; a copy holds the same id with its own lock.
        return (SessionSlot, (self._id,))

    @property
    def id(self) -> str | None:
        """The session id the next call sends, or `None` for a new session."""
        return self._id

    def set(self, session_id: str | None) -> None:
        """Hold `session_id` (or, with `None`, start a new session on the next call)."""
        with self._lock:
            self._id = session_id

    def offer(self, sent: str | None, received: str | None) -> None:
        """
        Record the session a call ended in.

        Args:
            sent: What the call sent (the slot's id when it started).
            received: The session id of its answer.
        """
        if not received:
            return
        with self._lock:
            if self._id == sent:
                self._id = received
