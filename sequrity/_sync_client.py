"""
`SequrityClient`: the blocking client. It runs the async core through a `BlockingRunner`: each call
on an event loop of the calling thread, or on one shared loop thread (see `_core/_runner.py`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine, Mapping
from types import TracebackType
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from ._client import DEFAULT_RETRY, DEFAULT_TIMEOUT, AsyncSequrityClient
from ._core._limits import DEFAULT_LIMITS, Limits
from ._core._loop_transport import for_blocking
from ._core._retry import RetryPolicy
from ._core._retrying import RetryHook
from ._core._runner import BlockingRunner
from ._core._transport import DEFAULT_MAX_CONNECTIONS, AiohttpTransport, AsyncTransport
from ._core._wire import Timeout
from ._sync.control._client import Control
from .control._config import ControlConfig

__all__ = ["SequrityClient", "with_blocking_client"]

P = ParamSpec("P")
T = TypeVar("T")


class SequrityClient:
    """
    The blocking client of the Sequrity Control API.

    Every call runs the same code as `AsyncSequrityClient`, on an event loop of the calling thread
    (one per thread, kept between calls, each with its own connection pool), so a call costs no
    thread hop. One client may be shared by many threads; it also works inside a running event loop
    (Jupyter, async web frameworks: such calls go to a shared loop thread) and in a child process
    after `os.fork()`. Consume a stream in the thread that opened it.
    Use ``with`` or call `close()` when done; a forgotten client is closed when it is garbage
    collected and never keeps the interpreter from exiting.

    Args:
        api_key: Your Sequrity API key; defaults to ``$SEQURITY_API_KEY``.
        base_url: Defaults to ``$SEQURITY_BASE_URL``, else ``https://api.sequrity.ai``.
        timeout: Default deadlines: a `Timeout`, or a number of seconds for the total deadline.
        control: Default security configuration, provider and endpoint type for every call.
        max_connections: Connection-pool size.
        default_headers: Extra headers sent with every request.
        transport: A custom `AsyncTransport`. Unless it also implements `LoopTransport` (keeping
            separate state per event loop), every call through it runs on one shared loop
            thread, whatever thread makes the call. Closed by `close()`.
        allow_insecure_http: Allow sending the API key over plain ``http://`` to a remote host.
        track_sessions: Reuse the last answer's session id for later calls that pass none (the
            official SDK's behaviour); prefer ``client.control.session()`` handles.
        retry: Default `RetryPolicy`; an int sets the number of retries, `None` disables them.
        on_retry: Called with a `RetryEvent` before each retry (on the loop running the call:
            usually the calling thread's own).
        limits: Size limits on responses (`Limits`): body, decompressed body, event-stream line
            and event. The defaults bound a hostile server's answer to a few hundred MB.

    Raises:
        SequrityValidationError: no API key, a malformed base URL, or plain HTTP to a remote host.
    """

    control: Control

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
        allow_insecure_http: bool = False,
        track_sessions: bool = False,
        retry: RetryPolicy | int | None = DEFAULT_RETRY,
        on_retry: RetryHook | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        if transport is None:
            # One pool per calling thread's loop: blocking calls run on the caller's own loop.
            transport = AiohttpTransport(max_connections=max_connections, multi_loop=True)
        self._async = AsyncSequrityClient(
            api_key,
            base_url=base_url,
            timeout=timeout,
            control=control,
            max_connections=max_connections,
            default_headers=default_headers,
            transport=transport,
            allow_insecure_http=allow_insecure_http,
            track_sessions=track_sessions,
            retry=retry,
            on_retry=on_retry,
            limits=limits,
        )
        # Every facade, session handle and stream holds the runner, so the client stays open while
        # any of them is in use; when the last is gone, the runner's finalizer closes every loop's
        # pool, then the loops. A closed runner refuses later calls.
        self._runner = BlockingRunner(for_blocking(transport))
        self.control = Control(self._async.control, self._runner)

    @property
    def async_client(self) -> AsyncSequrityClient:
        """
        The `AsyncSequrityClient` this client runs (its transport keeps one connection pool per
        event loop the runner drives).
        """
        return self._async

    @property
    def base_url(self) -> str:
        """The normalised base URL requests go to."""
        return self._async.base_url

    @property
    def timeout(self) -> Timeout:
        """The client's default deadlines."""
        return self._async.timeout

    @property
    def config(self) -> ControlConfig:
        """The client's default `ControlConfig`."""
        return self._async.config

    @property
    def limits(self) -> Limits:
        """The client's response size limits."""
        return self._async.limits

    def close(self) -> None:
        """Close the connection pools (and a custom transport) and the loops. Idempotent."""
        self._runner.close()

    def __enter__(self) -> SequrityClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<SequrityClient base_url={self._async.base_url!r}>"


def with_blocking_client(
    function: Callable[Concatenate[AsyncSequrityClient, P], Coroutine[Any, Any, T]],
) -> Callable[Concatenate[SequrityClient, P], T]:
    """
    The blocking twin of an async function whose first argument is an `AsyncSequrityClient`: it
    takes a `SequrityClient` instead and runs the function on that client's runner (same other
    arguments; Ctrl-C cancels it).
    """

    @functools.wraps(function)
    def call(client: SequrityClient, *args: P.args, **kwargs: P.kwargs) -> T:
        return client._runner.run(function(client._async, *args, **kwargs))

    call.__name__ = call.__qualname__ = function.__name__ + "_sync"
    call.__doc__ = f"""
    `{function.__name__}` for a blocking `SequrityClient` (the same arguments; callbacks run on
    the event loop of the call). Ctrl-C cancels it.
    """
    return cast("Callable[Concatenate[SequrityClient, P], T]", call)
