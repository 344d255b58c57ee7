"""
Emulated sessions (§4): creation, lookup by id, turn counting against ``fsm.max_n_turns`` and
the Dual-LLM state a session keeps between requests.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any

import attrs

from sequrity.sqrt import Meta, Value

__all__ = ["IssuedCall", "Session", "SessionStore", "ToolResult", "new_session_id"]


def new_session_id() -> str:
    """
    Return a new time-based (version 1) uuid, the shape the real server uses.
    """
    return str(uuid.uuid1())


@attrs.define(kw_only=True)
class IssuedCall:
    """
    A Dual-LLM tool call the emulator asked the client to run.

    Attributes:
        id: The ``tc-<session>-<call>`` id.
        name: The tool name.
        args: Each argument's value and metadata.
        variable: The program variable that receives the result (``result_1``...).
    """

    id: str
    name: str
    args: dict[str, Value]
    variable: str


@attrs.define(kw_only=True)
class ToolResult:
    """
    A tool result sent back by the client, with the metadata it was given.
    """

    call: IssuedCall
    value: Value
    text: str


@attrs.define(kw_only=True)
class Session:
    """
    One emulated session.

    Attributes:
        id: The session id (the ``X-Session-ID`` value).
        endpoint_type: The endpoint type of the request that created it.
        turns_completed: Turns that ended with a final answer.
        max_n_turns: The limit in force (`None` = unlimited).
        expired: Whether the session reached `max_n_turns` (later requests get ``404``).
        requests: Chat requests served in this session.
        calls: Dual-LLM tool calls issued, by id.
        results: Tool results received in the current turn, in order.
        history: Every tool result received in the session, in order.
        session_meta: The session metadata (``@session``) of the policies.
        program: The emulated program lines of the current turn.
        policy_checks: The policy checks of the current turn.
        features: The last ``X-Features`` object sent in this session.
        policy: The last ``X-Policy`` object sent in this session.
        config: The last ``X-Config`` object sent in this session.
    """

    id: str
    endpoint_type: str = "chat"
    turns_completed: int = 0
    max_n_turns: int | None = None
    expired: bool = False
    requests: int = 0
    calls: dict[str, IssuedCall] = attrs.field(factory=dict)
    results: list[ToolResult] = attrs.field(factory=list)
    history: list[ToolResult] = attrs.field(factory=list)
    session_meta: Meta = attrs.field(factory=Meta)
    program: list[str] = attrs.field(factory=list)
    policy_checks: list[dict[str, Any]] = attrs.field(factory=list)
    features: dict[str, Any] = attrs.field(factory=dict)
    policy: dict[str, Any] = attrs.field(factory=dict)
    config: dict[str, Any] = attrs.field(factory=dict)

    def start_turn(self) -> None:
        """
        Forget the per-turn state (results, program, policy checks).
        """
        self.results.clear()
        self.program.clear()
        self.policy_checks.clear()

    def complete_turn(self) -> None:
        """
        Count a finished turn; the session expires when `max_n_turns` is reached.
        """
        self.turns_completed += 1
        if self.max_n_turns is not None and self.turns_completed >= self.max_n_turns:
            self.expired = True


class SessionStore:
    """
    The emulator's sessions, by id (thread-safe; read it from tests through ``emu.sessions``).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}

    def create(self, endpoint_type: str) -> Session:
        """
        Create and register a new session.
        """
        session = Session(id=new_session_id(), endpoint_type=endpoint_type)
        with self._lock:
            self._sessions[session.id] = session
        return session

    def get(self, session_id: str) -> Session | None:
        """
        Return the session with this id (expired ones included), or `None`.
        """
        with self._lock:
            return self._sessions.get(session_id)

    def __getitem__(self, session_id: str) -> Session:
        found = self.get(session_id)
        if found is None:
            raise KeyError(session_id)
        return found

    def __contains__(self, session_id: object) -> bool:
        with self._lock:
            return session_id in self._sessions

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)

    def __iter__(self) -> Iterator[Session]:
        with self._lock:
            return iter(list(self._sessions.values()))

    def ids(self) -> list[str]:
        """
        Return the ids of every session, oldest first.
        """
        with self._lock:
            return list(self._sessions)

    def clear(self) -> None:
        """
        Forget every session.
        """
        with self._lock:
            self._sessions.clear()
