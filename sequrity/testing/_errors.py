"""
Errors the emulator answers with, and the FastAPI-style ``422`` detail built from converter messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["HttpError", "ScriptError", "loc_from_path", "validation_detail"]


class HttpError(Exception):
    """
    Raised inside a handler to answer ``status`` with the JSON body ``{"detail": detail}``.
    """

    def __init__(self, status: int, detail: Any, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail
        self.headers: dict[str, str] = dict(headers or {})


class ScriptError(HttpError):
    """
    A scripted step cannot be played against this request (a mistake in the test's script).

    Answered as ``500`` so the test fails loudly instead of receiving something plausible.
    """

    def __init__(self, message: str) -> None:
        super().__init__(500, f"Emulator script error: {message}")


_SEGMENT = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]|\[(['\"])(.*?)\3\]")


def loc_from_path(path: str) -> list[str | int]:
    """
    Turn a converter path such as ``body.messages[0].content`` into ``["body", "messages", 0, "content"]``.
    """
    head, _, rest = path.partition(".")
    head, bracket, tail = head.partition("[")
    rest = (
        (bracket + tail + ("." + rest if rest else "")) if bracket else ("." + rest if rest else "")
    )
    loc: list[str | int] = [head]
    for match in _SEGMENT.finditer(rest):
        name, index, _, key = match.groups()
        if name is not None:
            loc.append(name)
        elif index is not None:
            loc.append(int(index))
        else:
            loc.append(key)
    return loc


def _error_type(message: str) -> str:
    if message.startswith("required field missing"):
        return "missing"
    if message.startswith(("unknown ", "expected one of")):
        return "literal_error"
    if message.startswith("extra field"):
        return "extra_forbidden"
    if message.startswith("expected"):
        return "type_error"
    return "value_error"


def validation_detail(errors: list[str]) -> list[dict[str, Any]]:
    """
    Turn ``"problem @ path"`` lines (from `sequrity._converter`) into FastAPI ``detail`` entries.

    Args:
        errors: Converter messages, each ending in `` @ <path>``.

    Returns:
        A list of ``{"type", "loc", "msg"}`` objects, one per message, in order.
    """
    detail: list[dict[str, Any]] = []
    for line in errors:
        message, sep, path = line.rpartition(" @ ")
        if not sep:
            message, path = line, "body"
        msg = "Field required" if message == "required field missing" else message
        detail.append({"type": _error_type(message), "loc": loc_from_path(path), "msg": msg})
    return detail
