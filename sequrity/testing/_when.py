"""
Content-matched script answers: `When` says which requests a scripted answer is for (words or a
regular expression in the last user message, the tools offered, the tools already called in the
turn), and the answer's tool arguments may take values from the match: ``{"$match": N}`` (group N
of `When.last_user_matches`, 0 the whole match) and ``{"$result": "tool"}`` (the text of the
latest result of that tool in the conversation).

This lets one script play a model's judgement for a whole suite, deterministically: the same
request always gets the same answer, whichever client sent it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ._answers import message_text
from ._errors import ScriptError
from ._script import ChatCall, Final, Step, ToolCalls

__all__ = ["Matched", "When", "resolve_templates"]


def _names(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@attrs.frozen(kw_only=True)
class Matched:
    """
    What a request matched: the regular expression's groups and the tool results of the
    conversation (the latest text per tool name).
    """

    groups: tuple[str, ...] = ()
    results: Mapping[str, str] = attrs.field(factory=dict)


def _turn(call: ChatCall) -> tuple[list[str], dict[str, str]]:
    """The tools called since the last user message, and the latest result text per tool."""
    called: list[str] = []
    results: dict[str, str] = {}
    names_by_id: dict[str, str] = {}
    for message in call.messages:
        role = message.get("role")
        if role == "user":
            called = []
        for tool_call in message.get("tool_calls") or ():
            function = tool_call.get("function") or {}
            name = str(function.get("name"))
            names_by_id[str(tool_call.get("id"))] = name
            if role == "assistant":
                called.append(name)
        if role == "tool":
            tool = names_by_id.get(str(message.get("tool_call_id")))
            if tool is not None:
                results[tool] = message_text(message.get("content"))
    return called, results


@attrs.frozen(kw_only=True)
class When:
    """
    Conditions on a request, all of which must hold for a scripted answer to apply.

    Attributes:
        last_user_contains: Texts that must all occur in the last user message.
        last_user_matches: A regular expression searched for in the last user message; its
            groups are the ``{"$match": N}`` values.
        tools: Tools the request must offer.
        called: Tools that must already have been called in this turn (since the last user
            message).
        not_called: Tools that must not have been called in this turn.
        after_tool_results: `True`: the request must end with tool results; `False`: it must not.

    Example:
        >>> When(last_user_contains=("refund",), tools=("issue_refund",), not_called=("issue_refund",))
    """

    last_user_contains: tuple[str, ...] = attrs.field(default=(), converter=_names)
    last_user_matches: str | None = None
    tools: tuple[str, ...] = attrs.field(default=(), converter=_names)
    called: tuple[str, ...] = attrs.field(default=(), converter=_names)
    not_called: tuple[str, ...] = attrs.field(default=(), converter=_names)
    after_tool_results: bool | None = None
    _pattern: re.Pattern[str] | None = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        pattern = None if self.last_user_matches is None else re.compile(self.last_user_matches)
        object.__setattr__(self, "_pattern", pattern)

    def match(self, call: ChatCall) -> Matched | None:
        """
        Return what `call` matched, or `None` when a condition does not hold.
        """
        text = call.last_user_text
        if not all(part in text for part in self.last_user_contains):
            return None
        groups: tuple[str, ...] = ()
        if self._pattern is not None:
            found = self._pattern.search(text)
            if found is None:
                return None
            groups = (found.group(0), *(g or "" for g in found.groups()))
        offered = call.tool_names
        if not all(name in offered for name in self.tools):
            return None
        if (
            self.after_tool_results is not None
            and bool(call.tool_results) != self.after_tool_results
        ):
            return None
        called, results = _turn(call)
        if not all(name in called for name in self.called):
            return None
        if any(name in called for name in self.not_called):
            return None
        return Matched(groups=groups, results=results)

    def answer(self, step: Step, call: ChatCall) -> Step | None:
        """
        Return `step` with its templates filled in from `call`, or `None` when `call` does not
        match.

        Raises:
            ScriptError: A template names a group or tool result the request does not have.
        """
        matched = self.match(call)
        return None if matched is None else resolve_templates(step, matched)


def _fill(value: Any, matched: Matched) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$match"}:
            index = value["$match"]
            if not isinstance(index, int) or not 0 <= index < len(matched.groups):
                raise ScriptError(
                    f"{{'$match': {index!r}}}: the match has groups 0..{len(matched.groups) - 1}"
                )
            return matched.groups[index]
        if set(value) == {"$result"}:
            name = value["$result"]
            if name not in matched.results:
                raise ScriptError(
                    f"{{'$result': {name!r}}}: no result of that tool in the conversation"
                )
            return matched.results[name]
        return {key: _fill(item, matched) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, matched) for item in value]
    return value


def resolve_templates(step: Step, matched: Matched) -> Step:
    """
    Replace the ``{"$match": N}`` and ``{"$result": "tool"}`` values in a step's tool arguments
    (and in a `Final` value) with what the request matched.

    Raises:
        ScriptError: A group or tool result the request does not have.
    """
    if isinstance(step, ToolCalls):
        calls = tuple(
            attrs.evolve(spec, arguments=_fill(dict(spec.arguments), matched))
            if not isinstance(spec.arguments, str)
            else spec
            for spec in step.calls
        )
        return attrs.evolve(step, calls=calls)
    if isinstance(step, Final):
        return attrs.evolve(step, value=_fill(step.value, matched))
    return step
