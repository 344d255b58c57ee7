"""
The ``answers`` of a script file: each entry read into a step (`Reply`, `ToolCalls`, `Final`,
`ErrorReply`) with its filters (``route``, ``session``, ``when``) and ``times``.
"""

from __future__ import annotations

import re
from typing import Any, Final

import attrs

from ._script import ErrorReply, Reply, Step, ToolCalls, ToolCallSpec
from ._script import Final as FinalStep
from ._script_check import (
    Checker,
    is_bool,
    is_headers,
    is_int,
    is_object,
    is_status,
    is_str,
)
from ._when import When

__all__ = ["Answer", "read_answer"]


@attrs.frozen(kw_only=True)
class Answer:
    step: Step
    route: str | None
    session: str | None
    times: int | None
    when: When | None = None


# -- answers ----------------------------------------------------------------------------------

_ANSWER_KINDS: Final = ("reply", "tool_calls", "final", "http_error")
_ANSWER_COMMON: Final = ("times", "route", "session", "when")
_ANSWER_EXTRA: Final[dict[str, tuple[str, ...]]] = {
    "reply": (),
    "tool_calls": ("branches_on",),
    "final": ("meta", "status", "error", "branches_on"),
    "http_error": ("detail", "headers"),
}
_WHEN_KEYS: Final = (
    "last_user_contains",
    "last_user_matches",
    "tools",
    "called",
    "not_called",
    "after_tool_results",
)


def _is_names(value: Any) -> bool:
    return is_str(value) or (isinstance(value, list) and all(is_str(v) for v in value))


def _when(c: Checker) -> When | None:
    if "when" not in c.entry:
        return None
    w = Checker(c.path, f"{c.where}.when", c.entry["when"])
    w.only(_WHEN_KEYS)
    names = "a string or an array of strings"
    pattern = w.get("last_user_matches", is_str, "a regular expression (a string)")
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as exc:
            w.fail(f"not a valid regular expression: {exc}", "last_user_matches")
    return When(
        last_user_contains=w.get("last_user_contains", _is_names, names, ()),
        last_user_matches=pattern,
        tools=w.get("tools", _is_names, names, ()),
        called=w.get("called", _is_names, names, ()),
        not_called=w.get("not_called", _is_names, names, ()),
        after_tool_results=w.get("after_tool_results", is_bool, "true or false"),
    )


def _check_templates(c: Checker, value: Any, where: str, when: When | None) -> None:
    """Refuse malformed ``{"$match": N}`` / ``{"$result": "tool"}`` values at load time."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            _check_templates(c, item, f"{where}[{i}]", when)
        return
    if not isinstance(value, dict):
        return
    if "$match" in value or "$result" in value:
        if len(value) != 1:
            c.fail('a template is an object with exactly one key, "$match" or "$result"', where)
        if "$match" in value:
            if not (is_int(value["$match"]) and value["$match"] >= 0):
                c.fail('"$match" takes a group number (0 for the whole match)', where)
            if when is None or when.last_user_matches is None:
                c.fail('"$match" needs "when": {"last_user_matches": ...} on the answer', where)
        elif not is_str(value["$result"]):
            c.fail('"$result" takes a tool name', where)
        return
    for key, item in value.items():
        _check_templates(c, item, f"{where}.{key}", when)


def _tool_call(c: Checker, index: int, call: Any) -> ToolCallSpec:
    item = Checker(c.path, f"{c.where}.tool_calls[{index}]", call)
    item.only(("name", "arguments", "meta"))
    name = item.get("name", is_str, "a string")
    if not name:
        item.fail('needs a "name" (the tool to call)')
    arguments = item.get(
        "arguments", lambda v: isinstance(v, dict | str), "an object or a JSON string", {}
    )
    meta = item.get("meta", is_object, "an object (argument name -> metadata)", {})
    return ToolCallSpec(name=name, arguments=arguments, meta=meta)


def read_answer(path: str, index: int, entry: Any) -> Answer:
    c = Checker(path, f"answers[{index}]", entry)
    kind = c.kind(_ANSWER_KINDS)
    c.only((kind, *_ANSWER_EXTRA[kind], *_ANSWER_COMMON))
    when = _when(c)
    raw = c.get("branches_on", _is_names, "a string or an array of tool names", ())
    branches: tuple[str, ...] = (raw,) if isinstance(raw, str) else tuple(raw)
    step: Step
    if kind == "reply":
        step = Reply(c.get("reply", is_str, "a string"))
    elif kind == "tool_calls":
        calls = c.get("tool_calls", lambda v: isinstance(v, list) and bool(v), "a non-empty array")
        _check_templates(c, calls, "tool_calls", when)
        specs = tuple(_tool_call(c, i, call) for i, call in enumerate(calls))
        step = ToolCalls(specs, branches_on=branches)
    elif kind == "final":
        status = c.get(
            "status", lambda v: v in ("success", "failure"), '"success" or "failure"', "success"
        )
        error = c.get(
            "error",
            lambda v: is_object(v) and all(isinstance(x, str) for x in v.values()),
            'an object {"code": ..., "message": ...}',
        )
        meta = c.get("meta", is_object, "an object (producers, consumers, tags)")
        _check_templates(c, c.entry["final"], "final", when)
        step = FinalStep(
            value=c.entry["final"], meta=meta, status=status, error=error, branches_on=branches
        )
    else:
        status = c.get("http_error", is_status, "an HTTP error status (400 to 599)")
        headers = c.get("headers", is_headers, "an object of string header values", {})
        detail = c.entry.get("detail", f"Scripted error: HTTP {status}")
        step = ErrorReply(status=status, detail=detail, headers=headers)
    return Answer(
        step=step, route=c.text("route"), session=c.text("session"), times=c.times(), when=when
    )
