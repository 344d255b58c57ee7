"""Pure tests of `RetryPolicy`: defaults, backoff and jitter, what is retried, and validation."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict

from sequrity import (
    RetryPolicy,
    SequrityConnectionError,
    SequrityDecodeError,
    SequrityError,
    SequrityStreamError,
    SequrityTimeoutError,
    SequrityValidationError,
)
from sequrity._core._errors import error_from_response

NOW = 1_700_000_000.0


def status_error(status: int, **headers: str) -> SequrityError:
    """The typed error the client builds for an HTTP `status` with `headers` (`_` -> `-`)."""
    hdrs = CIMultiDict({k.replace("_", "-"): v for k, v in headers.items()})
    return error_from_response(status, hdrs, b'{"detail": "x"}', now=NOW)


def decide(policy: RetryPolicy, error: SequrityError, attempt: int = 1) -> object:
    """`policy.decide` with no jitter and a fixed clock."""
    return policy.decide(attempt, error, rand=lambda: 0.0, now=NOW)


# -- defaults ----------------------------------------------------------------------------------


def test_defaults_are_two_retries_half_second_doubling_to_eight_seconds() -> None:
    """The default policy retries twice, starting at 0.5 s, capped at 8 s, with 25 % jitter."""
    policy = RetryPolicy()

    assert (policy.max_retries, policy.initial_backoff, policy.max_backoff) == (2, 0.5, 8.0)
    assert (policy.jitter, policy.max_retry_after, policy.retry_timeouts) == (0.25, 60.0, True)


def test_backoff_doubles_from_initial_up_to_the_cap() -> None:
    """Without jitter the waits are 0.5, 1, 2, 4, 8, 8, ... seconds."""
    policy = RetryPolicy()

    waits = [policy.backoff(n, rand=lambda: 0.0) for n in range(7)]

    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_jitter_shortens_each_wait_by_at_most_the_jitter_fraction() -> None:
    """With `rand` at its extremes a wait stays between (1 - jitter) x base and base."""
    policy = RetryPolicy(jitter=0.25)

    lowest = [policy.backoff(n, rand=lambda: 1.0) for n in range(5)]
    highest = [policy.backoff(n, rand=lambda: 0.0) for n in range(5)]
    middle = policy.backoff(2, rand=lambda: 0.5)

    assert lowest == [0.375, 0.75, 1.5, 3.0, 6.0]
    assert highest == [0.5, 1.0, 2.0, 4.0, 8.0]
    assert middle == 2.0 * (1 - 0.25 * 0.5)


def test_random_jitter_stays_within_bounds() -> None:
    """With the real random source every wait is within the jitter bounds."""
    policy = RetryPolicy(initial_backoff=1.0, max_backoff=1.0, jitter=0.5)

    waits = {policy.backoff(0) for _ in range(200)}

    assert all(0.5 <= w <= 1.0 for w in waits)
    assert len(waits) > 1


def test_zero_jitter_gives_exact_waits() -> None:
    """`jitter=0` makes the wait independent of the random source."""
    policy = RetryPolicy(jitter=0)

    assert policy.backoff(1, rand=lambda: 0.999) == 1.0


def test_decision_delay_uses_backoff_of_the_failed_attempt() -> None:
    """The n-th failed attempt waits backoff(n - 1)."""
    policy = RetryPolicy(max_retries=5)
    error = status_error(503)

    delays = [policy.decide(n, error, rand=lambda: 0.0).delay for n in (1, 2, 3)]

    assert delays == [0.5, 1.0, 2.0]


# -- what is retried ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 599])
def test_retryable_statuses_are_retried(status: int) -> None:
    """408, 409, 429 and every 5xx are retried."""
    decision = decide(RetryPolicy(), status_error(status))

    assert (decision.retry, decision.reason) == (True, f"HTTP {status}")


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 413, 418, 422])
def test_other_client_errors_are_not_retried(status: int) -> None:
    """Other 4xx statuses are final."""
    decision = decide(RetryPolicy(), status_error(status))

    assert (decision.retry, decision.reason) == (False, f"HTTP {status} is not retried")


def test_connection_errors_are_retried() -> None:
    """A failed or reset connection is retried."""
    decision = decide(RetryPolicy(), SequrityConnectionError("reset"))

    assert (decision.retry, decision.reason, decision.delay) == (True, "connection error", 0.5)


@pytest.mark.parametrize("kind", ["connect", "read"])
def test_connect_and_read_timeouts_are_retried(kind: str) -> None:
    """Connect and read timeouts are retried by default."""
    decision = decide(RetryPolicy(), SequrityTimeoutError(kind, 1.0))

    assert (decision.retry, decision.reason) == (True, f"{kind} timeout")


@pytest.mark.parametrize("kind", ["total", "stream_idle"])
def test_total_and_stream_idle_timeouts_are_not_retried(kind: str) -> None:
    """The total deadline and a stalled stream are final."""
    decision = decide(RetryPolicy(), SequrityTimeoutError(kind, 1.0))

    assert decision.retry is False


def test_timeouts_are_not_retried_when_retry_timeouts_is_off() -> None:
    """`retry_timeouts=False` makes connect and read timeouts final."""
    decision = decide(RetryPolicy(retry_timeouts=False), SequrityTimeoutError("read", 1.0))

    assert decision.retry is False


@pytest.mark.parametrize(
    "error",
    [
        SequrityDecodeError("not json", status_code=200, body="{"),
        SequrityStreamError("broke"),
        SequrityValidationError("bad input"),
        SequrityError("other"),
    ],
)
def test_decode_stream_and_validation_errors_are_not_retried(error: SequrityError) -> None:
    """Errors that a retry cannot fix are final."""
    decision = decide(RetryPolicy(), error)

    assert (decision.retry, decision.reason) == (False, type(error).__name__)


def test_retries_stop_after_max_retries() -> None:
    """Attempt max_retries + 1 is the last one."""
    policy = RetryPolicy(max_retries=2)
    error = status_error(503)

    decisions = [decide(policy, error, attempt=n).retry for n in (1, 2, 3, 4)]

    assert decisions == [True, True, False, False]


def test_zero_max_retries_never_retries() -> None:
    """`max_retries=0` disables retrying."""
    decision = decide(RetryPolicy(max_retries=0), status_error(503))

    assert (decision.retry, decision.reason) == (False, "HTTP 503; no retries left")


# -- server hints ------------------------------------------------------------------------------


def test_should_retry_false_overrides_a_retryable_status() -> None:
    """`x-should-retry: false` on a 503 means no retry."""
    decision = decide(RetryPolicy(), status_error(503, x_should_retry="false"))

    assert (decision.retry, decision.reason) == (False, "server said x-should-retry: false")


def test_should_retry_true_overrides_a_final_status() -> None:
    """`x-should-retry: true` on a 400 makes it retryable."""
    decision = decide(RetryPolicy(), status_error(400, x_should_retry="true"))

    assert (decision.retry, decision.reason) == (True, "HTTP 400")


def test_should_retry_is_case_and_space_insensitive() -> None:
    """` FALSE ` is read like `false`."""
    decision = decide(RetryPolicy(), status_error(500, X_Should_Retry=" FALSE "))

    assert decision.retry is False


def test_should_retry_true_still_respects_max_retries() -> None:
    """The server may force a retry, but not beyond the policy's budget."""
    decision = decide(RetryPolicy(max_retries=1), status_error(400, x_should_retry="true"), 2)

    assert decision.retry is False


def test_retry_after_seconds_sets_the_delay() -> None:
    """`Retry-After: 3` waits 3 s instead of the backoff."""
    decision = decide(RetryPolicy(), status_error(429, Retry_After="3"))

    assert (decision.retry, decision.delay) == (True, 3.0)


def test_retry_after_zero_retries_immediately() -> None:
    """`Retry-After: 0` retries at once."""
    decision = decide(RetryPolicy(), status_error(429, Retry_After="0"))

    assert (decision.retry, decision.delay) == (True, 0.0)


def test_retry_after_ms_sets_the_delay() -> None:
    """`retry-after-ms: 250` waits 0.25 s."""
    decision = decide(RetryPolicy(), status_error(503, retry_after_ms="250"))

    assert (decision.retry, decision.delay) == (True, 0.25)


def test_retry_after_http_date_is_honoured() -> None:
    """An HTTP-date `Retry-After` waits until that moment."""
    decision = decide(RetryPolicy(), status_error(503, Retry_After="Tue, 14 Nov 2023 22:13:30 GMT"))

    assert (decision.retry, decision.delay) == (True, 10.0)


def test_retry_after_above_the_ceiling_is_not_slept() -> None:
    """A requested wait above `max_retry_after` gives up instead of sleeping."""
    decision = decide(RetryPolicy(max_retry_after=5), status_error(429, Retry_After="30"))

    assert decision.retry is False
    assert "above max_retry_after=5 s" in decision.reason


def test_retry_after_equal_to_the_ceiling_is_slept() -> None:
    """A requested wait exactly at `max_retry_after` is still honoured."""
    decision = decide(RetryPolicy(max_retry_after=5), status_error(429, Retry_After="5"))

    assert (decision.retry, decision.delay) == (True, 5.0)


def test_unparsable_retry_after_falls_back_to_backoff() -> None:
    """A garbage `Retry-After` is ignored and the backoff is used."""
    decision = decide(RetryPolicy(), status_error(503, Retry_After="soon"))

    assert (decision.retry, decision.delay) == (True, 0.5)


def test_retry_after_does_not_make_a_final_status_retryable() -> None:
    """`Retry-After` on a 400 does not cause a retry."""
    decision = decide(RetryPolicy(), status_error(400, Retry_After="0"))

    assert decision.retry is False


# -- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_retries": -1}, "RetryPolicy.max_retries must be a number >= 0, got -1"),
        ({"initial_backoff": -0.5}, "RetryPolicy.initial_backoff must be a number >= 0, got -0.5"),
        ({"max_backoff": -1.0}, "RetryPolicy.max_backoff must be a number >= 0, got -1.0"),
        ({"jitter": -0.1}, "RetryPolicy.jitter must be a number >= 0, got -0.1"),
        ({"max_retry_after": -2}, "RetryPolicy.max_retry_after must be a number >= 0, got -2"),
        ({"max_retries": 2.5}, "RetryPolicy.max_retries must be a whole number, got 2.5"),
        ({"max_retries": True}, "RetryPolicy.max_retries must be a number >= 0, got True"),
        ({"max_retries": "3"}, "RetryPolicy.max_retries must be a number >= 0, got '3'"),
        ({"initial_backoff": float("nan")}, "RetryPolicy.initial_backoff must be a number >= 0"),
        (
            {"initial_backoff": 2.0, "max_backoff": 1.0},
            "RetryPolicy.max_backoff (1.0) must not be below initial_backoff (2.0)",
        ),
        ({"jitter": 1.5}, "RetryPolicy.jitter must be between 0 and 1, got 1.5"),
    ],
)
def test_invalid_settings_are_refused_with_a_clear_message(kwargs: dict, message: str) -> None:
    """Nonsense settings raise `SequrityValidationError` naming the field and the value."""
    with pytest.raises(SequrityValidationError) as info:
        RetryPolicy(**kwargs)

    assert str(info.value).startswith(message)


def test_boundary_settings_are_accepted() -> None:
    """Zero everything and full jitter are valid."""
    policy = RetryPolicy(max_retries=0, initial_backoff=0, max_backoff=0, jitter=1)

    assert policy.backoff(3, rand=lambda: 0.5) == 0.0


def test_policy_is_immutable() -> None:
    """A policy cannot be changed after construction (it is shared between calls)."""
    policy = RetryPolicy()

    with pytest.raises(AttributeError):
        policy.max_retries = 7  # type: ignore[misc]


# -- coerce ------------------------------------------------------------------------------------


def test_coerce_keeps_a_policy() -> None:
    """A `RetryPolicy` passed per call is used as given."""
    given = RetryPolicy(max_retries=9)

    assert RetryPolicy.coerce(given, RetryPolicy()) is given


def test_coerce_none_disables_retries_keeping_the_rest() -> None:
    """`retry=None` keeps the base policy's backoff but allows no retries."""
    base = RetryPolicy(initial_backoff=0.1, max_backoff=0.2)

    assert RetryPolicy.coerce(None, base) == RetryPolicy(
        max_retries=0, initial_backoff=0.1, max_backoff=0.2
    )


@pytest.mark.parametrize("count", [0, 1, 5])
def test_coerce_int_sets_max_retries(count: int) -> None:
    """`retry=n` means n retries with the base policy's timing."""
    base = RetryPolicy(initial_backoff=0, max_backoff=0)

    assert RetryPolicy.coerce(count, base) == RetryPolicy(
        max_retries=count, initial_backoff=0, max_backoff=0
    )


@pytest.mark.parametrize("value", [True, 1.5, "2", [1]])
def test_coerce_refuses_other_types(value: object) -> None:
    """Booleans, floats and strings are not a number of retries."""
    with pytest.raises(SequrityValidationError) as info:
        RetryPolicy.coerce(value, RetryPolicy())  # type: ignore[arg-type]

    assert str(info.value) == (
        f"retry must be a RetryPolicy, a number of retries or None, got {value!r}"
    )


def test_coerce_refuses_a_negative_count() -> None:
    """`retry=-1` is refused like `RetryPolicy(max_retries=-1)`."""
    with pytest.raises(SequrityValidationError, match="max_retries must be a number >= 0"):
        RetryPolicy.coerce(-1, RetryPolicy())
