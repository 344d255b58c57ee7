"""`AsyncSequrityClient`: owns the configuration and the transport, and exposes `.control`."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._converter import structure_fast, validation_messages
from ._core._exchange import AsyncExchange
from ._core._limits import DEFAULT_LIMITS, Limits
from ._core._retry import RetryPolicy
from ._core._retrying import RetryHook
from ._core._transport import DEFAULT_MAX_CONNECTIONS, AiohttpTransport, AsyncTransport
from ._core._wire import Timeout
from ._exceptions import SequrityValidationError
from ._version import __version__
from .control._client import AsyncControl
from .control._config import ControlConfig
from .control._request import ClientState, check_header_value, merge_headers
from .control._urls import normalize_base_url

if TYPE_CHECKING:
    import aiohttp

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "AsyncSequrityClient"]

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
        if transport is None:
            transport = AiohttpTransport(max_connections=max_connections, session=http_session)
        self._transport = transport
        self._exchange = AsyncExchange(
            transport=transport,
            state=ClientState(url, headers, base_timeout, control or ControlConfig(), limits),
            retry=RetryPolicy.coerce(retry, DEFAULT_RETRY),
            structure=structure_fast,
            explain=_explain,
            on_retry=on_retry,
        )
        self.control = AsyncControl(self._exchange, track_sessions=track_sessions)

    # -- public --------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The normalised base URL requests go to."""
        return self._exchange.state.base_url

    @property
    def timeout(self) -> Timeout:
        """The client's default deadlines."""
        return self._exchange.state.timeout

    @property
    def config(self) -> ControlConfig:
        """The client's default `ControlConfig`."""
        return self._exchange.state.config

    @property
    def limits(self) -> Limits:
        """The client's response size limits."""
        return self._exchange.state.limits

    @property
    def retry(self) -> RetryPolicy:
        """The client's default retry policy."""
        return self._exchange.retry

    async def aclose(self) -> None:
        """Close the connection pool. The client cannot be used afterwards."""
        await self._exchange.aclose()

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
        return f"<AsyncSequrityClient base_url={self.base_url!r}>"


def _explain(error: BaseException) -> list[str]:
    return validation_messages(error, "$")


def __getattr__(name: str) -> Any:
    """The official SDK's `sequrity._client.SequrityClient` (the blocking client imports us)."""
    from ._lazy import blocking_twin

    return blocking_twin(__name__, name, {"SequrityClient": "sequrity._sync_client:SequrityClient"})
