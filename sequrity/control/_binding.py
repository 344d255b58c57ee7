"""
`SessionBinding`: the session state a resource belongs to: the client's (sent only when set, or
when tracking was opted into) or a session handle's (always tracking).
"""

from __future__ import annotations

__all__ = ["SessionBinding"]


class SessionBinding:
    """
    The mutable session state shared by one handle's resources (and by opt-in client tracking).

    Attributes:
        id: The session id sent with the next request, or `None` to start a new session.
        track: Record the id of every successful answer (the handle always does).
    """

    __slots__ = ("id", "track")

    def __init__(self, session_id: str | None = None, *, track: bool = True) -> None:
        self.id = session_id
        self.track = track

    def observe(self, session_id: str | None) -> None:
        """Record the id an answer carried (when tracking and the server sent one)."""
        if self.track and session_id:
            self.id = session_id
