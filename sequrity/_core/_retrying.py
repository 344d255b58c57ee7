"""
The retry loop around the transport: one logical request, several attempts, one total deadline that
spans every attempt and sleep. Decisions come from the pure `RetryPolicy`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import attrs

from .._exceptions import SequrityError, SequrityTimeoutError
from ._gate import RateGate
from ._retry import RetryEvent, RetryPolicy
from ._wire import ApiRequest

__all__ = ["Attempts", "retry_after_first", "run_with_retries"]

T = TypeVar("T")

logger = logging.getLogger("sequrity")

RetryHook = Callable[[RetryEvent], object]


@attrs.define
class Attempts:
    """Bookkeeping of one logical request: how many retries it took and how long."""

    retries: int = 0
    started: float = attrs.field(factory=time.perf_counter)

    @property
    def elapsed(self) -> float:
        """Seconds since the first attempt started."""
        return time.perf_counter() - self.started


async def run_with_retries(
    request: ApiRequest,
    attempt: Callable[[float | None], Awaitable[T]],
    policy: RetryPolicy,
    on_retry: RetryHook | None,
    attempts: Attempts | None = None,
    gate: RateGate | None = None,
    *,
    timed: bool = False,
) -> T:
    """
    Run `attempt` until it succeeds or `policy` gives up, within ``request.timeout.total``.

    `attempt` raises `SequrityError`s (status errors included); the last one propagates. The total
    deadline covers every attempt and every sleep and raises a ``total`` `SequrityTimeoutError`.
    `attempt` is given the deadline (the loop's clock, or `None`); with `timed` it enforces it
    itself, raising `TimeoutError` (one timer per attempt instead of one more around it).

    With a `gate` (a fan-out's, shared by its workers) every attempt first waits at the gate, and a
    429 or 503 with a retry hint pauses the gate for all workers instead of sleeping here; the first
    wait at the gate (queueing) does not count toward the total deadline.
    """
    total = request.timeout.total
    if gate is not None:
        await gate.before_attempt()
    book = _Book(attempts)
    try:
        if timed:
            deadline = None if total is None else asyncio.get_running_loop().time() + total
            return await _attempts(request, attempt, policy, on_retry, gate, book, deadline, True)
        async with asyncio.timeout(total) as scope:
            return await _attempts(
                request, attempt, policy, on_retry, gate, book, scope.when(), False
            )
    except TimeoutError:
        raise SequrityTimeoutError(
            "total", total, url=request.url, detail=f"after {book.retries + 1} attempt(s)"
        ) from None


async def retry_after_first(
    request: ApiRequest,
    attempt: Callable[[float | None], Awaitable[T]],
    policy: RetryPolicy,
    on_retry: RetryHook | None,
    failed: SequrityError,
    deadline: float | None,
) -> T:
    """
    The rest of `run_with_retries` (`timed`, no gate, no `Attempts`) after a first attempt that
    its caller ran itself, by `deadline`, and that failed with `failed`: the same decisions, hook
    calls, sleeps and errors as if `run_with_retries` had run that attempt. A caller that sends
    most requests once saves the loop's coroutines and closure on every request that succeeds.
    """
    book = _Book(None)
    try:
        return await _attempts(
            request, attempt, policy, on_retry, None, book, deadline, True, failed
        )
    except TimeoutError:
        raise SequrityTimeoutError(
            "total",
            request.timeout.total,
            url=request.url,
            detail=f"after {book.retries + 1} attempt(s)",
        ) from None


class _Book:
    """The retries so far, kept in the caller's `Attempts` when it asked for one."""

    __slots__ = ("attempts", "retries")

    def __init__(self, attempts: Attempts | None) -> None:
        self.attempts = attempts
        self.retries = 0

    def retried(self) -> None:
        self.retries += 1
        if self.attempts is not None:
            self.attempts.retries += 1


async def _attempts(
    request: ApiRequest,
    attempt: Callable[[float | None], Awaitable[T]],
    policy: RetryPolicy,
    on_retry: RetryHook | None,
    gate: RateGate | None,
    book: _Book,
    deadline: float | None,
    timed: bool,
    failed: SequrityError | None = None,
) -> T:
    n = 1
    while True:
        if failed is None:
            try:
                return await attempt(deadline)
            except SequrityError as error:
                failed = error
        await _before_retry(request, policy, on_retry, gate, book, deadline, timed, failed, n)
        failed = None
        n += 1


async def _before_retry(
    request: ApiRequest,
    policy: RetryPolicy,
    on_retry: RetryHook | None,
    gate: RateGate | None,
    book: _Book,
    deadline: float | None,
    timed: bool,
    error: SequrityError,
    n: int,
) -> None:
    """After attempt `n` failed with `error`: raise it, or wait for attempt ``n + 1``."""
    paused = None if gate is None else gate.observe_error(error, policy.max_retry_after)
    if policy.max_retries == 0:
        raise error
    decision = policy.decide(n, error)
    if not decision.retry:
        raise error
    if deadline is not None and (asyncio.get_running_loop().time() + decision.delay >= deadline):
        # Sleeping would only end in a total timeout; the server's answer (with its retry_after)
        # tells the caller more.
        raise error
    event = RetryEvent(
        attempt=n,
        delay=decision.delay,
        reason=decision.reason,
        method=request.method,
        url=request.url,
        error=error,
    )
    logger.info(
        "retrying %s %s in %.2f s (attempt %d of %d): %s",
        request.method,
        request.url,
        decision.delay,
        n + 1,
        policy.max_retries + 1,
        decision.reason,
    )
    if on_retry is not None:
        on_retry(event)
    if decision.delay > 0 and paused is None:
        await asyncio.sleep(decision.delay)
    book.retried()
    if gate is not None:
        if timed:
            # Nothing else watches the total deadline between attempts.
            async with asyncio.timeout_at(deadline):
                await gate.before_attempt()
        else:
            await gate.before_attempt()
