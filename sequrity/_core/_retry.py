"""Retry policy as data: when to retry, how long to wait, and `Retry-After` parsing (all pure)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from .._exceptions import (
    SequrityAPIError,
    SequrityConnectionError,
    SequrityError,
    SequrityTimeoutError,
    SequrityValidationError,
)

__all__ = ["RetryDecision", "RetryEvent", "RetryPolicy", "parse_retry_after"]

#: Statuses retried by default besides every 5xx.
RETRY_STATUSES = frozenset({408, 409, 429})


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """
    Return how many seconds the server asked the caller to wait, or `None`.

    ``retry-after-ms`` (milliseconds) wins over ``Retry-After``, which may hold seconds or an HTTP
    date. Negative or unparsable values are ignored; a date in the past means zero.
    """
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            value = float(ms) / 1000.0
        except ValueError:
            value = -1.0
        if value >= 0 and value == value and value != float("inf"):
            return value
    raw = headers.get("retry-after")
    if not raw:
        return None
    raw = raw.strip()
    try:
        seconds = float(raw)
    except ValueError:
        try:
            import email.utils  # only for a Retry-After date, which servers rarely send

            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            return None
        current = time.time() if now is None else now
        return max(0.0, when.timestamp() - current)
    if seconds != seconds or seconds < 0 or seconds == float("inf"):
        return None
    return seconds


def _non_negative(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value != value:
        raise SequrityValidationError(
            f"RetryPolicy.{attribute.name} must be a number >= 0, got {value!r}"
        )


@attrs.frozen(kw_only=True)
class RetryDecision:
    """What to do after a failed attempt: retry after `delay` seconds, or give up."""

    retry: bool
    delay: float = 0.0
    reason: str = ""


@attrs.frozen(kw_only=True)
class RetryEvent:
    """
    Passed to the ``on_retry`` hook before each retry sleep.

    Attributes:
        attempt: The attempt that failed (1 for the first try).
        delay: Seconds until the next attempt.
        reason: Why the attempt is retried (``"HTTP 503"``, ``"read timeout"``, ...).
        method: The HTTP method.
        url: The URL (it holds no credentials).
        error: The error of the failed attempt.
    """

    attempt: int
    delay: float
    reason: str
    method: str
    url: str
    error: SequrityError


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """
    When and how to retry a request. Give one to a client (default for every call) or to a call.

    Retried: connection failures, timeouts, HTTP 408, 409, 429 and 5xx, unless the server says
    ``x-should-retry: false`` (``true`` forces a retry). Never retried: other 4xx, and HTTP 200
    answers whatever they say (a policy denial is a result). Waits follow ``retry-after-ms`` /
    ``Retry-After`` when the server sends them, up to `max_retry_after`; a longer wait is not slept
    but raised (`RateLimitError.retry_after` tells it). Otherwise exponential backoff with jitter.

    Attributes:
        max_retries: Retries after the first attempt (0 disables retrying).
        initial_backoff: Delay before the first retry, in seconds.
        max_backoff: Cap of the exponential backoff.
        jitter: Fraction of each backoff that is randomised (0 to 1), so clients spread out.
        max_retry_after: Longest server-requested wait that is slept through.
        retry_timeouts: Retry attempts that hit a connect or read deadline.
    """

    max_retries: int = attrs.field(default=2, validator=_non_negative)
    initial_backoff: float = attrs.field(default=0.5, validator=_non_negative)
    max_backoff: float = attrs.field(default=8.0, validator=_non_negative)
    jitter: float = attrs.field(default=0.25, validator=_non_negative)
    max_retry_after: float = attrs.field(default=60.0, validator=_non_negative)
    retry_timeouts: bool = True

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.max_retries, int):
            raise SequrityValidationError(
                f"RetryPolicy.max_retries must be a whole number, got {self.max_retries!r}"
            )
        if self.max_backoff < self.initial_backoff:
            raise SequrityValidationError(
                f"RetryPolicy.max_backoff ({self.max_backoff}) must not be below "
                f"initial_backoff ({self.initial_backoff})"
            )
        if self.jitter > 1:
            raise SequrityValidationError(
                f"RetryPolicy.jitter must be between 0 and 1, got {self.jitter}"
            )

    @classmethod
    def coerce(cls, value: RetryPolicy | int | None, base: RetryPolicy) -> RetryPolicy:
        """
        Turn a per-call ``retry=`` argument into a policy: an int sets `max_retries` of `base`,
        `None` disables retries.
        """
        if isinstance(value, RetryPolicy):
            return value
        if value is None:
            return attrs.evolve(base, max_retries=0)
        if isinstance(value, bool) or not isinstance(value, int):
            raise SequrityValidationError(
                f"retry must be a RetryPolicy, a number of retries or None, got {value!r}"
            )
        return attrs.evolve(base, max_retries=value)

    def backoff(self, retry: int, rand: Callable[[], float] = random.random) -> float:
        """The wait before retry number `retry` (0-based) without server guidance."""
        base: float = min(self.max_backoff, self.initial_backoff * 2.0**retry)
        return base * (1.0 - self.jitter * rand())

    def decide(
        self,
        attempt: int,
        error: SequrityError,
        *,
        rand: Callable[[], float] = random.random,
        now: float | None = None,
    ) -> RetryDecision:
        """
        Decide about the attempt number `attempt` (1-based) that failed with `error`.
        """
        headers: Mapping[str, str] = {}
        if isinstance(error, SequrityAPIError):
            status = error.status_code
            headers = error._raw_headers
            should = (headers.get("x-should-retry") or "").strip().lower()
            if should == "false":
                return RetryDecision(retry=False, reason="server said x-should-retry: false")
            if should != "true" and not (status >= 500 or status in RETRY_STATUSES):
                return RetryDecision(retry=False, reason=f"HTTP {status} is not retried")
            reason = f"HTTP {status}"
        elif isinstance(error, SequrityTimeoutError):
            if not self.retry_timeouts or error.kind in ("total", "stream_idle"):
                return RetryDecision(retry=False, reason=f"{error.kind} timeout")
            reason = f"{error.kind} timeout"
        elif isinstance(error, SequrityConnectionError):
            reason = "connection error"
        else:
            return RetryDecision(retry=False, reason=type(error).__name__)
        if attempt > self.max_retries:
            return RetryDecision(retry=False, reason=f"{reason}; no retries left")
        wait = parse_retry_after(headers, now=now) if headers else None
        if wait is not None:
            if wait > self.max_retry_after:
                return RetryDecision(
                    retry=False,
                    reason=f"{reason}; server asked to wait {wait:g} s, above "
                    f"max_retry_after={self.max_retry_after:g} s",
                )
            return RetryDecision(retry=True, delay=wait, reason=reason)
        return RetryDecision(retry=True, delay=self.backoff(attempt - 1, rand), reason=reason)
