"""
Reading the JSON inputs of ``sequrity policy eval`` (CALL.json and SESSION.json), with messages
that name the file and the offending field instead of Python internals.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import attrs

from ._policy import ToolCall
from ._sets import Meta, Value

__all__ = ["CallFile", "InputFileError", "SessionFile", "read_call", "read_session"]

_META_KEYS = ("producers", "consumers", "tags")
_CALL_KEYS = ("tool", "args", "default_allow", "default_allow_enforcement_level", "fail_fast")


class InputFileError(ValueError):
    """
    A JSON input file cannot be used.

    Args:
        path: The file, as the user named it.
        problem: What is wrong, naming the field.
    """

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


@attrs.frozen(kw_only=True)
class CallFile:
    """
    A parsed CALL.json.

    Attributes:
        call: The tool call to decide.
        default_allow: The verdict when no rule decides.
        default_allow_enforcement_level: ``soft`` or ``hard``.
        fail_fast: Stop at the first firing hard deny.
    """

    call: ToolCall
    default_allow: bool = True
    default_allow_enforcement_level: Literal["soft", "hard"] = "soft"
    fail_fast: bool = True


@attrs.frozen(kw_only=True)
class SessionFile:
    """
    A parsed SESSION.json: the session metadata and the value behind ``@session.value``.
    """

    meta: Meta = attrs.field(factory=Meta)
    value: Any = None


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


def _load(path: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputFileError(path, "not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(
            path, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None


def _unknown(path: str, where: str, data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    for key in data:
        if key not in allowed:
            raise InputFileError(
                path, f'{where}unknown key "{key}" (allowed: {", ".join(allowed)})'
            )


def _meta(path: str, where: str, data: Any) -> Meta:
    """Check metadata found at `where` (``""`` for the top level of the file)."""
    if data is None:
        return Meta()
    if not isinstance(data, dict):
        raise InputFileError(
            path, f"{where} must be an object with producers, consumers and tags, got {_kind(data)}"
        )
    _unknown(path, f"{where} has an " if where else "", data, _META_KEYS)
    for name in _META_KEYS:
        items = data.get(name, [])
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            got = _kind(items) if not isinstance(items, list) else "an array with a non-string"
            field = f"{where}.{name}" if where else name
            raise InputFileError(path, f"{field} must be an array of strings, got {got}")
    return Meta.from_json(data)


def read_call(path: str) -> CallFile:
    """
    Read and check a CALL.json file.

    Args:
        path: The file.

    Returns:
        The call and its evaluation options.

    Raises:
        InputFileError: Not JSON, or not of the documented shape (the message names the field).
        OSError: The file cannot be read.
    """
    data = _load(path)
    if not isinstance(data, dict):
        raise InputFileError(path, f'expected a JSON object with a "tool", got {_kind(data)}')
    _unknown(path, "", data, _CALL_KEYS)
    if "tool" not in data:
        raise InputFileError(path, '"tool" is missing (the name of the tool being called)')
    tool = data["tool"]
    if not isinstance(tool, str):
        raise InputFileError(path, f'"tool" must be a string, got {_kind(tool)}')
    raw_args = data.get("args") or {}
    if not isinstance(raw_args, dict):
        raise InputFileError(
            path,
            '"args" must be an object mapping argument names to {"value": ..., "meta": {...}}, '
            f"got {_kind(raw_args)}",
        )
    args: dict[str, Value] = {}
    for name, arg in raw_args.items():
        where = f"args.{name}"
        if not isinstance(arg, dict):
            raise InputFileError(
                path,
                f'{where} must be an object {{"value": ..., "meta": {{...}}}}, got {_kind(arg)}',
            )
        _unknown(path, f"{where} has an ", arg, ("value", "meta"))
        args[name] = Value(arg.get("value"), _meta(path, f"{where}.meta", arg.get("meta")))
    for flag in ("default_allow", "fail_fast"):
        if flag in data and not isinstance(data[flag], bool):
            raise InputFileError(path, f'"{flag}" must be true or false, got {_kind(data[flag])}')
    level = data.get("default_allow_enforcement_level", "soft")
    if level not in ("soft", "hard"):
        shown = json.dumps(level) if isinstance(level, str) else _kind(level)
        raise InputFileError(
            path, f'"default_allow_enforcement_level" must be "soft" or "hard", got {shown}'
        )
    return CallFile(
        call=ToolCall(tool, args),
        default_allow=data.get("default_allow", True),
        default_allow_enforcement_level=level,
        fail_fast=data.get("fail_fast", True),
    )


def read_session(path: str) -> SessionFile:
    """
    Read and check a SESSION.json file: ``{"producers", "consumers", "tags", "value"}``.

    Raises:
        InputFileError: Not JSON, or not of the documented shape (the message names the field).
        OSError: The file cannot be read.
    """
    data = _load(path)
    if not isinstance(data, dict):
        raise InputFileError(path, f"expected a JSON object, got {_kind(data)}")
    _unknown(path, "", data, (*_META_KEYS, "value"))
    meta = _meta(path, "", {k: v for k, v in data.items() if k != "value"})
    return SessionFile(meta=meta, value=data.get("value"))
