"""Pure mapping from an HTTP error response to the typed error tree."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .._exceptions import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    SequrityAPIError,
    SequrityStreamError,
    ServiceUnavailableError,
    UnprocessableEntityError,
)
from ._retry import parse_retry_after

__all__ = [
    "REQUEST_ID_HEADERS",
    "error_from_response",
    "is_error_object",
    "not_a_stream_error",
    "request_id_of",
    "status_error",
]

_BY_STATUS: dict[int, type[SequrityAPIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: RequestTooLargeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    503: ServiceUnavailableError,
}

#: Response headers that carry a request id, in order of preference.
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-sequrity-request-id", "x-amzn-requestid")


def request_id_of(headers: Mapping[str, str]) -> str | None:
    """
    Return the server's request id from `headers` (case-insensitive), or `None`.
    """
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return value
    return None


def _describe_detail(detail: Any) -> str:
    # FastAPI validation errors: [{"loc": ["body", "messages", 0], "msg": "...", "type": ...}]
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, Mapping) and "msg" in item:
                loc = ".".join(str(p) for p in item.get("loc", ()) or ())
                parts.append(f"{loc}: {item['msg']}" if loc else str(item["msg"]))
            else:
                parts.append(json.dumps(item, ensure_ascii=False, default=str))
        return "; ".join(parts)
    if isinstance(detail, str):
        return detail
    return json.dumps(detail, ensure_ascii=False, default=str)


def message_of(status: int, body: Any, text: str) -> str:
    """
    Pick the human-readable message of an error body: `detail`, then `message`, then `error`
    (a string or an object with a `message`), else the raw text, else ``HTTP <status>``.
    """
    if isinstance(body, Mapping):
        for key in ("detail", "message"):
            if body.get(key) not in (None, ""):
                return _describe_detail(body[key])
        error = body.get("error")
        if isinstance(error, Mapping) and error.get("message"):
            return str(error["message"])
        if isinstance(error, str) and error:
            return error
    stripped = text.strip()
    return stripped[:2000] if stripped else f"HTTP {status}"


#: Keys of a real answer (chat completion, message, response): an object with one of them is an
#: answer, even when it has an ``error`` member (a failed Responses answer does).
_ANSWER_KEYS = frozenset({"id", "object", "choices", "content", "output"})


def is_error_object(data: Mapping[str, Any]) -> bool:
    """
    Whether a JSON object sent with a success status is an error report rather than an answer:
    ``{"error": {...}}`` (OpenAI style, possibly with a few other keys) or ``{"type": "error",
    "error": {...}}`` (Anthropic style).
    """
    if not data.get("error"):
        return False
    return data.get("type") == "error" or _ANSWER_KEYS.isdisjoint(data)


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    raw: bytes,
    *,
    now: float | None = None,
    url: str | None = None,
) -> SequrityAPIError:
    """
    Build the typed error for an HTTP error response (or a success response whose body is an
    error object, see `is_error_object`).

    Args:
        status: HTTP status (>= 400, or the status of a success that carried an error object).
        headers: Response headers (case-insensitive mapping).
        raw: The raw body.
        now: Current UNIX time, for `Retry-After` dates (tests pass a fixed value).
        url: The request's URL; a `NotFoundError` keeps it and names it in its message.

    Returns:
        The `SequrityAPIError` subclass for `status`, keeping the decoded body (JSON when it was
        JSON, else the text), the request id and the redacted headers.
    """
    text = raw.decode("utf-8", "replace")
    body: Any
    try:
        body = json.loads(text) if text else text
    except ValueError:
        body = text
    message = message_of(status, body, text)
    request_id = request_id_of(headers)
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else SequrityAPIError
    if cls is NotFoundError:
        return NotFoundError(
            message, status_code=status, body=body, request_id=request_id, headers=headers, url=url
        )
    if cls is RateLimitError:
        return RateLimitError(
            message,
            status_code=status,
            body=body,
            request_id=request_id,
            headers=headers,
            retry_after=parse_retry_after(headers, now=now),
        )
    return cls(message, status_code=status, body=body, request_id=request_id, headers=headers)


def status_error(
    status: int, headers: Mapping[str, str], body: bytes, url: str | None = None
) -> SequrityAPIError:
    """
    The error for a response whose status is not a success: a redirect (never followed: the API
    key must not travel to another host) or an HTTP error (`error_from_response`).
    """
    if status < 400:
        location = headers.get("Location", "")
        return SequrityAPIError(
            f"unexpected redirect ({status}) to {location!r}; set base_url to the final URL",
            status_code=status,
            body=body.decode("utf-8", "replace"),
            request_id=request_id_of(headers),
            headers=headers,
        )
    return error_from_response(status, headers, body, url=url)


def not_a_stream_error(
    status: int, headers: Mapping[str, str], media_type: str, body: bytes
) -> SequrityAPIError | SequrityStreamError:
    """The error for a stream request answered with a complete body (JSON, HTML, ...)."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if isinstance(data, dict) and is_error_object(data):
        return error_from_response(status, headers, body)
    return SequrityStreamError(
        f"expected an event stream (text/event-stream), but the server answered {status} "
        f"with {media_type!r} ({len(body)} bytes, kept in .body)",
        status_code=status,
        body=body.decode("utf-8", "replace"),
        request_id=request_id_of(headers),
        headers=headers,
    )
