"""
Scripting the emulated model: queue exact replies, tool calls, errors or Dual-LLM results for the
next chat requests, or install a responder that computes them from the request.

Each chat request takes the first queued entry whose filters (``route``, ``session``) match, in
the order the entries were added; an entry is used up after ``times`` requests (a responder stays
until cleared unless ``times`` is given). A responder that returns `None` passes the request on to
the next matching entry. When nothing matches, the built-in rules of `_answers` apply.
"""

from __future__ import annotations

import fnmatch
import json
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeAlias

import attrs

from ._answers import message_text

__all__ = [
    "ChatCall",
    "ErrorReply",
    "Final",
    "Reply",
    "Responder",
    "Script",
    "Step",
    "ToolCallSpec",
    "ToolCalls",
]


@attrs.frozen
class Reply:
    """
    Answer with this text (Dual-LLM: a success result whose value is the text).
    """

    text: str


@attrs.frozen(kw_only=True)
class ToolCallSpec:
    """
    One tool call the emulated model makes.

    Attributes:
        name: The tool's name; it must be one of the request's tools.
        arguments: The arguments (an object, or an already-encoded JSON string).
        meta: Dual-LLM only: metadata per argument name, e.g. ``{"body": {"tags": ["secret"]}}``;
            arguments without an entry get the metadata of earlier tool results whose text they
            contain (see `_dual`).
    """

    name: str
    arguments: Mapping[str, Any] | str = attrs.field(factory=dict)
    meta: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)

    def arguments_json(self) -> str:
        """
        Return the arguments as the JSON string a tool call carries.
        """
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(dict(self.arguments))


@attrs.frozen
class ToolCalls:
    """
    Call these tools (``finish_reason: "tool_calls"``).

    Attributes:
        calls: The calls.
        branches_on: Dual-LLM only: the tools whose results the emulated program branched on to
            decide these calls; their metadata is checked against ``branching_meta_policy``.
    """

    calls: tuple[ToolCallSpec, ...]
    branches_on: tuple[str, ...] = attrs.field(default=(), kw_only=True)


@attrs.frozen(kw_only=True)
class ErrorReply:
    """
    Answer with an HTTP error ``{"detail": detail}``.
    """

    status: int
    detail: Any
    headers: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Final:
    """
    End the turn with this Dual-LLM result (single-LLM: the value as text).

    Attributes:
        value: The ``final_return_value`` value.
        meta: Its metadata (``producers``/``consumers``/``tags``); by default the merge of the
            turn's tool results.
        status: ``"success"`` or ``"failure"``.
        error: With ``"failure"``, the ``{"code", "message"}`` error.
        branches_on: As for `ToolCalls`.
    """

    value: Any = None
    meta: Mapping[str, Any] | None = None
    status: str = "success"
    error: Mapping[str, str] | None = None
    branches_on: tuple[str, ...] = ()


Step: TypeAlias = Reply | ToolCalls | ErrorReply | Final


@attrs.frozen(kw_only=True)
class ChatCall:
    """
    What a responder sees of a chat request.

    Attributes:
        path: The request path.
        endpoint_type: ``chat``, ``code``, ``agent`` or ``lang-graph``.
        provider: The provider segment, or `None` for the default route.
        session_id: The session the request belongs to.
        dual: Whether the request runs in Dual-LLM mode.
        model: The body's ``model``.
        messages: The body's messages, as JSON objects.
        tools: The body's tools, as JSON objects.
        body: The whole JSON body.
        headers: The request headers (case-insensitive).
    """

    path: str
    endpoint_type: str
    provider: str | None
    session_id: str
    dual: bool
    model: str
    messages: Sequence[Mapping[str, Any]]
    tools: Sequence[Mapping[str, Any]]
    body: Mapping[str, Any]
    headers: Mapping[str, str]

    @property
    def last_user_text(self) -> str:
        """
        The text of the last user message, or ``""``.
        """
        for message in reversed(self.messages):
            if message.get("role") == "user":
                return message_text(message.get("content"))
        return ""

    @property
    def tool_names(self) -> list[str]:
        """
        The names of the request's tools, in order.
        """
        return [str(t.get("function", {}).get("name")) for t in self.tools]

    @property
    def tool_results(self) -> list[Mapping[str, Any]]:
        """
        The tool messages that end the history (the results the client just sent), in order.
        """
        trailing: list[Mapping[str, Any]] = []
        for message in reversed(self.messages):
            if message.get("role") != "tool":
                break
            trailing.append(message)
        return trailing[::-1]


#: Computes a step (or plain reply text) from a request; `None` passes to the next entry.
Responder: TypeAlias = Callable[[ChatCall], "Step | str | None"]


class Condition(Protocol):
    """
    What an answer's ``when`` does (`sequrity.testing.When`): fill in a step for a matching
    request, or return `None`.
    """

    def answer(self, step: Step, call: ChatCall) -> Step | None:
        """Return `step` for `call` (templates filled in), or `None` when `call` does not match."""


@attrs.define(kw_only=True)
class _Entry:
    step: Step | None
    responder: Responder | None
    route: str | None
    session: str | None
    remaining: int | None
    when: Condition | None = None

    def matches(self, call: ChatCall) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.session is not None and self.session != call.session_id:
            return False
        return self.route is None or fnmatch.fnmatchcase(call.path, self.route)


def _spec(call: ToolCallSpec | Mapping[str, Any]) -> ToolCallSpec:
    if isinstance(call, ToolCallSpec):
        return call
    unknown = set(call) - {"name", "arguments", "meta"}
    if "name" not in call or unknown:
        raise ValueError(
            f"a tool call is {{'name': str, 'arguments': dict | str, 'meta': dict}}, got {call!r}"
        )
    return ToolCallSpec(
        name=str(call["name"]), arguments=call.get("arguments", {}), meta=call.get("meta", {})
    )


class Script:
    """
    The queue of scripted answers for chat requests (thread-safe).

    Example:
        >>> emu.script.reply("Hello!")
        >>> emu.script.tool_calls([{"name": "get_weather", "arguments": {"city": "Paris"}}])
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[_Entry] = []

    def _add(
        self,
        step: Step | None,
        responder: Responder | None,
        route: str | None,
        session: str | None,
        times: int | None,
        when: Condition | None = None,
    ) -> None:
        if times is not None and times < 1:
            raise ValueError(f"times must be >= 1 or None, got {times!r}")
        entry = _Entry(
            step=step, responder=responder, route=route, session=session, remaining=times, when=when
        )
        with self._lock:
            self._entries.append(entry)

    def queue(
        self,
        step: Step,
        *,
        route: str | None = None,
        session: str | None = None,
        times: int | None = 1,
        when: Condition | None = None,
    ) -> None:
        """
        Queue a step built by hand (`Reply`, `ToolCalls`, `ErrorReply` or `Final`).

        Args:
            step: The answer.
            route: As for `reply`.
            session: As for `reply`.
            times: How many requests this answers; `None` for every matching request.
            when: Only for requests matching these conditions (a `When`); its templates
                (``{"$match": N}``, ``{"$result": "tool"}``) are filled in from the request.
        """
        self._add(step, None, route, session, times, when)

    def reply(
        self, text: str, *, route: str | None = None, session: str | None = None, times: int = 1
    ) -> None:
        """
        Queue a plain text answer.

        Args:
            text: The assistant content (Dual-LLM: the result value).
            route: Only for requests whose path matches this shell pattern
                (``"/control/code/*"``).
            session: Only for requests of this session id.
            times: How many requests this answers.
        """
        self._add(Reply(text), None, route, session, times)

    def tool_calls(
        self,
        calls: Iterable[ToolCallSpec | Mapping[str, Any]],
        *,
        route: str | None = None,
        session: str | None = None,
        times: int = 1,
    ) -> None:
        """
        Queue tool calls: ``[{"name": ..., "arguments": {...}}, ...]``.

        Args:
            calls: The calls, as `ToolCallSpec` or dicts with ``name``, ``arguments`` and
                optionally ``meta``.
            route: As for `reply`.
            session: As for `reply`.
            times: As for `reply`.

        Raises:
            ValueError: A call is not of the documented shape, or there is none.
        """
        specs = tuple(_spec(c) for c in calls)
        if not specs:
            raise ValueError("tool_calls needs at least one call")
        self._add(ToolCalls(specs), None, route, session, times)

    def error(
        self,
        status: int,
        detail: Any,
        headers: Mapping[str, str] | None = None,
        *,
        route: str | None = None,
        session: str | None = None,
        times: int = 1,
    ) -> None:
        """
        Queue an HTTP error answer ``{"detail": detail}`` with optional extra headers.
        """
        self._add(
            ErrorReply(status=status, detail=detail, headers=dict(headers or {})),
            None,
            route,
            session,
            times,
        )

    def final(
        self,
        value: Any,
        meta: Mapping[str, Any] | None = None,
        *,
        status: str = "success",
        error: Mapping[str, str] | None = None,
        route: str | None = None,
        session: str | None = None,
        times: int = 1,
    ) -> None:
        """
        Queue the final Dual-LLM result (`Final`); single-LLM requests get the value as text.
        """
        step = Final(value=value, meta=meta, status=status, error=error)
        self._add(step, None, route, session, times)

    def responder(
        self,
        fn: Responder,
        *,
        route: str | None = None,
        session: str | None = None,
        times: int | None = None,
    ) -> None:
        """
        Install a function computing the answer from the request (a `ChatCall`).

        It returns a step (`Reply`, `ToolCalls`, `ErrorReply`, `Final`), a string (a `Reply`),
        or `None` to let the next matching entry (or the built-in rules) answer.
        """
        self._add(None, fn, route, session, times)

    def clear(self) -> None:
        """
        Drop every queued entry and responder.
        """
        with self._lock:
            self._entries.clear()

    @property
    def pending(self) -> int:
        """
        How many entries are still queued (responders included).
        """
        with self._lock:
            return sum(1 for e in self._entries if e.remaining is None or e.remaining > 0)

    def take(self, call: ChatCall) -> Step | None:
        """
        Return the step answering `call` (using it up), or `None` for the built-in rules.
        """
        with self._lock:
            candidates = [e for e in self._entries if e.matches(call)]
        for entry in candidates:
            step: Step | None = entry.step
            if entry.responder is not None:
                produced = entry.responder(call)
                step = Reply(produced) if isinstance(produced, str) else produced
            if step is not None and entry.when is not None:
                step = entry.when.answer(step, call)
            if step is None:
                continue
            with self._lock:
                # Another request may have used the entry up meanwhile (concurrent requests).
                if not entry.matches(call):
                    continue
                if entry.remaining is not None:
                    entry.remaining -= 1
                    if entry.remaining <= 0:
                        self._entries.remove(entry)
            return step
        return None
