"""
`AsyncResource`: what every Control API resource holds (its exchange and its session binding), and
`AsyncCreateResource`: sending one ``create`` and the fan-out methods of the resources that have one
(chat, messages, responses).
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar, Unpack

from ..._core import _json
from ..._core._sse import ServerSentEvent
from ..._core._stream import AsyncStream, DataDecoder
from ..._sentinel import NOT_GIVEN
from .._request import build_control_request

if TYPE_CHECKING:
    from ..._core._exchange import AsyncExchange
    from ..._core._fanout import FanOutOptions, Outcome
    from ..._core._gate import RateGate
    from ..._core._raw import Recorder
    from .._binding import SessionBinding
    from .._options import CreateOptions
    from .._request import ClientState

__all__ = ["GENERIC_EVENT_NAMES", "AsyncCreateResource", "AsyncResource", "event_object"]

R = TypeVar("R")

#: SSE event names every stream style knows: the default name and in-band errors.
GENERIC_EVENT_NAMES = frozenset({"message", "error"})


def event_object(stream: AsyncStream[Any], event: ServerSentEvent) -> dict[str, Any] | None:
    """
    The JSON object carried by `event`. A named event (``event: ping``, say) whose data is not a
    JSON object is skipped: kept in ``stream.unknown_events``, and `None` returned.

    Raises:
        ValueError: an unnamed (or ``message``/``error``) event whose data is not a JSON object.
    """
    try:
        data = _json.loads(event.data)
    except ValueError:
        data = None
        if event.event is None or event.event in GENERIC_EVENT_NAMES:
            raise
    if isinstance(data, dict):
        return data
    if event.event is not None and event.event not in GENERIC_EVENT_NAMES:
        stream.skip(event)
        return None
    raise ValueError(f"expected a JSON object, got {type(data).__name__}")


class AsyncResource:
    """
    Base of the Control API resources: each sends through an exchange and belongs to a session
    binding (the client's, or a session handle's).
    """

    def __init__(self, exchange: AsyncExchange[ClientState], binding: SessionBinding) -> None:
        self._exchange = exchange
        self._binding = binding

    def _bound(self, exchange: AsyncExchange[ClientState]) -> Self:
        clone = copy.copy(self)
        clone._exchange = exchange
        return clone

    def _gated(self, gate: RateGate) -> Self:
        """This resource with every attempt passing `gate` (one fan-out's)."""
        return self._bound(self._exchange.gated(gate))

    def _recording(self, recorder: Recorder) -> Self:
        """This resource handing each request's `RawResponse` to `recorder` (raw access)."""
        return self._bound(self._exchange.recording(recorder))


class AsyncCreateResource(AsyncResource, Generic[R]):
    """
    Base of the resources with a ``create``: sends one, and runs many of them at once.
    """

    #: How the resource's ``create`` is named in error messages (``"chat.create"``).
    _create_name: ClassVar[str] = "create"
    #: The API suffix of the URL (``chat/completions``, ``messages``, ``responses``).
    _suffix: ClassVar[str]
    #: What a plain answer is decoded into, and an optional exact shortcut for common shapes.
    _response_type: type[R]
    _fast: Callable[[Any], R | None] | None = None
    #: Decodes one stream event; the stream's terminating event, named in "ended early" errors.
    _decode_event: Callable[[Any, ServerSentEvent], Any]
    #: Decodes the data of the plain unnamed events of a network read (the stream's fast path).
    _decode_data: DataDecoder[Any] | None = None
    _terminator: ClassVar[str]

    def _send(
        self, body: bytes, stream: bool, options: CreateOptions
    ) -> Awaitable[R | AsyncStream[Any]]:
        """
        Start one ``create``: resolve the session (the call's, else this resource's binding's),
        build the request, and return the exchange's awaitable of the decoded answer or the open
        stream. The caller awaits it and hands the result to `_observed`. (A plain function: a
        coroutine of its own would stay alive, and be resumed, for the whole request.)
        """
        exchange = self._exchange
        session = options.get("session_id", NOT_GIVEN)
        request = build_control_request(
            exchange.state,
            self._suffix,
            body,
            stream=stream,
            session=self._binding.id if session is NOT_GIVEN else session,
            **options,
        )
        retry = options.get("retry", NOT_GIVEN)
        if stream:
            return exchange.stream(
                request,
                type(self)._decode_event,
                require_done=True,
                terminator=self._terminator,
                retry=retry,
                decode_data=type(self)._decode_data,
            )
        return exchange.request(request, self._response_type, retry=retry, fast=type(self)._fast)

    def _observed(self, result: R | AsyncStream[Any]) -> R | AsyncStream[Any]:
        """`result` of `_send`, after recording the session the server answered with."""
        self._binding.observe(getattr(result, "session_id", None))
        return result

    def _caller(self, gate: RateGate) -> Callable[[Mapping[str, Any]], Awaitable[R]]:
        """Sends one request mapping of a fan-out through `gate`."""
        from ..._core._fanout import kwargs_caller  # fan-outs load on first use

        create: Callable[..., Awaitable[R]] = getattr(self._gated(gate), "create")  # noqa: B009
        return kwargs_caller(create, self._create_name)

    async def create_many(
        self,
        requests: Iterable[Mapping[str, Any]],
        **options: Unpack[FanOutOptions[Mapping[str, Any]]],
    ) -> list[Outcome[R]]:
        """
        Send many requests concurrently and return one `Outcome` per request, in input
        order.

        Each request is a mapping of `create` keyword arguments (``messages``, ``model``, ...);
        an optional ``custom_id`` key is not sent but copied to its outcome. A failed request
        becomes an outcome holding its typed error and the others go on. All requests share one
        rate-limit gate: a 429 or 503 with ``Retry-After`` pauses every worker for that long,
        instead of each retrying on its own. Cancelling the call cancels every request at once.

        Example:
            >>> outcomes = await client.control.chat.create_many(
            ...     [{"messages": [{"role": "user", "content": q}], "model": "gpt-5-mini"}
            ...      for q in questions],
            ...     concurrency=16,
            ... )
            >>> answers = [o.value.content if o.ok else None for o in outcomes]

        Args:
            requests: The requests, each a mapping of `create` keyword arguments (not ``stream``).
            **options: How to run them (see `FanOutOptions`): ``concurrency`` (32),
                ``fail_fast``, ``requests_per_minute``, ``tokens_per_minute``,
                ``estimate_tokens``, ``progress``.

        Returns:
            ``outcomes[i]`` for ``requests[i]``: `Outcome.value` is `create`'s result when
            `Outcome.ok`, else `Outcome.error` is the `SequrityError`.

        Raises:
            SequrityValidationError: bad arguments, e.g. ``concurrency < 1`` (nothing sent). A
                malformed single request is its outcome's error instead.
            SequrityError: with ``fail_fast=True``, the first request's error.
        """
        from ..._core._fanout import mapping_custom_id, new_gate, run_many

        gate = new_gate(options)
        return await run_many(
            self._caller(gate), requests, gate=gate, custom_id=mapping_custom_id, **options
        )

    def iter_many(
        self,
        requests: Iterable[Mapping[str, Any]],
        **options: Unpack[FanOutOptions[Mapping[str, Any]]],
    ) -> AsyncIterator[Outcome[R]]:
        """
        Like `create_many`, but yield each `Outcome` as soon as its request completes (use
        `Outcome.index` or `Outcome.custom_id` to match it to its request).

        Requests start when iteration starts. Leaving the loop early (``break``) or cancelling
        it cancels the requests still running; iterate to the end or close the iterator.

        Example:
            >>> async for outcome in client.control.chat.iter_many(requests, concurrency=8):
            ...     print(outcome.custom_id, outcome.ok)

        Args:
            requests: As for `create_many`.
            **options: As for `create_many` (``fail_fast`` raises the first error from the
                iterator).

        Returns:
            An iterator of outcomes, in completion order.

        Raises:
            SequrityValidationError: bad arguments (raised at once; nothing sent).
            SequrityError: with ``fail_fast=True``, the first error, from the iterator.
        """
        from ..._core._fanout import mapping_custom_id, new_gate, start_many

        gate = new_gate(options)
        return start_many(
            self._caller(gate), requests, gate=gate, custom_id=mapping_custom_id, **options
        )
