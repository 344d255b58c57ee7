"""`AsyncSequrityClient`: owns the configuration and the transport, and exposes `.control`."""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from ._converter import structure_fast, validation_messages
from ._core._errors import error_from_response, is_error_object, request_id_of
from ._core._limits import DEFAULT_LIMITS, Limits
from ._core._raw import capture_var
from ._core._retry import RetryPolicy
from ._core._retrying import Attempts, RetryHook, run_with_retries
from ._core._sse import ServerSentEvent
from ._core._stream import AsyncStream
from ._core._transport import DEFAULT_MAX_CONNECTIONS, AiohttpTransport, AsyncTransport
from ._core._wire import ApiRequest, ApiResponse, StreamingResponse, Timeout
from ._exceptions import (
    SequrityAPIError,
    SequrityDecodeError,
    SequrityStreamError,
    SequrityValidationError,
)
from ._logging import log_exchange, logger
from ._sentinel import NOT_GIVEN, NotGiven
from ._version import __version__
from .control._client import AsyncControl
from .control._config import ControlConfig
from .control._request import ClientState, check_header_value, merge_headers
from .control._urls import normalize_base_url

if TYPE_CHECKING:
    import aiohttp

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "AsyncSequrityClient"]

T = TypeVar("T")

DEFAULT_BASE_URL = "https://api.sequrity.ai"
DEFAULT_TIMEOUT = Timeout()
DEFAULT_RETRY = RetryPolicy()
USER_AGENT = f"sequrity-python/{__version__}"


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve_api_key(api_key: str | None) -> str:
    """
    Return `api_key`, else ``$SEQURITY_API_KEY``.

    Raises:
        SequrityValidationError: neither is set (the message names the variable).
    """
    key = api_key if api_key else os.environ.get("SEQURITY_API_KEY", "")
    if not key:
        raise SequrityValidationError(
            "no Sequrity API key: pass api_key=... or set the SEQURITY_API_KEY environment variable"
        )
    return key


def resolve_base_url(base_url: str | None) -> str:
    """Return `base_url`, else ``$SEQURITY_BASE_URL``, else the public endpoint; normalised."""
    url = base_url or os.environ.get("SEQURITY_BASE_URL", "") or DEFAULT_BASE_URL
    return normalize_base_url(url)


class AsyncSequrityClient:
    """
    The asynchronous client of the Sequrity Control API.

    Create one per event loop and reuse it: it pools connections. Use ``async with`` or call
    `aclose()` when done.

    Args:
        api_key: Your Sequrity API key; defaults to ``$SEQURITY_API_KEY``.
        base_url: Defaults to ``$SEQURITY_BASE_URL``, else ``https://api.sequrity.ai``.
        timeout: Default deadlines: a `Timeout`, or a number of seconds for the total deadline.
        control: Default security configuration, provider and endpoint type for every call.
        max_connections: Connection-pool size (ignored when `transport` or `http_session` is given).
        default_headers: Extra headers sent with every request.
        transport: A custom `AsyncTransport` (for example an in-memory one in tests).
        http_session: An `aiohttp.ClientSession` to send through; you keep ownership of it.
        allow_insecure_http: Allow sending the API key over plain ``http://`` to a host that is not
            loopback. Off by default: the key would travel in clear text.
        track_sessions: Reuse the last answer's session id for later calls that pass none (the
            official SDK's behaviour). Off by default: concurrent conversations would share one
            session; prefer ``client.control.session()`` handles.
        retry: Default `RetryPolicy` (2 retries with backoff); an int sets the number of
            retries, `None` disables retrying.
        on_retry: Called with a `RetryEvent` before each retry (also logged on the
            ``sequrity`` logger).
        limits: Size limits on responses (`Limits`): body, decompressed body, event-stream line
            and event. The defaults bound a hostile server's answer to a few hundred MB.

    Raises:
        SequrityValidationError: no API key, a malformed base URL, or plain HTTP to a remote host.
    """

    control: AsyncControl

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: Timeout | float | None = DEFAULT_TIMEOUT,
        control: ControlConfig | None = None,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        default_headers: Mapping[str, str] | None = None,
        transport: AsyncTransport | None = None,
        http_session: aiohttp.ClientSession | None = None,
        allow_insecure_http: bool = False,
        track_sessions: bool = False,
        retry: RetryPolicy | int | None = DEFAULT_RETRY,
        on_retry: RetryHook | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        key = resolve_api_key(api_key)
        url = resolve_base_url(base_url)
        if url.lower().startswith("http://") and not allow_insecure_http and not _is_loopback(url):
            raise SequrityValidationError(
                f"refusing to send the API key over plain http to {url}; use https, or pass "
                "allow_insecure_http=True if this network is trusted"
            )
        headers = {
            "Authorization": "Bearer " + check_header_value("api_key", key),
            "User-Agent": USER_AGENT,
            "Content-Type": "application/json",
        }
        if default_headers:
            merge_headers(headers, default_headers)
        if control is not None and not isinstance(control, ControlConfig):
            raise SequrityValidationError(
                f"control must be a sequrity.control.ControlConfig, got {type(control).__name__}"
            )
        if not isinstance(limits, Limits):
            raise SequrityValidationError(
                f"limits must be a sequrity.Limits, got {type(limits).__name__}"
            )
        base_timeout = Timeout.coerce(timeout, DEFAULT_TIMEOUT)
        self._state = ClientState(url, headers, base_timeout, control or ControlConfig(), limits)
        if transport is None:
            transport = AiohttpTransport(max_connections=max_connections, session=http_session)
        self._transport = transport
        self._retry = RetryPolicy.coerce(retry, DEFAULT_RETRY)
        self._on_retry = on_retry
        self.control = AsyncControl(self, track_sessions=track_sessions)

    # -- public --------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The normalised base URL requests go to."""
        return self._state.base_url

    @property
    def timeout(self) -> Timeout:
        """The client's default deadlines."""
        return self._state.timeout

    @property
    def config(self) -> ControlConfig:
        """The client's default `ControlConfig`."""
        return self._state.config

    @property
    def limits(self) -> Limits:
        """The client's response size limits."""
        return self._state.limits

    async def aclose(self) -> None:
        """Close the connection pool. The client cannot be used afterwards."""
        await self._transport.aclose()

    async def close(self) -> None:
        """The official SDK's name of `aclose`."""
        await self.aclose()

    async def __aenter__(self) -> AsyncSequrityClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"<AsyncSequrityClient base_url={self._state.base_url!r}>"

    # -- used by the resources -----------------------------------------------------------------

    @property
    def retry(self) -> RetryPolicy:
        """The client's default retry policy."""
        return self._retry

    def _policy(self, retry: RetryPolicy | int | None | NotGiven) -> RetryPolicy:
        return self._retry if retry is NOT_GIVEN else RetryPolicy.coerce(retry, self._retry)

    async def _send(
        self, request: ApiRequest, retry: RetryPolicy | int | None | NotGiven = NOT_GIVEN
    ) -> ApiResponse:
        transport = self._transport

        async def attempt() -> ApiResponse:
            response = await transport.send(request)
            if logger.isEnabledFor(logging.DEBUG):
                log_exchange(
                    request.method,
                    request.url,
                    request.headers,
                    request.body,
                    response.status,
                    response.headers,
                    response.body,
                    response.elapsed,
                )
            if response.status >= 300:
                raise self._status_error(
                    response.status, response.headers, response.body, request.url
                )
            return response

        capture = capture_var.get()
        if capture is None:
            return await run_with_retries(request, attempt, self._policy(retry), self._on_retry)
        book = Attempts()
        response = await run_with_retries(
            request, attempt, self._policy(retry), self._on_retry, book
        )
        capture.status, capture.headers, capture.body = (
            response.status,
            response.headers,
            response.body,
        )
        capture.url, capture.method = request.url, request.method
        capture.retries, capture.elapsed = book.retries, book.elapsed
        return response

    def _status_error(
        self, status: int, headers: Mapping[str, str], body: bytes, url: str | None = None
    ) -> SequrityAPIError:
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

    def _decode(
        self,
        response: ApiResponse,
        cls: type[T],
        inject: Callable[[dict[str, Any]], None] | None = None,
        fast: Callable[[Any], T | None] | None = None,
    ) -> T:
        text = ""
        try:
            data = json.loads(response.body)
        except ValueError:
            text = response.body.decode("utf-8", "replace")
            raise SequrityDecodeError(
                "the server's answer is not JSON",
                status_code=response.status,
                body=text,
                request_id=request_id_of(response.headers),
                headers=response.headers,
            ) from None
        if not isinstance(data, dict):
            raise SequrityDecodeError(
                f"expected a JSON object, got {type(data).__name__}",
                status_code=response.status,
                body=response.body.decode("utf-8", "replace"),
                request_id=request_id_of(response.headers),
                headers=response.headers,
            )
        if is_error_object(data):
            # A success status carrying {"error": {...}}: the server's message, not a shape error.
            raise error_from_response(response.status, response.headers, response.body)
        if inject is not None:
            inject(data)
        if fast is not None:
            shortcut = fast(data)
            if shortcut is not None:
                return shortcut
        try:
            return structure_fast(data, cls)
        except Exception as exc:
            problems = validation_messages(exc, "$")
            raise SequrityDecodeError(
                f"the server's answer does not match {cls.__name__}: " + "; ".join(problems[:5]),
                status_code=response.status,
                body=response.body.decode("utf-8", "replace"),
                request_id=request_id_of(response.headers),
                headers=response.headers,
            ) from None

    async def _request(
        self,
        request: ApiRequest,
        cls: type[T],
        retry: RetryPolicy | int | None | NotGiven = NOT_GIVEN,
        fast: Callable[[Any], T | None] | None = None,
    ) -> T:
        response = await self._send(request, retry)
        headers = response.headers
        session_id = headers.get("X-Session-ID")
        request_id = request_id_of(headers)

        def inject(data: dict[str, Any]) -> None:
            data["session_id"] = session_id
            data["request_id"] = request_id

        return self._decode(response, cls, inject, fast)

    async def _stream(
        self,
        request: ApiRequest,
        decode: Callable[[Any, ServerSentEvent], T | None],
        *,
        require_done: bool,
        retry: RetryPolicy | int | None | NotGiven = NOT_GIVEN,
        terminator: str = "[DONE]",
    ) -> AsyncStream[T]:
        transport = self._transport

        async def attempt() -> StreamingResponse:
            started = time.perf_counter()
            response = await transport.open_stream(request)
            if logger.isEnabledFor(logging.DEBUG):
                log_exchange(
                    request.method,
                    request.url,
                    request.headers,
                    request.body,
                    response.status,
                    response.headers,
                    None,
                    time.perf_counter() - started,
                    streaming=True,
                )
            media_type = response.headers.get("Content-Type", "").partition(";")[0].strip()
            if response.status >= 300 or media_type not in ("", "text/event-stream"):
                try:
                    body = await response.read()
                finally:
                    await response.aclose()
                if response.status >= 300:
                    raise self._status_error(response.status, response.headers, body, request.url)
                raise self._not_a_stream(response.status, response.headers, media_type, body)
            return response

        # Only opening the stream is retried; once events flow, a failure is the caller's to see.
        book = Attempts()
        response = await run_with_retries(
            request, attempt, self._policy(retry), self._on_retry, book
        )
        headers = response.headers
        capture = capture_var.get()
        if capture is not None:
            capture.status, capture.headers = response.status, headers
            capture.url, capture.method = request.url, request.method
            capture.retries, capture.elapsed = book.retries, book.elapsed
        return AsyncStream(
            response,
            decode,
            session_id=headers.get("X-Session-ID"),
            request_id=request_id_of(headers),
            require_done=require_done,
            terminator=terminator,
            idle_timeout=request.timeout.stream_idle,
            limits=request.limits,
            owner=self,
        )

    def _not_a_stream(
        self, status: int, headers: Mapping[str, str], media_type: str, body: bytes
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


def __getattr__(name: str) -> Any:
    """The official SDK's `sequrity._client.SequrityClient` (the blocking client imports us)."""
    from ._lazy import blocking_twin

    return blocking_twin(__name__, name, {"SequrityClient": "sequrity._sync_client:SequrityClient"})
