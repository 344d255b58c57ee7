"""
Reading script files: `ScriptFileError` and the checker that reads one entry, naming the file and
the entry's position in every problem.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .._exceptions import SequrityError

__all__ = [
    "Checker",
    "ScriptFileError",
    "is_bool",
    "is_headers",
    "is_int",
    "is_number",
    "is_object",
    "is_status",
    "is_str",
    "is_true",
    "kind_of",
    "show",
]


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


# -- checking values --------------------------------------------------------------------------


class Checker:
    """Reads one entry, raising `ScriptFileError` with the entry's position."""

    def __init__(self, path: str, where: str, entry: Any) -> None:
        self.path = path
        self.where = where
        if not isinstance(entry, dict):
            self.fail(f"expected an object, got {kind_of(entry)}")
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
            self.fail(f"must be {want}, got {kind_of(value)}", key)
        return value

    def times(self) -> int | None:
        value = self.entry.get("times", 1)
        if value is not None and not (is_int(value) and value >= 1):
            self.fail(f"must be a whole number >= 1 or null (always), got {show(value)}", "times")
        return value  # type: ignore[no-any-return]

    def text(self, key: str) -> str | None:
        value: str | None = self.get(key, is_str, "a string")
        return value


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def is_str(value: Any) -> bool:
    return isinstance(value, str)


def is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def is_true(value: Any) -> bool:
    return value is True


def is_status(value: Any) -> bool:
    return is_int(value) and 400 <= value <= 599


def is_headers(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def is_object(value: Any) -> bool:
    return isinstance(value, dict)


def kind_of(value: Any) -> str:
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


def show(value: Any) -> str:
    return json.dumps(value) if isinstance(value, int | float | str | bool) else kind_of(value)
