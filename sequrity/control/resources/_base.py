"""
`AsyncResource`: what every Control API resource shares (its client, session, raw access), and
`AsyncCreateResource`: the fan-out methods of resources with a ``create`` (chat, messages, responses).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from ..._core._fanout import Outcome, kwargs_caller, mapping_custom_id, run_many, start_many
from ..._core._progress import ProgressCallback
from ..._core._raw import AsyncRawView
from ..._core._retry import RetryPolicy
from ..._core._sse import ServerSentEvent
from ..._core._stream import AsyncStream
from ..._sentinel import NOT_GIVEN, NotGiven
from .._request import build_control_request

if TYPE_CHECKING:
    from ..._client import AsyncSequrityClient
    from ..sessions import SessionBinding

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
        data = json.loads(event.data)
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
    Base of the Control API resources.
    """

    def __init__(self, client: AsyncSequrityClient, binding: SessionBinding | None = None) -> None:
        self._client = client
        self._binding = binding

    @property
    def with_raw_response(self) -> AsyncRawView:
        """
        The same methods, each returning a `RawResponse` (status, headers, request id, retries
        taken, elapsed time) whose ``parse()`` gives the usual result.
        """
        return AsyncRawView(self)


class AsyncCreateResource(AsyncResource, Generic[R]):
    """
    Base of the resources with a ``create``: runs many of them at once.
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
    _terminator: ClassVar[str]

    async def _exchange(
        self,
        body: bytes,
        *,
        stream: bool,
        session_id: str | None | NotGiven,
        retry: RetryPolicy | int | None | NotGiven,
        **control: Any,
    ) -> R | AsyncStream[Any]:
        """
        Send one ``create``: resolve the session (the call's, else this resource's handle's,
        else the client's), build the request, then return the decoded answer or the open
        stream, recording the session the server answered with.
        """
        client = self._client
        binding = self._binding or client.control._binding
        if session_id is NOT_GIVEN:
            session_id = binding.id
        request = build_control_request(
            client._state, self._suffix, body, stream=stream, session_id=session_id, **control
        )
        result: AsyncStream[Any] | R
        if stream:
            result = await client._stream(
                request,
                type(self)._decode_event,
                require_done=True,
                retry=retry,
                terminator=self._terminator,
            )
        else:
            result = await client._request(request, self._response_type, retry, type(self)._fast)
        binding.observe(getattr(result, "session_id", None))
        return result

    def _creator(self) -> Callable[..., Awaitable[R]]:
        create: Callable[..., Awaitable[R]] = getattr(self, "create")  # noqa: B009 - set by subclasses
        return create

    async def create_many(
        self,
        requests: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = 32,
        fail_fast: bool = False,
        requests_per_minute: int | None = None,
        tokens_per_minute: int | None = None,
        estimate_tokens: Callable[[Mapping[str, Any]], int] | None = None,
        progress: ProgressCallback | bool | None = None,
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
            ... )  # doctest: +SKIP
            >>> answers = [o.value.content if o.ok else None for o in outcomes]  # doctest: +SKIP

        Args:
            requests: The requests, each a mapping of `create` keyword arguments (not ``stream``).
            concurrency: Most requests in flight at once.
            fail_fast: Cancel the remaining requests and raise the first error.
            requests_per_minute: Ceiling of attempts (retries included) started per sliding
                minute; `None` for no ceiling.
            tokens_per_minute: Ceiling of tokens per sliding minute, counted from the
                ``usage.total_tokens`` of completed responses plus the estimates of requests in
                flight; `None` for no ceiling.
            estimate_tokens: Tokens a request is expected to use (held in the window until its
                response replaces the estimate by the actual usage).
            progress: Called with a `Progress` after each completed request (on the event loop),
                or True to draw a progress bar on stderr.

        Returns:
            ``outcomes[i]`` for ``requests[i]``: `Outcome.value` is `create`'s result when
            `Outcome.ok`, else `Outcome.error` is the `SequrityError`.

        Raises:
            SequrityValidationError: bad arguments, e.g. ``concurrency < 1`` (nothing sent). A
                malformed single request is its outcome's error instead.
            SequrityError: with ``fail_fast=True``, the first request's error.
        """
        return await run_many(
            kwargs_caller(self._creator(), self._create_name),
            requests,
            concurrency=concurrency,
            fail_fast=fail_fast,
            requests_per_minute=requests_per_minute,
            tokens_per_minute=tokens_per_minute,
            estimate_tokens=estimate_tokens,
            progress=progress,
            custom_id=mapping_custom_id,
        )

    def iter_many(
        self,
        requests: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = 32,
        fail_fast: bool = False,
        requests_per_minute: int | None = None,
        tokens_per_minute: int | None = None,
        estimate_tokens: Callable[[Mapping[str, Any]], int] | None = None,
        progress: ProgressCallback | bool | None = None,
    ) -> AsyncIterator[Outcome[R]]:
        """
        Like `create_many`, but yield each `Outcome` as soon as its request completes (use
        `Outcome.index` or `Outcome.custom_id` to match it to its request).

        Requests start when iteration starts. Leaving the loop early (``break``) or cancelling
        it cancels the requests still running; iterate to the end or close the iterator.

        Example:
            >>> async for outcome in client.control.chat.iter_many(requests, concurrency=8):
            ...     print(outcome.custom_id, outcome.ok)  # doctest: +SKIP

        Args:
            requests: As for `create_many`.
            concurrency: As for `create_many`.
            fail_fast: Stop at the first error and raise it from the iterator.
            requests_per_minute: As for `create_many`.
            tokens_per_minute: As for `create_many`.
            estimate_tokens: As for `create_many`.
            progress: As for `create_many`.

        Returns:
            An iterator of outcomes, in completion order.

        Raises:
            SequrityValidationError: bad arguments (raised at once; nothing sent).
            SequrityError: with ``fail_fast=True``, the first error, from the iterator.
        """
        return start_many(
            kwargs_caller(self._creator(), self._create_name),
            requests,
            concurrency=concurrency,
            fail_fast=fail_fast,
            requests_per_minute=requests_per_minute,
            tokens_per_minute=tokens_per_minute,
            estimate_tokens=estimate_tokens,
            progress=progress,
            custom_id=mapping_custom_id,
        )
