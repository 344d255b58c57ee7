"""
The shared rate-limit gate of a fan-out: every attempt of every worker passes it, so one 429 with
``Retry-After`` pauses all workers at once, and optional requests- and tokens-per-minute ceilings
hold. The fan-out binds its requests to the gate explicitly (a gated `AsyncExchange`), and the retry
loop passes every attempt through it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

import attrs

from .._exceptions import SequrityAPIError, SequrityError, SequrityValidationError
from ._retry import parse_retry_after

__all__ = ["WINDOW", "Clock", "RateGate", "Sleep", "TokenReservation"]

logger = logging.getLogger("sequrity")

#: Length of the sliding window of the per-minute ceilings, in seconds.
WINDOW = 60.0
#: Statuses whose retry hint pauses the whole gate.
PAUSE_STATUSES = frozenset({429, 503})
#: Shortest sleep, so that float rounding of an injected clock cannot spin.
_MIN_SLEEP = 0.001

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


def _check_ceiling(name: str, value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SequrityValidationError(f"{name} must be a whole number >= 1 or None, got {value!r}")


@attrs.define(eq=False)
class TokenReservation:
    """Tokens held in the tokens-per-minute window by one request in flight."""

    tokens: int
    settled: bool = False


class RateGate:
    """
    Admission control shared by the workers of one fan-out.

    * `pause` (called on a 429/503 with a retry hint) stops every new attempt until the pause ends;
      a later, longer hint extends it.
    * ``requests_per_minute``: at most that many attempts (retries included) start in any sliding
      60-second window.
    * ``tokens_per_minute``: a request starts only while the tokens of the window, plus its own
      estimate, stay within the ceiling. The window holds the ``usage`` of responses completed in
      the last 60 seconds (counted at completion) and the estimates of requests in flight (replaced
      by the actual usage when they complete). Without estimates the ceiling is reactive: requests
      already in flight may overshoot it. A request is always admitted into an empty window.

    Waiters are served first come, first served. The clock and sleep are injectable for tests.

    Args:
        requests_per_minute: Ceiling of attempt starts per sliding minute, or `None`.
        tokens_per_minute: Ceiling of tokens per sliding minute, or `None`.
        clock: Monotonic seconds.
        sleep: Waits the given seconds.

    Raises:
        SequrityValidationError: a ceiling is not a whole number >= 1.
    """

    def __init__(
        self,
        *,
        requests_per_minute: int | None = None,
        tokens_per_minute: int | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        _check_ceiling("requests_per_minute", requests_per_minute)
        _check_ceiling("tokens_per_minute", tokens_per_minute)
        self.requests_per_minute = requests_per_minute
        self.tokens_per_minute = tokens_per_minute
        self._clock = clock
        self._sleep = sleep
        self._resume_at = float("-inf")
        self._starts: deque[float] = deque()
        self._attempt_lock = asyncio.Lock()
        self._token_lock = asyncio.Lock()
        self._completed: deque[tuple[float, int]] = deque()
        self._completed_sum = 0
        self._in_flight = 0
        self._changed = asyncio.Event()
        #: How many times a retry hint paused the gate (for diagnostics and tests).
        self.pauses = 0
        #: How many pauses began while the gate was open: hints arriving during a pause extend
        #: it and are not counted again.
        self.windows = 0

    # -- pause -----------------------------------------------------------------------------------

    def pause(self, seconds: float) -> None:
        """Hold every new attempt for `seconds` from now (never shortens a longer pause)."""
        now = self._clock()
        until = now + seconds
        self.pauses += 1
        if now >= self._resume_at:
            self.windows += 1
        if until > self._resume_at:
            self._resume_at = until
            logger.info("rate limited: pausing all workers for %.2f s", seconds)

    def remaining(self) -> float:
        """Seconds left of the current pause (0 when the gate is not paused)."""
        return max(self._resume_at - self._clock(), 0.0)

    def observe_error(self, error: SequrityError, max_wait: float) -> float | None:
        """
        Pause the gate when `error` is a 429 or 503 carrying a retry hint of at most `max_wait`
        seconds; return the pause, else `None`.
        """
        if not isinstance(error, SequrityAPIError) or error.status_code not in PAUSE_STATUSES:
            return None
        wait = parse_retry_after(error._raw_headers)
        if wait is None or wait > max_wait:
            return None
        self.pause(wait)
        return wait

    # -- per attempt -----------------------------------------------------------------------------

    async def before_attempt(self) -> None:
        """Wait until the gate is not paused and the requests-per-minute ceiling has room."""
        rpm = self.requests_per_minute
        async with self._attempt_lock:
            while True:
                now = self._clock()
                wait = self._resume_at - now
                if wait <= 0 and rpm is not None:
                    starts = self._starts
                    while starts and starts[0] <= now - WINDOW:
                        starts.popleft()
                    if len(starts) >= rpm:
                        wait = starts[0] + WINDOW - now
                if wait <= 0:
                    break
                await self._sleep(max(wait, _MIN_SLEEP))
            if rpm is not None:
                self._starts.append(now)

    # -- per request (tokens) --------------------------------------------------------------------

    def tokens_in_window(self) -> int:
        """Tokens counted now: completed usage of the last minute plus in-flight estimates."""
        self._expire(self._clock())
        return self._completed_sum + self._in_flight

    def _expire(self, now: float) -> None:
        completed = self._completed
        while completed and completed[0][0] <= now - WINDOW:
            self._completed_sum -= completed.popleft()[1]

    async def reserve(self, estimate: int = 0) -> TokenReservation | None:
        """
        Wait until the tokens-per-minute window has room for `estimate` more tokens and hold them;
        `None` when the gate has no tokens ceiling.
        """
        tpm = self.tokens_per_minute
        if tpm is None:
            return None
        estimate = max(0, int(estimate))
        async with self._token_lock:
            while True:
                now = self._clock()
                self._expire(now)
                used = self._completed_sum + self._in_flight
                if used == 0 or used + max(estimate, 1) <= tpm:
                    break
                if self._completed:
                    await self._sleep_or_change(self._completed[0][0] + WINDOW - now)
                else:
                    # Only requests in flight hold the window: wait for one to complete.
                    await self._changed.wait()
            self._in_flight += estimate
            return TokenReservation(estimate)

    def settle(self, reservation: TokenReservation | None, tokens: int | None) -> None:
        """Replace a reservation by the `tokens` the request actually used (`None`: unknown)."""
        if reservation is None or reservation.settled:
            return
        reservation.settled = True
        self._in_flight -= reservation.tokens
        if tokens:
            self._completed.append((self._clock(), tokens))
            self._completed_sum += tokens
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def _sleep_or_change(self, wait: float) -> None:
        sleeper = asyncio.ensure_future(self._sleep(max(wait, _MIN_SLEEP)))
        waiter = asyncio.ensure_future(self._changed.wait())
        try:
            await asyncio.wait({sleeper, waiter}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waiter):
                task.cancel()
            await asyncio.wait({sleeper, waiter})
