"""
Raw-response access: ``resource.with_raw_response.method(...)`` returns a `RawResponse` (status,
headers, request id, retries taken, elapsed time) whose `parse()` gives the usual typed result.
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from .._exceptions import redact_headers

if TYPE_CHECKING:
    from ._runner import BlockingRunner

__all__ = ["AsyncRawView", "RawCapture", "RawResponse", "RawView", "capture_var"]

T = TypeVar("T")


@attrs.define
class RawCapture:
    """Filled by the client while a raw call runs (one per call, never shared)."""

    status: int = 0
    headers: Mapping[str, str] = attrs.field(factory=dict)
    url: str = ""
    method: str = ""
    retries: int = 0
    elapsed: float = 0.0
    body: bytes | None = None


#: Set (inside the running task) by `AsyncRawView`; read by the client after each response.
capture_var: contextvars.ContextVar[RawCapture | None] = contextvars.ContextVar(
    "sequrity_raw_capture", default=None
)


@attrs.frozen(repr=False)
class RawResponse(Generic[T]):
    """
    An HTTP response with its typed result.

    Attributes:
        status_code: The HTTP status.
        headers: The response headers (cookies redacted).
        request_id: The server's request id, when it sent one.
        session_id: The ``X-Session-ID`` response header.
        retries: How many retries the call took (0 when the first attempt succeeded).
        elapsed: Seconds from the first attempt until the response (headers, for streams).
        url: The URL requested.
        method: The HTTP method.
    """

    status_code: int
    headers: Mapping[str, str]
    request_id: str | None
    session_id: str | None
    retries: int
    elapsed: float
    url: str
    method: str
    _parsed: T
    _body: bytes | None = None

    def parse(self) -> T:
        """Return the typed result (the same object the plain call returns)."""
        return self._parsed

    @property
    def text(self) -> str | None:
        """The raw body as text (`None` for streams, whose body is still arriving)."""
        return None if self._body is None else self._body.decode("utf-8", "replace")

    def __repr__(self) -> str:
        return (
            f"RawResponse(status_code={self.status_code}, request_id={self.request_id!r}, "
            f"retries={self.retries}, elapsed={self.elapsed:.3f}, url={self.url!r})"
        )


def _build(capture: RawCapture, parsed: Any) -> RawResponse[Any]:
    return RawResponse(
        status_code=capture.status,
        headers=redact_headers(capture.headers),
        request_id=_first(capture.headers, ("x-request-id", "request-id")),
        session_id=_first(capture.headers, ("x-session-id",)),
        retries=capture.retries,
        elapsed=capture.elapsed,
        url=capture.url,
        method=capture.method,
        parsed=parsed,
        body=capture.body,
    )


def _first(headers: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    lowered = {k.lower(): v for k, v in headers.items()}
    return next((lowered[n] for n in names if lowered.get(n)), None)


class AsyncRawView:
    """
    ``resource.with_raw_response``: the resource's methods, each returning a `RawResponse`.
    """

    def __init__(self, resource: object) -> None:
        self._resource = resource

    def __getattr__(self, name: str) -> Callable[..., Awaitable[RawResponse[Any]]]:
        method = getattr(self._resource, name)
        if name.startswith("_") or not callable(method):
            raise AttributeError(name)

        async def call(*args: Any, **kwargs: Any) -> RawResponse[Any]:
            capture = RawCapture()
            token = capture_var.set(capture)
            try:
                parsed = await method(*args, **kwargs)
            finally:
                capture_var.reset(token)
            return _build(capture, parsed)

        call.__name__ = name
        call.__doc__ = getattr(method, "__doc__", None)
        return call


class RawView:
    """The blocking ``resource.with_raw_response``."""

    def __init__(self, view: AsyncRawView, runner: BlockingRunner) -> None:
        self._view = view
        self._runner = runner

    def __getattr__(self, name: str) -> Callable[..., RawResponse[Any]]:
        async_call = getattr(self._view, name)

        def call(*args: Any, **kwargs: Any) -> RawResponse[Any]:
            from ._blocking_stream import Stream
            from ._stream import AsyncStream

            raw: RawResponse[Any]
            raw, handle = self._runner.run_with_handle(async_call(*args, **kwargs))
            parsed = raw.parse()
            if isinstance(parsed, AsyncStream):
                raw = attrs.evolve(raw, parsed=Stream(parsed, handle, self._runner))
            return raw

        call.__name__ = name
        return call
