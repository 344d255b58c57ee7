"""
Raw-response access: ``resource.with_raw_response.create(...)`` returns a `RawResponse` (status,
headers, request id, retries taken, elapsed time) whose `parse()` gives the usual typed result.

The exchange builds the `RawResponse` (`AsyncExchange.request_raw`, `stream_raw`). A method's raw
twin (`raw_async`, `raw_blocking`) calls the method on a copy of its resource bound to a recording
exchange, which hands the `RawResponse` of the call's request to a `Recorder`; the twin has the
method's own signature (a `ParamSpec`), so its result is typed per method and per overload.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Generic, ParamSpec, Protocol, TypeVar, cast

import attrs

from .._exceptions import SequrityError, redact_headers
from ._errors import REQUEST_ID_HEADERS

__all__ = ["RawResponse", "Recorder", "raw_async", "raw_blocking"]

T = TypeVar("T")
U = TypeVar("U")
P = ParamSpec("P")


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

    @classmethod
    def build(
        cls,
        *,
        status: int,
        headers: Mapping[str, str],
        url: str,
        method: str,
        retries: int,
        elapsed: float,
        parsed: T,
        body: bytes | None,
    ) -> RawResponse[T]:
        """Make the raw response of one exchange (headers redacted, ids read from them)."""
        lowered = {k.lower(): v for k, v in headers.items()}
        return cls(
            status_code=status,
            headers=redact_headers(headers),
            request_id=next((lowered[n] for n in REQUEST_ID_HEADERS if lowered.get(n)), None),
            session_id=lowered.get("x-session-id") or None,
            retries=retries,
            elapsed=elapsed,
            url=url,
            method=method,
            parsed=parsed,
            body=body,
        )

    def parse(self) -> T:
        """Return the typed result (the same object the plain call returns)."""
        return self._parsed

    def with_result(self, parsed: U) -> RawResponse[U]:
        """The same response carrying another result (a blocking `Stream` for an async one)."""
        same: RawResponse[Any] = self
        return cast("RawResponse[U]", attrs.evolve(same, parsed=parsed))

    @property
    def text(self) -> str | None:
        """The raw body as text (`None` for streams, whose body is still arriving)."""
        return None if self._body is None else self._body.decode("utf-8", "replace")

    def __repr__(self) -> str:
        return (
            f"RawResponse(status_code={self.status_code}, request_id={self.request_id!r}, "
            f"retries={self.retries}, elapsed={self.elapsed:.3f}, url={self.url!r})"
        )


class Recorder:
    """Where a recording exchange leaves the `RawResponse` of the request it sent."""

    __slots__ = ("raw",)

    def __init__(self) -> None:
        self.raw: RawResponse[Any] | None = None

    def keep(self, raw: RawResponse[Any]) -> None:
        """Keep `raw` (the last request's, when a call sent several)."""
        self.raw = raw

    def response(self, result: T) -> RawResponse[T]:
        """
        The kept response, carrying `result` (what the method returned).

        Raises:
            SequrityError: the method sent no request.
        """
        if self.raw is None:
            raise SequrityError("this call sent no request, so it has no raw response")
        return self.raw.with_result(result)


class _Recordable(Protocol):
    """A resource that can make a copy of itself bound to a recording exchange."""

    def _recording(self, recorder: Recorder) -> Any: ...


class _Facade(Protocol):
    """A generated blocking facade: it runs the async object it holds."""

    _async: _Recordable


def _bound(method: Callable[..., Any]) -> tuple[Any, Callable[..., Any]]:
    owner = getattr(method, "__self__", None)
    func = getattr(method, "__func__", None)
    if owner is None or func is None:
        raise TypeError(f"expected a bound method of a resource, got {method!r}")
    return owner, func


def raw_async(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[RawResponse[T]]]:
    """
    The raw twin of an async resource method (same parameters and overloads): its result is a
    `RawResponse` around what the method returns.
    """
    owner, func = _bound(method)
    resource: _Recordable = owner

    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        recorder = Recorder()
        result: T = await func(resource._recording(recorder), *args, **kwargs)
        return recorder.response(result)

    return call


def raw_blocking(method: Callable[P, T]) -> Callable[P, RawResponse[T]]:
    """
    The raw twin of a blocking facade's method: the facade runs its async resource bound to a
    recording exchange, so a stream result is the blocking `Stream` it returns anyway.
    """
    owner, func = _bound(method)
    facade: _Facade = owner

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        recorder = Recorder()
        clone = copy.copy(facade)
        clone._async = facade._async._recording(recorder)
        result: T = func(clone, *args, **kwargs)
        return recorder.response(result)

    return call
