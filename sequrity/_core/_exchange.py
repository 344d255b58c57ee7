"""
`AsyncExchange`: how one client talks to the server. It owns the transport, the retry policy and its
``on_retry`` hook, the defaults requests are built from (`state`, opaque here), and the decoding of
answers: status errors, JSON, and structuring into the caller's type. Resources hold one; a copy may
be bound to a fan-out's rate-limit gate (`gated`) or record raw responses (`recording`).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Generic, NoReturn, TypeVar

import attrs

from .._exceptions import SequrityDecodeError, SequrityError, SequrityTimeoutError
from .._logging import log_exchange, logger
from .._sentinel import NOT_GIVEN, NotGiven
from . import _json
from ._errors import error_from_response, is_error_object, not_a_stream_error, request_id_of
from ._errors import status_error as _status_error
from ._gate import RateGate
from ._raw import RawResponse, Recorder
from ._retry import RetryPolicy
from ._retrying import Attempts, RetryHook, retry_after_first, run_with_retries
from ._seam import AsyncTransport, DeadlineTransport
from ._sse import ServerSentEvent
from ._stream import AsyncStream, DataDecoder
from ._wire import ApiRequest, ApiResponse, StreamingResponse

__all__ = ["AsyncExchange", "Explain", "Structure", "decode_object"]

S = TypeVar("S")
T = TypeVar("T")

#: Structures decoded JSON into a class (the converter's fast path); raises on a mismatch.
Structure = Callable[[Any, type[Any]], Any]
#: Explains a structuring failure as messages with JSON paths (the converter's detailed path).
Explain = Callable[[BaseException], list[str]]
#: An exact shortcut for common shapes: the structured value, or `None` to use `Structure`.
Fast = Callable[[Any], T | None]
#: A decoder of one stream event (see `AsyncStream`).
EventDecode = Callable[[Any, ServerSentEvent], T | None]
Retry = RetryPolicy | int | None | NotGiven


def _decode_error(response: ApiResponse, message: str) -> SequrityDecodeError:
    return SequrityDecodeError(
        message,
        status_code=response.status,
        body=response.body.decode("utf-8", "replace"),
        request_id=request_id_of(response.headers),
        headers=response.headers,
    )


def _log(
    request: ApiRequest,
    status: int,
    headers: Mapping[str, str],
    body: bytes | None,
    elapsed: float,
    *,
    streaming: bool = False,
) -> None:
    log_exchange(
        request.method,
        request.url,
        request.headers,
        request.body,
        status,
        headers,
        body,
        elapsed,
        streaming=streaming,
    )


def _checked(request: ApiRequest, response: ApiResponse) -> ApiResponse:
    """`response` to `request`, logged; an error status or a redirect raised as its typed error."""
    if logger.isEnabledFor(logging.DEBUG):
        _log(request, response.status, response.headers, response.body, response.elapsed)
    if response.status >= 300:
        raise _status_error(response.status, response.headers, response.body, request.url)
    return response


def decode_object(
    response: ApiResponse,
    cls: type[T],
    structure: Structure,
    explain: Explain,
    fast: Fast[T] | None = None,
) -> T:
    """
    Decode a successful answer into `cls` (pure): parse the JSON object, add the ``session_id``
    and ``request_id`` of its headers, then try `fast`, else `structure`.

    Raises:
        SequrityDecodeError: not JSON, not an object, or not the shape of `cls` (the message
            names the JSON paths).
        SequrityAPIError: a success status carrying ``{"error": {...}}`` (the server's message).
    """
    try:
        data = _json.loads(response.body)
    except ValueError:
        raise _decode_error(response, "the server's answer is not JSON") from None
    if not isinstance(data, dict):
        raise _decode_error(response, f"expected a JSON object, got {type(data).__name__}")
    headers = response.headers
    if is_error_object(data):
        # A success status carrying {"error": {...}}: the server's message, not a shape error.
        raise error_from_response(response.status, headers, response.body)
    data["session_id"] = headers.get("X-Session-ID")
    data["request_id"] = request_id_of(headers)
    if fast is not None:
        shortcut = fast(data)
        if shortcut is not None:
            return shortcut
    try:
        value: T = structure(data, cls)
    except Exception as exc:
        problems = explain(exc)
        raise _decode_error(
            response,
            f"the server's answer does not match {cls.__name__}: " + "; ".join(problems[:5]),
        ) from None
    return value


@attrs.frozen(kw_only=True, eq=False)
class AsyncExchange(Generic[S]):
    """
    One client's way to the server: send a built `ApiRequest` (with retries, under one total
    deadline), map error statuses to typed errors, and decode the answer or open the stream.

    Attributes:
        transport: Sends requests (the only I/O).
        state: What requests are built from (for the Control API, its `ClientState`).
        retry: The default `RetryPolicy`; a call may pass another.
        structure: Structures decoded JSON into a class.
        explain: Explains a structuring failure (JSON paths) for the `SequrityDecodeError`.
        on_retry: Called with a `RetryEvent` before each retry.
        gate: The rate-limit gate every attempt passes (a fan-out's), or `None`.
        recorder: Receives the `RawResponse` of every request (raw access), or `None`.
    """

    transport: AsyncTransport
    state: S
    retry: RetryPolicy
    structure: Structure
    explain: Explain
    on_retry: RetryHook | None = None
    gate: RateGate | None = None
    recorder: Recorder | None = None
    # The transport enforces the total deadline of an attempt itself (no timer around it).
    _timed: DeadlineTransport | None = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        transport = self.transport
        timed = transport if isinstance(transport, DeadlineTransport) else None
        object.__setattr__(self, "_timed", timed)

    # -- copies ------------------------------------------------------------------------------------

    def gated(self, gate: RateGate) -> AsyncExchange[S]:
        """This exchange with every attempt passing `gate` (one fan-out's shared gate)."""
        return attrs.evolve(self, gate=gate)

    def recording(self, recorder: Recorder) -> AsyncExchange[S]:
        """This exchange handing the `RawResponse` of each request to `recorder`."""
        return attrs.evolve(self, recorder=recorder)

    def policy(self, retry: Retry) -> RetryPolicy:
        """The retry policy of a call: its own `retry` argument, else the default."""
        return self.retry if retry is NOT_GIVEN else RetryPolicy.coerce(retry, self.retry)

    # -- complete answers --------------------------------------------------------------------------

    async def send(
        self, request: ApiRequest, retry: Retry = NOT_GIVEN, attempts: Attempts | None = None
    ) -> ApiResponse:
        """
        Send `request` until it succeeds or the retry policy gives up; return the answer.

        Raises:
            SequrityAPIError: an error status (after retries), or a redirect.
            SequrityConnectionError: no usable answer (a `SequrityTimeoutError` for deadlines).
        """
        transport = self.transport
        timed = self._timed

        async def attempt(deadline: float | None) -> ApiResponse:
            if timed is not None:
                return _checked(request, await timed.send_by(request, deadline))
            return _checked(request, await transport.send(request))

        policy = self.retry if retry is NOT_GIVEN else RetryPolicy.coerce(retry, self.retry)
        return await run_with_retries(
            request, attempt, policy, self.on_retry, attempts, self.gate, timed=timed is not None
        )

    async def request(
        self,
        request: ApiRequest,
        cls: type[T],
        *,
        retry: Retry = NOT_GIVEN,
        fast: Fast[T] | None = None,
    ) -> T:
        """
        Send `request` and decode the answer into `cls` (see `decode_object`).

        Raises:
            SequrityAPIError, SequrityConnectionError: as for `send`.
            SequrityDecodeError: the answer is not a `cls`.
        """
        if self.recorder is not None:
            raw = await self.request_raw(request, cls, retry=retry, fast=fast)
            self.recorder.keep(raw)
            return raw.parse()
        timed = self._timed
        if timed is None or self.gate is not None:
            response = await self.send(request, retry)
        else:
            # `send`'s first attempt, inline: most requests need no other (see `_retry_first`).
            policy = self.retry if retry is NOT_GIVEN else RetryPolicy.coerce(retry, self.retry)
            deadline = _deadline(request)
            try:
                response = _checked(request, await timed.send_by(request, deadline))
            except SequrityError as error:
                failed = error
            except TimeoutError:
                raise _first_attempt_over_total(request) from None
            else:
                return decode_object(response, cls, self.structure, self.explain, fast)
            response = await self._retry_first(request, policy, failed, deadline)
        return decode_object(response, cls, self.structure, self.explain, fast)

    async def _retry_first(
        self,
        request: ApiRequest,
        policy: RetryPolicy,
        failed: SequrityError,
        deadline: float | None,
    ) -> ApiResponse:
        """
        `send`'s retries after a first attempt that `request` ran inline (a timed transport, no
        gate) and that failed with `failed`.
        """
        timed = self._timed
        assert timed is not None

        async def attempt(deadline: float | None) -> ApiResponse:
            return _checked(request, await timed.send_by(request, deadline))

        return await retry_after_first(request, attempt, policy, self.on_retry, failed, deadline)

    async def request_raw(
        self,
        request: ApiRequest,
        cls: type[T],
        *,
        retry: Retry = NOT_GIVEN,
        fast: Fast[T] | None = None,
    ) -> RawResponse[T]:
        """Like `request`, with the answer's status, headers, retries and timing."""
        book = Attempts()
        response = await self.send(request, retry, book)
        return RawResponse.build(
            status=response.status,
            headers=response.headers,
            url=request.url,
            method=request.method,
            retries=book.retries,
            elapsed=book.elapsed,
            parsed=decode_object(response, cls, self.structure, self.explain, fast),
            body=response.body,
        )

    # -- event streams -----------------------------------------------------------------------------

    async def _open(
        self, request: ApiRequest, retry: Retry, book: Attempts | None
    ) -> StreamingResponse:
        transport = self.transport
        timed = self._timed

        async def attempt(deadline: float | None) -> StreamingResponse:
            if timed is not None:
                return await _open_timed(timed, request, deadline)
            started = time.perf_counter()
            response = await transport.open_stream(request)
            if not _is_stream(request, response, started):
                await _refuse(request, response)
            return response

        # Only opening the stream is retried; once events flow, a failure is the caller's to see.
        return await run_with_retries(
            request,
            attempt,
            self.policy(retry),
            self.on_retry,
            book,
            self.gate,
            timed=timed is not None,
        )

    async def _open_first(self, request: ApiRequest, retry: Retry) -> StreamingResponse:
        """
        `_open` (timed transport, no gate, no `Attempts`) with its first attempt inline: most
        streams open at once, without the retry loop's coroutines and closure.
        """
        timed = self._timed
        assert timed is not None
        policy = self.policy(retry)  # a bad `retry` is refused before anything is sent
        deadline = _deadline(request)
        try:
            # `_open_timed`, inlined (one coroutine fewer on every stream).
            started = time.perf_counter()
            response = await timed.open_stream_by(request, deadline)
            if not _is_stream(request, response, started):
                await _refuse(request, response)
            return response
        except SequrityError as error:
            failed = error
        except TimeoutError:
            raise _first_attempt_over_total(request) from None
        attempt = functools.partial(_open_timed, timed, request)
        return await retry_after_first(request, attempt, policy, self.on_retry, failed, deadline)

    async def stream(
        self,
        request: ApiRequest,
        decode: EventDecode[T],
        *,
        require_done: bool,
        terminator: str = "[DONE]",
        retry: Retry = NOT_GIVEN,
        decode_data: DataDecoder[T] | None = None,
    ) -> AsyncStream[T]:
        """
        Open the event stream of `request` (retrying only the opening) and return it; `decode`
        turns each event into a typed value (`decode_data`, when given, the data of the plain
        unnamed events of each network read, as bytes: the same values, without building events).

        Raises:
            SequrityAPIError, SequrityConnectionError: as for `send`.
            SequrityStreamError: the server answered with a complete body, not a stream.
        """
        if self.recorder is not None:
            raw = await self.stream_raw(
                request,
                decode,
                require_done=require_done,
                terminator=terminator,
                retry=retry,
                decode_data=decode_data,
            )
            self.recorder.keep(raw)
            return raw.parse()
        if self._timed is not None and self.gate is None:
            response = await self._open_first(request, retry)
        else:
            response = await self._open(request, retry, None)
        return self._events(request, response, decode, require_done, terminator, decode_data)

    async def stream_raw(
        self,
        request: ApiRequest,
        decode: EventDecode[T],
        *,
        require_done: bool,
        terminator: str = "[DONE]",
        retry: Retry = NOT_GIVEN,
        decode_data: DataDecoder[T] | None = None,
    ) -> RawResponse[AsyncStream[T]]:
        """Like `stream`, with the answer's status, headers, retries and time to the headers."""
        book = Attempts()
        response = await self._open(request, retry, book)
        return RawResponse.build(
            status=response.status,
            headers=response.headers,
            url=request.url,
            method=request.method,
            retries=book.retries,
            elapsed=book.elapsed,
            parsed=self._events(request, response, decode, require_done, terminator, decode_data),
            body=None,
        )

    def _events(
        self,
        request: ApiRequest,
        response: StreamingResponse,
        decode: EventDecode[T],
        require_done: bool,
        terminator: str,
        decode_data: DataDecoder[T] | None,
    ) -> AsyncStream[T]:
        headers: Mapping[str, str] = response.headers
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
            decode_data=decode_data,
        )

    async def aclose(self) -> None:
        """Close the transport (its connection pool)."""
        await self.transport.aclose()


async def _open_timed(
    timed: DeadlineTransport, request: ApiRequest, deadline: float | None
) -> StreamingResponse:
    """One attempt at opening the event stream of `request`, by `deadline`."""
    started = time.perf_counter()
    response = await timed.open_stream_by(request, deadline)
    if not _is_stream(request, response, started):
        await _refuse(request, response)
    return response


def _is_stream(request: ApiRequest, response: StreamingResponse, started: float) -> bool:
    """Whether `response` (just opened) is an event stream; logs it."""
    if logger.isEnabledFor(logging.DEBUG):
        elapsed = time.perf_counter() - started
        _log(request, response.status, response.headers, None, elapsed, streaming=True)
    if response.status >= 300:
        return False
    media_type = response.headers.get("Content-Type", "").partition(";")[0].strip()
    return media_type in ("", "text/event-stream")


async def _refuse(request: ApiRequest, response: StreamingResponse) -> NoReturn:
    """Read `response` (an error, or not an event stream), release it and raise its error."""
    try:
        body = await response.read()
    finally:
        await response.aclose()
    if response.status >= 300:
        raise _status_error(response.status, response.headers, body, request.url)
    media_type = response.headers.get("Content-Type", "").partition(";")[0].strip()
    raise not_a_stream_error(response.status, response.headers, media_type, body)


def _deadline(request: ApiRequest) -> float | None:
    """The loop time by which `request` must be over (its total timeout), or `None`."""
    total = request.timeout.total
    return None if total is None else asyncio.get_running_loop().time() + total


def _first_attempt_over_total(request: ApiRequest) -> SequrityTimeoutError:
    """The error of a first attempt, run inline, that outlasted the total timeout."""
    return SequrityTimeoutError(
        "total", request.timeout.total, url=request.url, detail="after 1 attempt(s)"
    )
