"""
The lines of a batch run (pure helpers): parsing JSONL request lines and encoding result lines
(the results file itself is handled by `_batch_output`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs

from ._converter import get_fast_converter
from ._exceptions import SequrityError

__all__ = [
    "APIS",
    "BatchItem",
    "MalformedLine",
    "api_for_url",
    "error_line",
    "parse_line",
    "response_line",
]

APIS = ("chat", "messages", "responses")
"""The APIs a batch can call: ``client.control.<api>.create``."""
_URL_SUFFIXES = {
    "/chat/completions": "chat",
    "/messages": "messages",
    "/responses": "responses",
}


@attrs.frozen(kw_only=True)
class BatchItem:
    """
    One valid input line.

    Attributes:
        line: The 1-based line number in the input file.
        custom_id: The line's ``custom_id``.
        api: ``chat``, ``messages`` or ``responses``.
        arguments: The request: `create` keyword arguments, or a wire body when `is_body`.
        is_body: The line gave an OpenAI-batch-style ``body`` (keys that are not keyword arguments
            of `create` are sent as ``extra_body``).
    """

    line: int
    custom_id: str
    api: str
    arguments: dict[str, Any]
    is_body: bool = False


@attrs.frozen(kw_only=True)
class MalformedLine:
    """
    An input line that was skipped, and why.

    Attributes:
        line: The 1-based line number.
        reason: What is wrong with it.
        custom_id: Its ``custom_id``, when it had a usable one.
    """

    line: int
    reason: str
    custom_id: str | None = None

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


def api_for_url(url: str) -> str | None:
    """The API a batch ``url`` (``/v1/chat/completions``, ``/v1/messages``, ...) names, or `None`."""
    path = url.split("?", 1)[0].rstrip("/")
    for suffix, api in _URL_SUFFIXES.items():
        if path.endswith(suffix):
            return api
    return None


def parse_line(text: str, line: int, *, api: str, model: str | None) -> BatchItem | MalformedLine:
    """
    Parse one non-blank input line (pure): a JSON object with a ``custom_id`` and either a
    ``body`` (with optional ``method``/``url``) or the `create` keyword arguments directly.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return MalformedLine(line=line, reason=f"not valid JSON ({exc.msg})")
    if not isinstance(data, dict):
        return MalformedLine(line=line, reason=f"expected a JSON object, got {type(data).__name__}")
    custom_id = data.get("custom_id")
    if not isinstance(custom_id, str) or not custom_id:
        return MalformedLine(line=line, reason="missing custom_id (a non-empty string)")
    chosen = api
    url = data.get("url")
    if url is not None:
        found = api_for_url(url) if isinstance(url, str) else None
        if found is None:
            return MalformedLine(line=line, reason=f"unknown url {url!r}", custom_id=custom_id)
        chosen = found
    method = data.get("method")
    if method is not None and str(method).upper() != "POST":
        return MalformedLine(
            line=line, reason=f"method must be POST, got {method!r}", custom_id=custom_id
        )
    if "body" in data:
        body = data["body"]
        if not isinstance(body, dict):
            return MalformedLine(
                line=line, reason="body must be a JSON object", custom_id=custom_id
            )
        arguments = dict(body)
        is_body = True
    elif url is not None or method is not None:
        return MalformedLine(
            line=line, reason="a line with url/method needs a body", custom_id=custom_id
        )
    else:
        arguments = {k: v for k, v in data.items() if k != "custom_id"}
        is_body = False
    if model is not None and "model" not in arguments:
        arguments["model"] = model
    if "model" not in arguments:
        return MalformedLine(
            line=line, reason="no model (set one, or pass --model)", custom_id=custom_id
        )
    if arguments.get("stream"):
        return MalformedLine(
            line=line, reason="stream is not supported in a batch", custom_id=custom_id
        )
    return BatchItem(
        line=line, custom_id=custom_id, api=chosen, arguments=arguments, is_body=is_body
    )


def response_line(custom_id: str, value: object) -> str:
    """The output line of a successful request."""
    response = get_fast_converter().unstructure(value)
    return _line({"custom_id": custom_id, "response": response})


def error_line(custom_id: str, error: SequrityError) -> str:
    """The output line of a failed request."""
    info: Mapping[str, Any] = {
        "type": type(error).__name__,
        "message": getattr(error, "message", None) or str(error),
        "status_code": getattr(error, "status_code", None),
        "request_id": getattr(error, "request_id", None),
    }
    return _line({"custom_id": custom_id, "error": dict(info)})


def _line(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"
