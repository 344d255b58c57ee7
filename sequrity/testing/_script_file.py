"""
Script files: the scripted answers and faults of `Script` and `Faults`, as a JSON file, so the
standalone emulator (``sequrity emulator --script FILE``) can be scripted without Python.

The file is one JSON object with two optional lists, applied in order::

    {
      "answers": [
        {"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}]},
        {"reply": "It is sunny in Paris.", "route": "/control/chat/*", "times": 2},
        {"final": {"forecast": "sunny"}, "meta": {"tags": ["weather"]}},
        {"http_error": 503, "detail": "busy", "headers": {"Retry-After": "1"}}
      ],
      "faults": [
        {"status": 429, "retry_after": 0, "times": 2},
        {"delay": 0.5, "route": "/control/code/*", "times": null}
      ]
    }

Each answer has exactly one of ``reply`` (text), ``tool_calls`` (a list of ``{"name",
"arguments", "meta"}``), ``final`` (a Dual-LLM result value, with optional ``meta``, ``status``
and, for a failure, ``error`` ``{"code", "message"}``) or ``http_error`` (an HTTP status, with
optional ``detail`` and ``headers``). Each fault has exactly one of ``status`` (an HTTP status,
with optional ``detail``, ``retry_after``, ``retry_after_ms``, ``should_retry``, ``headers``),
``delay`` (seconds), ``reset`` (true, with optional ``during_body``, ``after_events``),
``truncate_body`` (true), ``truncate_stream`` (true, with optional ``after_events``),
``stream_error`` (a message, with optional ``after_events``), ``stream_delay`` (seconds) or
``trickle`` (true, with optional ``chunk_size``, ``seconds``).
Every entry may add ``times`` (how many requests it applies to, default 1; ``null`` for every
matching request) and ``route`` (a shell pattern of request paths); answers may add ``session``.
Unknown keys and wrong types are refused with the file name and the entry's position.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final, Protocol

import attrs

from .._exceptions import SequrityError
from ._faults import FaultBuilder, Faults
from ._script import ErrorReply, Reply, Script, Step, ToolCalls, ToolCallSpec
from ._script import Final as FinalStep

__all__ = ["ScriptFile", "ScriptFileError"]


class ScriptFileError(SequrityError, ValueError):
    """
    A script file cannot be used: unreadable, not JSON, or not of the documented shape.

    Attributes:
        path: The file, as given.
        problem: What is wrong, with the entry's position (``answers[1].times: ...``).
    """

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class _Scriptable(Protocol):
    @property
    def script(self) -> Script: ...

    @property
    def faults(self) -> Faults: ...


@attrs.frozen(kw_only=True)
class _Answer:
    step: Step
    route: str | None
    session: str | None
    times: int | None


@attrs.frozen(kw_only=True)
class _FaultEntry:
    method: str
    arguments: Mapping[str, Any]
    route: str | None
    times: int | None


# -- checking values --------------------------------------------------------------------------


class _Checker:
    """Reads one entry, raising `ScriptFileError` with the entry's position."""

    def __init__(self, path: str, where: str, entry: Any) -> None:
        self.path = path
        self.where = where
        if not isinstance(entry, dict):
            self.fail(f"expected an object, got {_kind(entry)}")
        self.entry: dict[str, Any] = entry

    def fail(self, problem: str, key: str | None = None) -> Any:
        where = f"{self.where}.{key}" if key else self.where
        raise ScriptFileError(self.path, f"{where}: {problem}")

    def kind(self, kinds: tuple[str, ...]) -> str:
        found = [k for k in kinds if k in self.entry]
        if len(found) != 1:
            listed = ", ".join(f'"{k}"' for k in kinds)
            got = "none" if not found else " and ".join(f'"{k}"' for k in found)
            self.fail(f"needs exactly one of {listed} (got {got})")
        return found[0]

    def only(self, allowed: tuple[str, ...]) -> None:
        for key in self.entry:
            if key not in allowed:
                self.fail(f'unknown key "{key}" (allowed here: {", ".join(allowed)})')

    def get(self, key: str, check: Callable[[Any], bool], want: str, default: Any = None) -> Any:
        if key not in self.entry:
            return default
        value = self.entry[key]
        if not check(value):
            self.fail(f"must be {want}, got {_kind(value)}", key)
        return value

    def times(self) -> int | None:
        value = self.entry.get("times", 1)
        if value is not None and not (_is_int(value) and value >= 1):
            self.fail(f"must be a whole number >= 1 or null (always), got {_show(value)}", "times")
        return value  # type: ignore[no-any-return]

    def text(self, key: str) -> str | None:
        value: str | None = self.get(key, _is_str, "a string")
        return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_true(value: Any) -> bool:
    return value is True


def _is_status(value: Any) -> bool:
    return _is_int(value) and 400 <= value <= 599


def _is_headers(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _is_object(value: Any) -> bool:
    return isinstance(value, dict)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _show(value: Any) -> str:
    return json.dumps(value) if isinstance(value, int | float | str | bool) else _kind(value)


# -- answers ----------------------------------------------------------------------------------

_ANSWER_KINDS: Final = ("reply", "tool_calls", "final", "http_error")
_ANSWER_COMMON: Final = ("times", "route", "session")
_ANSWER_EXTRA: Final[dict[str, tuple[str, ...]]] = {
    "reply": (),
    "tool_calls": (),
    "final": ("meta", "status", "error"),
    "http_error": ("detail", "headers"),
}


def _tool_call(c: _Checker, index: int, call: Any) -> ToolCallSpec:
    item = _Checker(c.path, f"{c.where}.tool_calls[{index}]", call)
    item.only(("name", "arguments", "meta"))
    name = item.get("name", _is_str, "a string")
    if not name:
        item.fail('needs a "name" (the tool to call)')
    arguments = item.get(
        "arguments", lambda v: isinstance(v, dict | str), "an object or a JSON string", {}
    )
    meta = item.get("meta", _is_object, "an object (argument name -> metadata)", {})
    return ToolCallSpec(name=name, arguments=arguments, meta=meta)


def _answer(path: str, index: int, entry: Any) -> _Answer:
    c = _Checker(path, f"answers[{index}]", entry)
    kind = c.kind(_ANSWER_KINDS)
    c.only((kind, *_ANSWER_EXTRA[kind], *_ANSWER_COMMON))
    step: Step
    if kind == "reply":
        step = Reply(c.get("reply", _is_str, "a string"))
    elif kind == "tool_calls":
        calls = c.get("tool_calls", lambda v: isinstance(v, list) and bool(v), "a non-empty array")
        step = ToolCalls(tuple(_tool_call(c, i, call) for i, call in enumerate(calls)))
    elif kind == "final":
        status = c.get(
            "status", lambda v: v in ("success", "failure"), '"success" or "failure"', "success"
        )
        error = c.get(
            "error",
            lambda v: _is_object(v) and all(isinstance(x, str) for x in v.values()),
            'an object {"code": ..., "message": ...}',
        )
        meta = c.get("meta", _is_object, "an object (producers, consumers, tags)")
        step = FinalStep(value=c.entry["final"], meta=meta, status=status, error=error)
    else:
        status = c.get("http_error", _is_status, "an HTTP error status (400 to 599)")
        headers = c.get("headers", _is_headers, "an object of string header values", {})
        detail = c.entry.get("detail", f"Scripted error: HTTP {status}")
        step = ErrorReply(status=status, detail=detail, headers=headers)
    return _Answer(step=step, route=c.text("route"), session=c.text("session"), times=c.times())


# -- faults -----------------------------------------------------------------------------------

#: Each fault kind: its `FaultBuilder` method, the argument the kind's own value gives (or None
#: for flag kinds given as ``true``) and its other arguments with their checks.
_FAULTS: Final[dict[str, tuple[str | None, Callable[[Any], bool], str, dict[str, Any]]]] = {
    "status": (
        "status",
        _is_status,
        "an HTTP error status (400 to 599)",
        {
            "detail": (lambda v: True, "anything"),
            "retry_after": (lambda v: _is_number(v) or _is_str(v), "seconds or an HTTP date"),
            "retry_after_ms": (lambda v: _is_int(v) and v >= 0, "whole milliseconds"),
            "should_retry": (_is_bool, "true or false"),
            "headers": (_is_headers, "an object of string header values"),
        },
    ),
    "delay": ("seconds", _is_number, "seconds (a number >= 0)", {}),
    "reset": (
        None,
        _is_true,
        "true",
        {
            "during_body": (_is_bool, "true or false"),
            "after_events": (lambda v: _is_int(v) and v >= 0, "a whole number >= 0"),
        },
    ),
    "truncate_body": (None, _is_true, "true", {}),
    "truncate_stream": (
        None,
        _is_true,
        "true",
        {
            "after_events": (lambda v: _is_int(v) and v >= 0, "a whole number >= 0"),
        },
    ),
    "stream_error": (
        "message",
        _is_str,
        "a message (a string)",
        {
            "after_events": (lambda v: _is_int(v) and v >= 0, "a whole number >= 0"),
        },
    ),
    "stream_delay": ("seconds", _is_number, "seconds (a number >= 0)", {}),
    "trickle": (
        None,
        _is_true,
        "true",
        {
            "chunk_size": (lambda v: _is_int(v) and v >= 1, "a whole number >= 1"),
            "seconds": (_is_number, "seconds (a number >= 0)"),
        },
    ),
}


def _fault(path: str, index: int, entry: Any) -> _FaultEntry:
    c = _Checker(path, f"faults[{index}]", entry)
    kind = c.kind(tuple(_FAULTS))
    own, check, want, options = _FAULTS[kind]
    c.only((kind, *options, "times", "route"))
    value = c.get(kind, check, want)
    arguments: dict[str, Any] = {}
    if own is not None:
        arguments[own] = value
    for key, (option_check, option_want) in options.items():
        if key in c.entry:
            arguments[key] = c.get(key, option_check, option_want)
    return _FaultEntry(method=kind, arguments=arguments, route=c.text("route"), times=c.times())


# -- the file ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ScriptFile:
    """
    A checked script file; `apply` queues its answers and registers its faults on an emulator.

    Attributes:
        path: Where it was read from.
        answers: How many answers it queues.
        faults: How many faults it registers.

    Example:
        >>> ScriptFile.load("weather.json").apply(emu)                 # doctest: +SKIP
    """

    path: str
    _answers: tuple[_Answer, ...] = attrs.field(alias="answer_entries")
    _faults: tuple[_FaultEntry, ...] = attrs.field(alias="fault_entries")

    @property
    def answers(self) -> int:
        """How many answers the file queues."""
        return len(self._answers)

    @property
    def faults(self) -> int:
        """How many faults the file registers."""
        return len(self._faults)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> ScriptFile:
        """
        Read and check a script file.

        Raises:
            ScriptFileError: The file cannot be read, is not JSON or not of the documented shape.
        """
        name = os.fspath(path)
        try:
            text = Path(name).read_text(encoding="utf-8")
        except OSError as exc:
            raise ScriptFileError(name, f"cannot read it: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise ScriptFileError(name, "not UTF-8 text") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ScriptFileError(
                name, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from None
        return cls.parse(data, name)

    @classmethod
    def parse(cls, data: Any, path: str = "<script>") -> ScriptFile:
        """
        Check decoded JSON against the script format.

        Args:
            data: The decoded file.
            path: The name to show in errors.

        Raises:
            ScriptFileError: The data is not of the documented shape.
        """
        if not isinstance(data, dict):
            raise ScriptFileError(
                path, f'expected an object with "answers" and/or "faults", got {_kind(data)}'
            )
        for key in data:
            if key not in ("answers", "faults"):
                raise ScriptFileError(
                    path, f'unknown key "{key}" (a script has "answers" and "faults")'
                )
        lists: dict[str, list[Any]] = {}
        for key in ("answers", "faults"):
            value = data.get(key, [])
            if not isinstance(value, list):
                raise ScriptFileError(path, f"{key}: must be an array, got {_kind(value)}")
            lists[key] = value
        answers = tuple(_answer(path, i, e) for i, e in enumerate(lists["answers"]))
        faults = tuple(_fault(path, i, e) for i, e in enumerate(lists["faults"]))
        return cls(path=path, answer_entries=answers, fault_entries=faults)

    def apply(self, emulator: _Scriptable) -> None:
        """
        Queue the answers on ``emulator.script`` and register the faults on ``emulator.faults``,
        in file order (an `Emulator` or a `RunningEmulator`).
        """
        for answer in self._answers:
            emulator.script.queue(
                answer.step, route=answer.route, session=answer.session, times=answer.times
            )
        for fault in self._faults:
            builder = FaultBuilder(emulator.faults, times=fault.times, route=fault.route)
            getattr(builder, fault.method)(**fault.arguments)
