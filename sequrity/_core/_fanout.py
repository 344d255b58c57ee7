"""
The fan-out engine behind ``create_many`` / ``iter_many``: run many requests with a concurrency
limit and one shared `RateGate`, returning per-item `Outcome`s in input order or as they complete.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, TypedDict, TypeVar, Unpack, cast

import anyio
import attrs

from .._exceptions import SequrityError, SequrityValidationError
from ._gate import Clock, RateGate
from ._progress import ProgressBar, ProgressCallback, ProgressCounter

__all__ = [
    "FanOutOptions",
    "Outcome",
    "kwargs_caller",
    "mapping_custom_id",
    "run_many",
    "start_many",
    "usage_tokens",
]

T = TypeVar("T")
R = TypeVar("R")


@attrs.frozen(kw_only=True)
class Outcome(Generic[T]):
    """
    The result of one request of a fan-out: a value or a typed error, never both.

    Attributes:
        index: The request's position in the input (0-based).
        value: The result when the request succeeded, else `None`.
        error: The `SequrityError` the request ended with, else `None`.
        custom_id: The request's ``custom_id`` key, when it had one.
    """

    index: int
    value: T | None = None
    error: SequrityError | None = None
    custom_id: str | None = None

    @property
    def ok(self) -> bool:
        """True when the request succeeded."""
        return self.error is None

    def unwrap(self) -> T:
        """
        Return the value.

        Raises:
            SequrityError: the request's error, when it failed.
        """
        if self.error is not None:
            raise self.error
        return cast(T, self.value)


class FanOutOptions(TypedDict, Generic[R], total=False):
    """
    How a fan-out runs (``create_many``, ``iter_many`` and the engine's `run_many`/`start_many`);
    every key is optional.

    Attributes:
        concurrency: Most requests in flight at once (default 32).
        fail_fast: Cancel the remaining requests and raise the first error (default False).
        requests_per_minute: Ceiling of attempts (retries included) started per sliding minute;
            `None` (the default) for no ceiling.
        tokens_per_minute: Ceiling of tokens per sliding minute, counted from the
            ``usage.total_tokens`` of completed responses plus the estimates of requests in
            flight; `None` (the default) for no ceiling.
        estimate_tokens: Tokens a request is expected to use (held in the window until its
            response replaces the estimate by the actual usage).
        progress: Called with a `Progress` after each completed request (on the event loop), or
            True to draw a progress bar on stderr.
    """

    concurrency: int
    fail_fast: bool
    requests_per_minute: int | None
    tokens_per_minute: int | None
    estimate_tokens: Callable[[R], int] | None
    progress: ProgressCallback | bool | None


_OPTION_NAMES = FanOutOptions.__optional_keys__


def new_gate(options: FanOutOptions[Any]) -> RateGate:
    """
    The gate of a fan-out with these options (its per-minute ceilings).

    Raises:
        SequrityValidationError: a ceiling is not a whole number >= 1.
    """
    return RateGate(
        requests_per_minute=options.get("requests_per_minute"),
        tokens_per_minute=options.get("tokens_per_minute"),
    )


def usage_tokens(value: object) -> int | None:
    """Tokens a response used: ``usage.total_tokens``, else ``input_tokens + output_tokens``."""
    usage = getattr(value, "usage", None)
    if usage is None:
        return None
    total = getattr(usage, "total_tokens", None)
    if isinstance(total, int):
        return total
    parts = [getattr(usage, name, None) for name in ("input_tokens", "output_tokens")]
    counted = [p for p in parts if isinstance(p, int)]
    return sum(counted) if counted else None


def mapping_custom_id(request: object) -> str | None:
    """The ``custom_id`` key of a request mapping, as a string, else `None`."""
    if isinstance(request, Mapping):
        value = request.get("custom_id")
        return None if value is None else str(value)
    return None


def kwargs_caller(
    create: Callable[..., Awaitable[Any]], name: str
) -> Callable[[Mapping[str, Any]], Awaitable[Any]]:
    """
    Adapt a resource's ``create`` to the engine: each request is a mapping of its keyword
    arguments (``custom_id`` is dropped; ``stream=True`` is refused). A request that does not fit
    the signature fails with a `SequrityValidationError` as its outcome, without being sent.
    """

    async def call(request: Mapping[str, Any]) -> Any:
        if not isinstance(request, Mapping):
            raise SequrityValidationError(
                f"each request must be a mapping of {name} keyword arguments, "
                f"got {type(request).__name__}"
            )
        kwargs = {key: value for key, value in request.items() if key != "custom_id"}
        if kwargs.get("stream"):
            raise SequrityValidationError(f"{name}: a fan-out does not stream; drop stream=True")
        kwargs.pop("stream", None)
        try:
            # Calling an async function binds its arguments at once, before any coroutine
            # exists, so a TypeError here is exactly a request that does not fit the signature.
            pending = create(**kwargs)
        except TypeError as exc:
            raise SequrityValidationError(f"invalid {name} request: {exc}") from None
        return await pending

    return call


@attrs.define(eq=False, kw_only=True)
class _Plan(Generic[R, T]):
    """One validated fan-out, ready to `run`."""

    call: Callable[[R], Awaitable[T]]
    items: list[R]
    concurrency: int
    fail_fast: bool
    gate: RateGate
    estimate: Callable[[R], int] | None
    custom_id: Callable[[R], str | None] | None
    tracker: ProgressCounter

    async def run(self, emit: Callable[[Outcome[T]], Awaitable[None] | None]) -> None:
        """Run every request, calling `emit` with each outcome as it completes."""
        pending: Iterator[tuple[int, R]] = iter(enumerate(self.items))
        first_error: list[SequrityError] = []
        self.tracker.start()

        async def worker(scope: anyio.CancelScope) -> None:
            for index, item in pending:
                outcome = await self._one(index, item)
                self.tracker.record(outcome.ok)
                if outcome.error is not None and self.fail_fast:
                    if not first_error:
                        first_error.append(outcome.error)
                    scope.cancel()
                    return
                emitted = emit(outcome)
                if emitted is not None:
                    await emitted

        try:
            async with anyio.create_task_group() as group:
                for _ in range(min(self.concurrency, len(self.items))):
                    group.start_soon(worker, group.cancel_scope)
        finally:
            self.tracker.close()
        if first_error:
            raise first_error[0]

    async def _one(self, index: int, item: R) -> Outcome[T]:
        custom_id = self.custom_id(item) if self.custom_id is not None else None
        reservation = None
        tokens: int | None = None
        try:
            if self.gate.tokens_per_minute is not None:
                estimate = self.estimate(item) if self.estimate is not None else 0
                reservation = await self.gate.reserve(estimate)
            value = await self.call(item)
            tokens = usage_tokens(value)
        except SequrityError as error:
            return Outcome(index=index, error=error, custom_id=custom_id)
        finally:
            self.gate.settle(reservation, tokens)
        return Outcome(index=index, value=value, custom_id=custom_id)


def _plan(
    call: Callable[[R], Awaitable[T]],
    requests: Iterable[R],
    options: FanOutOptions[R],
    *,
    custom_id: Callable[[R], str | None] | None,
    gate: RateGate | None,
    clock: Clock,
) -> _Plan[R, T]:
    unknown = sorted(set(options) - _OPTION_NAMES)
    if unknown:
        raise SequrityValidationError(f"unexpected keyword argument(s): {', '.join(unknown)}")
    concurrency = options.get("concurrency", 32)
    estimate_tokens = options.get("estimate_tokens")
    progress = options.get("progress")
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise SequrityValidationError(
            f"concurrency must be a whole number >= 1, got {concurrency!r}"
        )
    if isinstance(requests, str | bytes | Mapping) or not isinstance(requests, Iterable):
        raise SequrityValidationError(
            "requests must be an iterable of requests (for example a list of dicts)"
        )
    if estimate_tokens is not None and not callable(estimate_tokens):
        raise SequrityValidationError("estimate_tokens must be a callable or None")
    if gate is None:
        gate = new_gate(options)
    elif (
        options.get("requests_per_minute", gate.requests_per_minute),
        options.get("tokens_per_minute", gate.tokens_per_minute),
    ) != (gate.requests_per_minute, gate.tokens_per_minute):
        raise SequrityValidationError("pass the per-minute ceilings to the gate, not both")
    bar: ProgressBar | None = None
    callback: ProgressCallback | None
    if progress is True:
        callback = bar = ProgressBar()
    elif progress is None or progress is False:
        callback = None
    elif callable(progress):
        callback = progress
    else:
        raise SequrityValidationError(
            f"progress must be a callable, True (a bar on stderr) or None, got {progress!r}"
        )
    items = list(requests)
    return _Plan(
        call=call,
        items=items,
        concurrency=concurrency,
        fail_fast=bool(options.get("fail_fast", False)),
        gate=gate,
        estimate=estimate_tokens,
        custom_id=custom_id,
        tracker=ProgressCounter(total=len(items), callback=callback, clock=clock, display=bar),
    )


async def run_many(
    call: Callable[[R], Awaitable[T]],
    requests: Iterable[R],
    *,
    custom_id: Callable[[R], str | None] | None = None,
    gate: RateGate | None = None,
    clock: Clock = time.monotonic,
    **options: Unpack[FanOutOptions[R]],
) -> list[Outcome[T]]:
    """
    Run ``call(request)`` for every request, at most ``concurrency`` at a time, and return one
    `Outcome` per request in input order.

    A `SequrityError` becomes the request's outcome and the others go on; with ``fail_fast`` the
    first error cancels the rest and is raised. Any other exception is a bug: it cancels the run
    and propagates. Cancelling the awaiting task cancels every request at once. The requests'
    attempts pass the gate only if `call` sends them through an exchange bound to it
    (`AsyncExchange.gated`); the token ceiling is held here, per request.

    Args:
        call: Sends one request.
        requests: The requests (materialised into a list first).
        custom_id: Extracts the ``custom_id`` an outcome carries.
        gate: A gate to share (its own ceilings apply); by default, one from the options.
        clock: Monotonic seconds for the progress figures.
        **options: See `FanOutOptions`.

    Returns:
        The outcomes, ``outcomes[i]`` for ``requests[i]``.

    Raises:
        SequrityValidationError: bad arguments (nothing sent).
        SequrityError: with ``fail_fast``, the first request's error.
    """
    plan = _plan(call, requests, options, custom_id=custom_id, gate=gate, clock=clock)
    results: list[Outcome[T] | None] = [None] * len(plan.items)

    def store(outcome: Outcome[T]) -> None:
        results[outcome.index] = outcome

    await plan.run(store)
    return cast("list[Outcome[T]]", results)


def start_many(
    call: Callable[[R], Awaitable[T]],
    requests: Iterable[R],
    *,
    custom_id: Callable[[R], str | None] | None = None,
    gate: RateGate | None = None,
    clock: Clock = time.monotonic,
    **options: Unpack[FanOutOptions[R]],
) -> AsyncIterator[Outcome[T]]:
    """
    Like `run_many`, but return an async iterator of the outcomes as they complete.

    Arguments are checked at once (a `SequrityValidationError` is raised here); requests start on
    the first iteration. The run belongs to a task of its own, so the iterator may be driven from
    different tasks (as the blocking facade does); closing the iterator early, or cancelling the
    task iterating it, cancels the requests still running.
    """
    plan = _plan(call, requests, options, custom_id=custom_id, gate=gate, clock=clock)
    return _iterate(plan)


async def _iterate(plan: _Plan[R, T]) -> AsyncIterator[Outcome[T]]:
    send, receive = anyio.create_memory_object_stream[Outcome[T]](max(plan.concurrency, 1))

    async def supervise() -> None:
        with send:
            await plan.run(send.send)

    task = asyncio.ensure_future(supervise())
    try:
        async for outcome in receive:
            yield outcome
        await task  # the fail-fast error (or a bug) surfaces here
    finally:
        if not task.done():
            task.cancel()
            await asyncio.wait({task})
        if task.done() and not task.cancelled():
            task.exception()  # retrieved: it was raised above or the caller stopped early
        receive.close()
