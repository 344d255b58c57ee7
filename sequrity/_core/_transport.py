"""
`AiohttpTransport`, the default implementation of the transport seam (`_seam`): the only module of
the SDK that imports aiohttp. Every aiohttp exception is turned into the typed error tree here.
"""

from __future__ import annotations

import asyncio
import importlib
import time
import weakref
from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any

from .._exceptions import (
    REDACTED,
    SECRET_HEADERS,
    SequrityConnectionError,
    SequrityError,
    SequrityTimeoutError,
)
from ._bodies import read_body
from ._deadlines import Deadlines
from ._seam import AsyncTransport, DeadlineTransport
from ._wire import ApiRequest, ApiResponse, StreamingResponse, Timeout

__all__ = ["DEFAULT_MAX_CONNECTIONS", "AiohttpTransport", "AsyncTransport", "DeadlineTransport"]

#: Default connection-pool size. aiohttp's own default silently caps a client at 100.
DEFAULT_MAX_CONNECTIONS = 1000

_ABANDONED: list[aiohttp.ClientSession] = []

#: Exceptions a transport call may raise; aiohttp's base class joins once aiohttp is loaded.
_TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (OSError, TimeoutError, ValueError)


#: The deadlines of each attempt getting its connection, by the task running it (see
#: `_connector_type`). A plain dict: a context variable cost three objects per request.
_CONNECTING: dict[asyncio.Task[Any], Deadlines] = {}


class _LazyAiohttp:
    """
    Stands in for the aiohttp module until first use: importing aiohttp costs about as much as
    the rest of ``import sequrity``, and a program may never send a request (or bring its own
    transport).
    """

    def __getattr__(self, name: str) -> Any:
        global aiohttp, _TRANSPORT_ERRORS
        module = importlib.import_module("aiohttp")
        aiohttp = module
        _TRANSPORT_ERRORS = (module.ClientError, OSError, TimeoutError, ValueError)
        return getattr(module, name)


if TYPE_CHECKING:
    import aiohttp
else:
    aiohttp = _LazyAiohttp()


def _map_error(exc: BaseException, request: ApiRequest, phase: str) -> SequrityError:
    """
    Translate an aiohttp/asyncio failure into the typed error tree (pure).

    Callers raise the result outside their ``except`` block: aiohttp's exceptions hold the request
    (with its credentials) and must not stay reachable as ``__cause__`` or ``__context__``.
    """
    t = request.timeout
    url = request.url
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return SequrityTimeoutError("connect", t.connect, url=url)
    if isinstance(exc, aiohttp.SocketTimeoutError | aiohttp.ServerTimeoutError):
        return SequrityTimeoutError("read", t.read, url=url)
    if isinstance(exc, TimeoutError):
        return SequrityTimeoutError("total", t.total, url=url)
    if isinstance(exc, aiohttp.ClientConnectorError):
        detail = _scrub(str(exc.os_error or exc), request)
        return SequrityConnectionError(
            f"cannot connect to {exc.host}:{exc.port}: {detail}", url=url
        )
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return SequrityConnectionError(f"server disconnected {phase}", url=url)
    if isinstance(exc, aiohttp.ClientPayloadError):
        return SequrityConnectionError(
            f"response body broken {phase}: {_scrub(str(exc), request)}", url=url
        )
    if isinstance(exc, aiohttp.ClientResponseError):
        # aiohttp reports a response it cannot parse as status 400, which the server never sent.
        return SequrityConnectionError(
            f"the server broke the HTTP protocol {phase}: {_scrub(exc.message, request)}", url=url
        )
    detail = _scrub(str(exc), request) or type(exc).__name__
    return SequrityConnectionError(f"connection failed {phase}: {detail}", url=url)


def _scrub(text: str, request: ApiRequest) -> str:
    """`text` with every credential header value of `request` replaced (a server may echo them)."""
    for name, value in request.headers.items():
        if name.lower() in SECRET_HEADERS and value:
            text = text.replace(value, REDACTED)
            if " " in value:  # "Bearer <key>": the key alone is a secret too
                text = text.replace(value.split(" ", 1)[1], REDACTED)
    return text


class _AiohttpStream:
    """
    A `StreamingResponse` over an open aiohttp response, and its own chunk iterator (a class
    rather than an async generator: a generator left unfinished, as a stream ending at its
    ``[DONE]`` leaves it, is finalised later by the loop with a wake-up and a task).

    It watches the read timeout itself, with one lazily moved timer per stream (aiohttp's
    ``sock_read`` sets a new timer for every network read): a read that waits longer than
    ``read`` seconds for bytes fails with a ``read`` `SequrityTimeoutError`. Only waiting counts,
    so a reader that is slow to come back for more is never timed out.
    """

    __slots__ = (
        "__weakref__",
        "_closed",
        "_content",
        "_loop",
        "_open",
        "_read",
        "_request",
        "_response",
        "_timer",
        "_timer_at",
        "_waiting_since",
        "session",
    )

    def __init__(
        self,
        response: aiohttp.ClientResponse,
        request: ApiRequest,
        session: aiohttp.ClientSession,
        read: float | None,
        open_streams: set[_AiohttpStream] | None = None,
    ) -> None:
        self._response = response
        #: The transport's open streams: this one is in it until released.
        self._open = open_streams
        if open_streams is not None:
            open_streams.add(self)
        self._content = response.content
        self._request = request
        self._closed = False
        self.session = session
        #: The read timeout watched here (`None`: not watched, or aiohttp's ``sock_read`` does).
        self._read = read
        self._loop = asyncio.get_running_loop()
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = 0.0
        #: The loop time the pending read started waiting, or `None` when no read waits.
        self._waiting_since: float | None = None

    @property
    def status(self) -> int:
        return self._response.status

    @property
    def headers(self) -> Mapping[str, str]:
        return self._response.headers

    @property
    def url(self) -> str:
        return self._request.url

    def iter_chunks(self) -> AsyncIterator[bytes]:
        return self

    def __aiter__(self) -> _AiohttpStream:
        return self

    async def __anext__(self) -> bytes:
        content = self._content
        read = self._read
        # Once the whole body has arrived no read can wait: no timer (the usual short answer).
        watched = False
        if read is not None and not content.is_eof():
            watched = True
            self._waiting_since = since = self._loop.time()
            if self._timer is None:
                self._timer_at = at = since + read
                self._timer = self._loop.call_at(at, self._check_read)
        try:
            chunk = await content.readany()
        except _TRANSPORT_ERRORS as exc:
            error = _map_error(exc, self._request, "while streaming")
        except RuntimeError:
            # aiohttp's reader refuses to wait on a connection that was closed under it (the
            # client was closed while the stream was open).
            error = SequrityConnectionError(
                "the connection was closed while streaming (was the client closed?)",
                url=self._request.url,
            )
        else:
            if chunk:
                return chunk
            raise StopAsyncIteration
        finally:
            if watched:
                self._waiting_since = None
        raise error

    def _check_read(self) -> None:
        """The read timer: fail the waiting read that is overdue, or move the timer on."""
        self._timer = None
        since, read = self._waiting_since, self._read
        if since is None or read is None or self._closed:
            return  # no read waits: the next one sets the timer again
        due = since + read
        # Due by the time the timer was set for: it has passed (the loop may run a timer up to
        # its clock's resolution early, so its own clock is not asked).
        if due <= self._timer_at:
            self._content.set_exception(SequrityTimeoutError("read", read, url=self._request.url))
        else:
            self._timer_at = due
            self._timer = self._loop.call_at(due, self._check_read)

    def _stop_watching(self) -> None:
        timer = self._timer
        if timer is not None:
            timer.cancel()
            self._timer = None

    async def read(self) -> bytes:
        read = self._read
        if read is None:  # aiohttp's sock_read watches it (a caller's session), or nothing does
            try:
                return await read_body(self._response, self._request)
            except _TRANSPORT_ERRORS as exc:
                error: BaseException = _map_error(exc, self._request, "while reading the body")
            raise error
        # The body of an error answer (or of one that is no stream): read whole, by the read
        # timeout, as a complete answer's body is.
        deadlines = Deadlines(None, read, None)
        deadlines.connected()
        try:
            return await read_body(self._response, self._request, deadlines)
        except BaseException as exc:
            error = _failure(exc, deadlines, self._request, "while reading the body")
        finally:
            deadlines.stop()
        raise error

    def close_now(self) -> None:
        """Drop the connection at once (the client is closing under this stream)."""
        if not self._closed:
            self._closed = True
            self._stop_watching()
            if self._open is not None:
                self._open.discard(self)
            self._response.close()

    async def aclose(self) -> None:
        self.release_now()

    def release_now(self) -> None:
        """`aclose()`, which never needs to wait here (see `StreamingResponse`)."""
        if self._closed:
            return
        self._closed = True
        if self._timer is not None:
            self._stop_watching()
        if self._open is not None:
            self._open.discard(self)
        if self._content.at_eof():
            self._response.release()
        else:
            # Unread bytes remain: the connection cannot be reused, so drop it now rather than
            # leaving it to the garbage collector.
            self._response.close()


def _failure(
    exc: BaseException, deadlines: Deadlines, request: ApiRequest, phase: str
) -> BaseException:
    """
    What to raise for `exc`: the timeout of a deadline that passed (a total one as `TimeoutError`,
    which the caller names), a typed transport error, or anything else as it is.
    """
    if isinstance(exc, (asyncio.CancelledError, *_TRANSPORT_ERRORS)):
        kind = deadlines.expired()
        if kind == "total":
            return TimeoutError()
        if kind is not None:
            t = request.timeout
            return SequrityTimeoutError(
                kind, t.connect if kind == "connect" else t.read, url=request.url
            )
    if isinstance(exc, _TRANSPORT_ERRORS):
        return _map_error(exc, request, phase)
    return exc


#: The auto header a request without its own User-Agent asks aiohttp to skip.
_SKIP_USER_AGENT = ("User-Agent",)

_connector_class: type[aiohttp.TCPConnector] | None = None


def _connector_type() -> type[aiohttp.TCPConnector]:
    """aiohttp's connector, telling the attempt's `Deadlines` when its connection is ready."""
    global _connector_class
    if _connector_class is None:

        class _Connector(aiohttp.TCPConnector):
            async def connect(self, req: Any, traces: Any, timeout: Any) -> Any:
                connection = await super().connect(req, traces, timeout)
                task = asyncio.current_task()
                deadlines = None if task is None else _CONNECTING.get(task)
                if deadlines is not None:
                    deadlines.connected()
                return connection

        _connector_class = _Connector
    return _connector_class


class AiohttpTransport:
    """
    The default transport: one `aiohttp.ClientSession` per client, created lazily inside the
    running event loop, with an explicit connection-pool limit.

    Args:
        max_connections: Pool size across all hosts (aiohttp's silent default is 100).
        max_connections_per_host: Per-host cap; 0 means only `max_connections` applies.
        session: An `aiohttp.ClientSession` to use instead of creating one; the caller keeps
            ownership and closes it.
        trust_env: Honour ``HTTP(S)_PROXY`` and ``.netrc`` like aiohttp does when True.
        multi_loop: Keep one session (and pool) per event loop instead of refusing a second
            loop; the blocking client uses this, running each calling thread's own loop.
    """

    def __init__(
        self,
        *,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        max_connections_per_host: int = 0,
        session: aiohttp.ClientSession | None = None,
        trust_env: bool = False,
        multi_loop: bool = False,
    ) -> None:
        if max_connections < 1 or max_connections_per_host < 0:
            raise ValueError("max_connections must be >= 1 and max_connections_per_host >= 0")
        self._limit = max_connections
        self._limit_per_host = max_connections_per_host
        self._trust_env = trust_env
        self._session = session
        self._owns_session = session is None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._timeouts: dict[Timeout, aiohttp.ClientTimeout] = {}
        self._last_timeout: tuple[Timeout, aiohttp.ClientTimeout] | None = None
        self._closed = False
        if multi_loop and session is not None:
            raise ValueError("multi_loop transports create their own sessions")
        self._multi_loop = multi_loop
        self._sessions: dict[asyncio.AbstractEventLoop, aiohttp.ClientSession] = {}
        # Multi-loop mode: loops whose session `aclose_loop` closed. A late call on one (a retry
        # still running while the blocking client closes) is refused rather than given a new
        # session that nobody would close.
        self._closed_loops: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()
        # Streams still open, closed with their session when the client closes (a stream leaves
        # it when released; a plain set: a weak one costs a weak reference and its callback).
        self._streams: set[_AiohttpStream] = set()

    def _client_timeout(self, t: Timeout) -> aiohttp.ClientTimeout:
        last = self._last_timeout
        if last is not None and last[0] is t:
            # Nearly every request of a client has the client's timeout: no hashing it.
            return last[1]
        ct = self._timeouts.get(t)
        if ct is None:
            if self._owns_session:
                # `Deadlines` watches connecting (the pool wait included) and reading, up to a
                # stream's headers; a stream's reads after them are watched by the stream.
                ct = aiohttp.ClientTimeout()
            else:
                # The caller's connector cannot say when it has connected: aiohttp watches both.
                ct = aiohttp.ClientTimeout(connect=t.connect, sock_read=t.read)
            self._timeouts[t] = ct
        self._last_timeout = (t, ct)
        return ct

    def _skip_headers(self, headers: Mapping[str, str]) -> tuple[str, ...] | None:
        """
        aiohttp's own User-Agent is never sent by our sessions: a request without one (our
        requests all have one) asks aiohttp to skip it. (Telling the session once instead costs
        aiohttp two header copies on every request.)
        """
        if not self._owns_session or "User-Agent" in headers:
            return None
        if any(name.lower() == "user-agent" for name in headers):
            return None
        return _SKIP_USER_AGENT

    def _deadlines(self, t: Timeout, deadline: float | None) -> Deadlines:
        if not self._owns_session:
            return Deadlines(None, None, deadline)
        return Deadlines(t.connect, t.read, deadline)

    def _get_session(self) -> aiohttp.ClientSession:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise SequrityError(
                "the async client needs a running asyncio event loop (use SequrityClient from "
                "blocking code)"
            ) from None
        if self._multi_loop:
            found = self._sessions.get(loop)
            if found is not None:
                return found
            if self._closed or loop in self._closed_loops:
                raise SequrityError("this client has been closed; create a new one")
            found = self._sessions[loop] = self._new_session()
            return found
        session = self._session
        if session is not None and self._loop is loop:
            return session
        if self._closed:
            raise SequrityError("this client has been closed; create a new one")
        if session is not None and not self._owns_session:
            self._loop = loop
            return session
        if session is not None and self._loop is not None and not self._loop.is_closed():
            raise SequrityError(
                "this async client is bound to another event loop; create one client per loop "
                "(or use SequrityClient, which owns its loop)"
            )
        self._session = session = self._new_session()
        self._loop = loop
        return session

    def _new_session(self) -> aiohttp.ClientSession:
        connector = _connector_type()(
            limit=self._limit, limit_per_host=self._limit_per_host, ttl_dns_cache=300
        )
        return aiohttp.ClientSession(
            connector=connector,
            trust_env=self._trust_env,
            auto_decompress=True,
        )

    async def send(self, request: ApiRequest) -> ApiResponse:
        """Send `request` and return the complete response (see `AsyncTransport.send`)."""
        return await self.send_by(request, None)

    async def send_by(self, request: ApiRequest, deadline: float | None) -> ApiResponse:
        session = self._get_session()
        start = time.perf_counter()
        deadlines = self._deadlines(request.timeout, deadline)
        task = deadlines.task
        _CONNECTING[task] = deadlines
        try:
            async with session.request(
                request.method,
                request.url,
                data=request.body,
                headers=request.headers,
                timeout=self._client_timeout(request.timeout),
                allow_redirects=False,
                skip_auto_headers=self._skip_headers(request.headers),
            ) as resp:
                body = await read_body(resp, request, deadlines)
                elapsed = time.perf_counter() - start
                return ApiResponse(resp.status, resp.headers, body, elapsed, request.url)
        except BaseException as exc:
            error = _failure(exc, deadlines, request, "before a complete response")
        finally:
            deadlines.stop()
            del _CONNECTING[task]
        raise error

    async def open_stream(self, request: ApiRequest) -> StreamingResponse:
        """Send `request` and return once its headers have arrived (an event stream)."""
        return await self.open_stream_by(request, None)

    async def open_stream_by(
        self, request: ApiRequest, deadline: float | None
    ) -> StreamingResponse:
        session = self._get_session()
        deadlines = self._deadlines(request.timeout, deadline)
        task = deadlines.task
        _CONNECTING[task] = deadlines
        try:
            resp = await session.request(
                request.method,
                request.url,
                data=request.body,
                headers=request.headers,
                timeout=self._client_timeout(request.timeout),
                allow_redirects=False,
                skip_auto_headers=self._skip_headers(request.headers),
            )
        except BaseException as exc:
            error = _failure(exc, deadlines, request, "before the response headers")
        else:
            # A session of ours leaves the stream's reads to the stream (see `_client_timeout`).
            read = request.timeout.read if self._owns_session else None
            return _AiohttpStream(resp, request, session, read, self._streams)
        finally:
            deadlines.stop()
            del _CONNECTING[task]
        raise error

    @property
    def per_loop(self) -> bool:
        """True in multi-loop mode: one session (and pool) per event loop (`LoopTransport`)."""
        return self._multi_loop

    def forget_after_fork(self) -> None:
        """
        Drop the session of the parent process's loop without closing it (in a forked child that
        loop never runs again); the next request creates a fresh session.
        """
        self._streams = set()  # the parent's, on connections this process must not touch
        if self._multi_loop:
            _ABANDONED.extend(self._sessions.values())
            self._sessions = {}
            self._closed_loops = weakref.WeakSet()
            return
        if self._owns_session:
            if self._session is not None:
                # Keep it referenced: collecting it would warn about a session that, in this
                # process, can neither be used nor closed.
                _ABANDONED.append(self._session)
            self._session = None
            self._loop = None
            self._timeouts = {}
            self._last_timeout = None

    async def aclose_loop(self) -> None:
        """
        Multi-loop mode: close the session of the running loop only; the transport stays open.
        Otherwise the transport has one loop, and this closes it (`aclose`).
        """
        if not self._multi_loop:
            await self.aclose()
            return
        loop = asyncio.get_running_loop()
        self._closed_loops.add(loop)
        session = self._sessions.pop(loop, None)
        if session is not None:
            self._close_streams(session)
            if not session.closed:
                await session.close()

    def _close_streams(self, session: aiohttp.ClientSession) -> None:
        for stream in list(self._streams):
            if stream.session is session:
                stream.close_now()

    async def aclose(self) -> None:
        """Close every connection (and the session, unless you passed your own)."""
        self._closed = True
        if self._multi_loop:
            await self.aclose_loop()
            return
        session, self._session = self._session, None
        if session is not None:
            self._close_streams(session)
            if self._owns_session and not session.closed:
                await session.close()
