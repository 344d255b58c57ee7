"""The error tree: every exception a public call can raise derives from `SequrityError`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "APIResponseValidationError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTooLargeError",
    "SequrityAPIError",
    "SequrityConnectionError",
    "SequrityDecodeError",
    "SequrityError",
    "SequrityLimitError",
    "SequrityStreamError",
    "SequrityTimeoutError",
    "SequrityValidationError",
    "ServiceUnavailableError",
    "UnprocessableEntityError",
]

#: Header names whose values are credentials; they never appear in an error or a repr.
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "api-key",
        "cookie",
        "set-cookie",
        "x-sequrity-api-key",
    }
)
REDACTED = "<redacted>"


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """
    Return a plain copy of `headers` with every credential value replaced by ``<redacted>``.
    """
    return {k: (REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()}


def _restore(cls: type[SequrityError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    """Rebuild a pickled error without calling its ``__init__`` (whose signature varies)."""
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class SequrityError(Exception):
    """
    Base class of every error raised by this package.

    Every error pickles (and copies) to an equal error, so it can cross a process boundary
    (`multiprocessing`, `concurrent.futures.ProcessPoolExecutor`).
    """

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception's own reduce calls ``cls(*args)``, which fails for keyword-only arguments.
        return (_restore, (type(self), self.args, self._pickle_state()))

    def _pickle_state(self) -> dict[str, Any]:
        return dict(self.__dict__)


class SequrityValidationError(SequrityError, ValueError):
    """
    The caller's input was refused before anything was sent.

    Attributes:
        errors: One human-readable line per problem, each naming the offending field.
    """

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors: list[str] = errors if errors is not None else [message]


class SequrityConnectionError(SequrityError):
    """
    No usable response arrived: the connection failed, was reset, or the server broke the protocol.
    """

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url


class SequrityTimeoutError(SequrityConnectionError):
    """
    A deadline fired.

    Attributes:
        kind: Which limit fired: ``"connect"``, ``"read"``, ``"total"`` or ``"stream_idle"``.
        timeout: The limit, in seconds.
    """

    def __init__(
        self, kind: str, timeout: float | None, *, url: str | None = None, detail: str = ""
    ) -> None:
        limit = f"{timeout:g} s" if timeout is not None else "the configured limit"
        text = f"{kind} timeout: no answer within {limit}"
        if detail:
            text = f"{text} ({detail})"
        super().__init__(text, url=url)
        self.kind = kind
        self.timeout = timeout


class _ResponseError(SequrityError):
    """Shared shape of errors that come with an HTTP response."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: str | bytes,
        request_id: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.body = body
        self.request_id = request_id
        self.headers: dict[str, str] = redact_headers(headers or {})
        # Response headers as received (a case-insensitive mapping): read by retry decisions.
        # Responses carry no request credentials; Set-Cookie is still redacted in `headers`.
        self._raw_headers: Mapping[str, str] = headers if headers is not None else {}

    def __str__(self) -> str:
        rid = f" (request id {self.request_id})" if self.request_id else ""
        return f"[{self.status_code}] {self.message}{rid}"

    def _pickle_state(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        # The received headers are a transport's (unpicklable) mapping and may hold cookies: a
        # pickled error keeps the redacted ones, with lower-case names for case-free lookups.
        state["_raw_headers"] = {k.lower(): v for k, v in self.headers.items()}
        return state


class SequrityDecodeError(_ResponseError):
    """
    The server answered, but the body is not JSON or not of the expected shape.

    The raw body text is kept in `body`; `status_code` is the HTTP status.
    """


#: Kept for readers who know the name from other SDKs.
APIResponseValidationError = SequrityDecodeError


class SequrityStreamError(_ResponseError):
    """
    An event stream broke: it ended before its terminator, carried undecodable data, or reported an
    in-band error event.

    Attributes:
        events_received: How many events had been delivered before the failure.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int = 200,
        body: str | bytes = "",
        request_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        events_received: int = 0,
    ) -> None:
        super().__init__(
            message, status_code=status_code, body=body, request_id=request_id, headers=headers
        )
        self.events_received = events_received


class SequrityLimitError(_ResponseError):
    """
    A response crossed one of the client's `Limits` and was abandoned while being read (its
    connection closed); nothing beyond the limit was held in memory. Not retried.

    Attributes:
        limit: Which limit fired: ``"max_body_size"``, ``"max_decompressed_size"``,
            ``"max_sse_line"`` or ``"max_sse_event"`` (a field of `Limits`).
        max_size: The limit that was crossed (bytes; characters for the event-stream limits).
        url: The URL of the request.
        body: The first KiB of what arrived, for diagnosis.
    """

    def __init__(
        self,
        limit: str,
        max_size: int,
        *,
        url: str | None = None,
        status_code: int = 200,
        body: str = "",
        request_id: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        what = _LIMITED.get(limit, limit)
        message = (
            f"{what} exceeded Limits.{limit} ({max_size:,} bytes) and was abandoned; if such "
            f"answers are expected, raise the limit: AsyncSequrityClient(..., "
            f"limits=Limits({limit}=...)) (SequrityClient takes the same argument)"
        )
        super().__init__(
            message, status_code=status_code, body=body, request_id=request_id, headers=headers
        )
        self.limit = limit
        self.max_size = max_size
        self.url = url


#: What each limit measures, for `SequrityLimitError` messages.
_LIMITED = {
    "max_body_size": "the response body",
    "max_decompressed_size": "the decompressed response body",
    "max_sse_line": "a line of the event stream",
    "max_sse_event": "an event of the event stream",
}


class SequrityAPIError(_ResponseError):
    """
    The server answered with an HTTP error status (>= 400).

    Attributes:
        status_code: The HTTP status.
        message: The server's `detail` (or `message`), else the raw text.
        body: The decoded JSON body when it was JSON, else the raw text.
        request_id: The server's request id header, when it sent one.
        headers: The response headers, credentials redacted.
    """

    body: Any

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: Any,
        request_id: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            message, status_code=status_code, body=body, request_id=request_id, headers=headers
        )


class BadRequestError(SequrityAPIError):
    """HTTP 400: the server refused the request (for example an invalid configuration header)."""


class AuthenticationError(SequrityAPIError):
    """HTTP 401: the Sequrity API key is missing or wrong."""


class PermissionDeniedError(SequrityAPIError):
    """HTTP 403: the key may not use this route, model or feature."""


class NotFoundError(SequrityAPIError):
    """
    HTTP 404: unknown route, or an unknown or expired session.

    Attributes:
        url: The URL that was not found, when known; shown in the message, so that a wrong base
            URL is plain to see.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: Any,
        request_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(
            message, status_code=status_code, body=body, request_id=request_id, headers=headers
        )
        self.url = url

    def __str__(self) -> str:
        where = f" at {self.url}" if self.url else ""
        rid = f" (request id {self.request_id})" if self.request_id else ""
        return f"[{self.status_code}] {self.message}{where}{rid}"


class ConflictError(SequrityAPIError):
    """HTTP 409: the request conflicts with the session's state."""


class RequestTooLargeError(SequrityAPIError):
    """HTTP 413: the request (often a large policy in a header) is too large."""


class UnprocessableEntityError(SequrityAPIError):
    """HTTP 422: the body did not match the endpoint's schema."""


class RateLimitError(SequrityAPIError):
    """
    HTTP 429: too many requests.

    Attributes:
        retry_after: Seconds the server asked the caller to wait, when it said so.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: Any,
        request_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message, status_code=status_code, body=body, request_id=request_id, headers=headers
        )
        self.retry_after = retry_after


class InternalServerError(SequrityAPIError):
    """HTTP 5xx (other than 503): the server failed."""


class ServiceUnavailableError(InternalServerError):
    """HTTP 503: the server or an upstream provider is temporarily unavailable."""
