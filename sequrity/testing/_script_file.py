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
matching request) and ``route`` (a shell pattern of request paths); answers may add ``session``
and ``when`` (content conditions, see `When`; then arguments and ``final`` values may hold
``{"$match": N}`` and ``{"$result": "tool"}``), and ``tool_calls`` and ``final`` answers
``branches_on`` (see `ToolCalls`). Answers are read by `_script_answers`.
Unknown keys and wrong types are refused with the file name and the entry's position.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final, Protocol

import attrs

from ._faults import FaultBuilder, Faults
from ._script import Script
from ._script_answers import Answer, read_answer
from ._script_check import (
    Checker,
    ScriptFileError,
    is_bool,
    is_headers,
    is_int,
    is_number,
    is_status,
    is_str,
    is_true,
    kind_of,
)

__all__ = ["ScriptFile", "ScriptFileError"]


class _Scriptable(Protocol):
    @property
    def script(self) -> Script: ...

    @property
    def faults(self) -> Faults: ...


@attrs.frozen(kw_only=True)
class _FaultEntry:
    method: str
    arguments: Mapping[str, Any]
    route: str | None
    times: int | None


# -- faults -----------------------------------------------------------------------------------

#: Each fault kind: its `FaultBuilder` method, the argument the kind's own value gives (or None
#: for flag kinds given as ``true``) and its other arguments with their checks.
_FAULTS: Final[dict[str, tuple[str | None, Callable[[Any], bool], str, dict[str, Any]]]] = {
    "status": (
        "status",
        is_status,
        "an HTTP error status (400 to 599)",
        {
            "detail": (lambda v: True, "anything"),
            "retry_after": (lambda v: is_number(v) or is_str(v), "seconds or an HTTP date"),
            "retry_after_ms": (lambda v: is_int(v) and v >= 0, "whole milliseconds"),
            "should_retry": (is_bool, "true or false"),
            "headers": (is_headers, "an object of string header values"),
        },
    ),
    "delay": ("seconds", is_number, "seconds (a number >= 0)", {}),
    "reset": (
        None,
        is_true,
        "true",
        {
            "during_body": (is_bool, "true or false"),
            "after_events": (lambda v: is_int(v) and v >= 0, "a whole number >= 0"),
        },
    ),
    "truncate_body": (None, is_true, "true", {}),
    "truncate_stream": (
        None,
        is_true,
        "true",
        {
            "after_events": (lambda v: is_int(v) and v >= 0, "a whole number >= 0"),
        },
    ),
    "stream_error": (
        "message",
        is_str,
        "a message (a string)",
        {
            "after_events": (lambda v: is_int(v) and v >= 0, "a whole number >= 0"),
        },
    ),
    "stream_delay": ("seconds", is_number, "seconds (a number >= 0)", {}),
    "trickle": (
        None,
        is_true,
        "true",
        {
            "chunk_size": (lambda v: is_int(v) and v >= 1, "a whole number >= 1"),
            "seconds": (is_number, "seconds (a number >= 0)"),
        },
    ),
}


def _fault(path: str, index: int, entry: Any) -> _FaultEntry:
    c = Checker(path, f"faults[{index}]", entry)
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
        >>> ScriptFile.load("weather.json").apply(emu)
    """

    path: str
    _answers: tuple[Answer, ...] = attrs.field(alias="answer_entries")
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
                path, f'expected an object with "answers" and/or "faults", got {kind_of(data)}'
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
                raise ScriptFileError(path, f"{key}: must be an array, got {kind_of(value)}")
            lists[key] = value
        answers = tuple(read_answer(path, i, e) for i, e in enumerate(lists["answers"]))
        faults = tuple(_fault(path, i, e) for i, e in enumerate(lists["faults"]))
        return cls(path=path, answer_entries=answers, fault_entries=faults)

    def apply(self, emulator: _Scriptable) -> None:
        """
        Queue the answers on ``emulator.script`` and register the faults on ``emulator.faults``,
        in file order (an `Emulator` or a `RunningEmulator`).
        """
        for answer in self._answers:
            emulator.script.queue(
                answer.step,
                route=answer.route,
                session=answer.session,
                times=answer.times,
                when=answer.when,
            )
        for fault in self._faults:
            builder = FaultBuilder(emulator.faults, times=fault.times, route=fault.route)
            getattr(builder, fault.method)(**fault.arguments)
