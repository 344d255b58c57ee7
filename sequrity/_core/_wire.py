"""Immutable values that cross the transport boundary: requests, responses and timeouts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, Protocol

import attrs

from .._exceptions import SequrityValidationError, redact_headers
from ._limits import DEFAULT_LIMITS, Limits

__all__ = ["ApiRequest", "ApiResponse", "StreamingResponse", "Timeout"]


def _check_positive(instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int | float) or not value > 0
    ):
        raise SequrityValidationError(
            f"Timeout.{attribute.name} must be a positive number of seconds or None, got {value!r}"
        )


@attrs.frozen
class Timeout:
    """
    Deadlines for one request, in seconds; `None` means no limit.

    Attributes:
        connect: Establishing the TCP/TLS connection (including waiting for a pooled one).
        read: The longest wait for response bytes: for the headers, then for each further
            piece of the body (on a stream, time spent between reads does not count).
        total: The whole request, from sending until the body (not a stream) has arrived.
        stream_idle: The longest gap between two events of an event stream.
    """

    connect: float | None = attrs.field(default=10.0, validator=_check_positive)
    read: float | None = attrs.field(default=300.0, validator=_check_positive)
    total: float | None = attrs.field(default=600.0, validator=_check_positive)
    stream_idle: float | None = attrs.field(default=None, validator=_check_positive)

    @classmethod
    def coerce(cls, value: Timeout | float | None, base: Timeout) -> Timeout:
        """
        Turn a per-call ``timeout=`` argument into a `Timeout`.

        A number sets the total deadline and keeps the other limits of `base`; `None` removes every
        limit; a `Timeout` is used as given.
        """
        if isinstance(value, Timeout):
            return value
        if value is None:
            return cls(connect=None, read=None, total=None, stream_idle=None)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SequrityValidationError(
                f"timeout must be a number of seconds, a sequrity.Timeout or None, got {value!r}"
            )
        return attrs.evolve(base, total=float(value))


@attrs.frozen(repr=False)
class ApiRequest:
    """
    One HTTP request, fully built and ready to send.

    `headers` holds every header including credentials; `repr()` redacts them. A transport
    enforces `timeout` (connect and read) and `limits` (body sizes) while it reads the answer.
    """

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes | None
    timeout: Timeout
    stream: bool = False
    limits: Limits = DEFAULT_LIMITS

    def __repr__(self) -> str:
        return (
            f"ApiRequest(method={self.method!r}, url={self.url!r}, "
            f"headers={redact_headers(self.headers)!r}, body=<{len(self.body or b'')} bytes>, "
            f"stream={self.stream!r})"
        )


@attrs.frozen(repr=False)
class ApiResponse:
    """
    One complete HTTP response.

    Attributes:
        status: The HTTP status code.
        headers: Case-insensitive response headers.
        body: The raw body bytes.
        elapsed: Seconds from sending the request until the body had arrived.
    """

    status: int
    headers: Mapping[str, str]
    body: bytes
    elapsed: float = 0.0
    url: str = ""

    def __repr__(self) -> str:
        return (
            f"ApiResponse(status={self.status}, headers={redact_headers(self.headers)!r}, "
            f"body=<{len(self.body)} bytes>)"
        )


class StreamingResponse(Protocol):
    """
    A response whose body is still arriving; the transport hands it out for event streams.

    The caller must call `aclose()` exactly once when done; it is safe to call it again. A
    response whose release never waits may also offer ``release_now()``, a plain method doing
    what `aclose()` does: streams then call it instead, with no cancellation point to guard.
    """

    @property
    def status(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def url(self) -> str: ...

    def iter_chunks(self) -> AsyncIterator[bytes]:
        """Yield body bytes as they arrive, in chunks of any size."""
        ...

    async def read(self) -> bytes:
        """Read the rest of the body (used for error responses)."""
        ...

    async def aclose(self) -> None:
        """Release the connection; safe to call more than once."""
        ...
