"""Retries against the emulator, through both clients: what is retried, how often, with which key."""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest

from sequrity import (
    AsyncSequrityClient,
    BadRequestError,
    RateLimitError,
    RetryEvent,
    RetryPolicy,
    SequrityAPIError,
    SequrityClient,
    SequrityStreamError,
    SequrityTimeoutError,
    ServiceUnavailableError,
    Timeout,
)
from sequrity.control import FeaturesHeader, parse_result
from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio

CREATE = "control.chat.create"
MODEL = "openai/gpt-5-mini"
HELLO = [{"role": "user", "content": "What is the largest prime number below 100?"}]
FAST_RETRY = RetryPolicy(initial_backoff=0, max_backoff=0)
PATH = "/control/chat/v1/chat/completions"


class Hooked:
    """Both clients built with an ``on_retry`` hook that records every `RetryEvent`."""

    def __init__(self, mode: str, aclient: AsyncSequrityClient, sclient: SequrityClient) -> None:
        self.mode = mode
        self.aclient = aclient
        self.sclient = sclient
        self.events: list[RetryEvent] = []

    async def call(self, **kwargs: Any) -> Any:
        """One plain chat call on the client under test."""
        if self.mode == "async":
            return await self.aclient.control.chat.create(HELLO, MODEL, **kwargs)
        fn = functools.partial(self.sclient.control.chat.create, HELLO, MODEL, **kwargs)
        return await anyio.to_thread.run_sync(fn)


@pytest.fixture(params=["async", "sync"])
async def hooked(request: pytest.FixtureRequest, emulator: Emulator) -> AsyncIterator[Hooked]:
    """Clients of both colours whose retries are recorded by an ``on_retry`` hook."""
    events: list[RetryEvent] = []
    aclient = AsyncSequrityClient(
        "sq-test-key", base_url=emulator.base_url, retry=FAST_RETRY, on_retry=events.append
    )
    sclient = SequrityClient(
        "sq-test-key", base_url=emulator.base_url, retry=FAST_RETRY, on_retry=events.append
    )
    h = Hooked(request.param, aclient, sclient)
    h.events = events
    try:
        yield h
    finally:
        await aclient.aclose()
        await anyio.to_thread.run_sync(sclient.close)


def idempotency_keys(emulator: Emulator) -> list[list[str]]:
    """Every ``Idempotency-Key`` line of every recorded request."""
    return [r.headers.getall("Idempotency-Key", []) for r in emulator.requests]


# -- retried, with one idempotency key ---------------------------------------------------------


async def test_503_twice_then_success_retries_with_one_idempotency_key(api, emulator):
    """Two 503s are retried; all three attempts carry the same Idempotency-Key."""
    fault = emulator.faults.next_n(2).status(503)

    response = await api.call(CREATE, HELLO, MODEL)

    assert "97" in (response.content or "")
    assert fault.hits == 2
    assert len(emulator.requests) == 3
    keys = idempotency_keys(emulator)
    assert [len(k) for k in keys] == [1, 1, 1]
    assert len({k[0] for k in keys}) == 1
    assert keys[0][0].startswith("sq-")


async def test_each_logical_request_gets_its_own_idempotency_key(api, emulator):
    """Two separate calls send two different keys."""
    await api.call(CREATE, HELLO, MODEL)
    await api.call(CREATE, HELLO, MODEL)

    keys = idempotency_keys(emulator)
    assert len({k[0] for k in keys}) == 2


@pytest.mark.parametrize("name", ["Idempotency-Key", "idempotency-key"])
async def test_user_supplied_idempotency_key_is_kept_on_every_attempt(api, emulator, name):
    """A key passed in custom_headers replaces the generated one, on all attempts, exactly once."""
    emulator.faults.next_n(1).status(503)

    await api.call(CREATE, HELLO, MODEL, custom_headers={name: "my-key-1"})

    assert idempotency_keys(emulator) == [["my-key-1"], ["my-key-1"]]


async def test_429_with_retry_after_zero_is_retried(api, emulator):
    """A 429 asking to retry now is retried at once and succeeds."""
    fault = emulator.faults.next_n(1).status(429, retry_after=0)

    response = await api.call(CREATE, HELLO, MODEL)

    assert response.content
    assert fault.hits == 1
    assert len(emulator.requests) == 2


async def test_503_with_retry_after_ms_zero_is_retried(api, emulator):
    """`retry-after-ms: 0` is honoured like `Retry-After: 0`."""
    emulator.faults.next_n(1).status(503, retry_after_ms=0)

    response = await api.call(CREATE, HELLO, MODEL)

    assert response.content
    assert len(emulator.requests) == 2


async def test_429_with_retry_after_above_the_ceiling_raises_at_once(api, emulator):
    """A wait above max_retry_after is not slept: RateLimitError says how long, after 1 attempt."""
    emulator.faults.always().status(429, retry_after=120)

    with anyio.fail_after(5), pytest.raises(RateLimitError) as info:
        await api.call(CREATE, HELLO, MODEL)

    assert info.value.retry_after == 120.0
    assert info.value.status_code == 429
    assert len(emulator.requests) == 1


async def test_should_retry_false_on_503_is_not_retried(api, emulator):
    """`x-should-retry: false` stops the retry of a 503."""
    emulator.faults.always().status(503, should_retry=False)

    with pytest.raises(ServiceUnavailableError):
        await api.call(CREATE, HELLO, MODEL)

    assert len(emulator.requests) == 1


async def test_should_retry_true_on_400_is_retried(api, emulator):
    """`x-should-retry: true` makes a 400 retryable."""
    fault = emulator.faults.next_n(1).status(400, should_retry=True)

    response = await api.call(CREATE, HELLO, MODEL)

    assert response.content
    assert fault.hits == 1
    assert len(emulator.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
async def test_final_client_errors_are_never_retried(api, emulator, status):
    """400/401/403/404/422 end the call after one attempt."""
    emulator.faults.always().status(status)

    with pytest.raises(SequrityAPIError) as info:
        await api.call(CREATE, HELLO, MODEL)

    assert info.value.status_code == status
    assert len(emulator.requests) == 1


@pytest.mark.parametrize("retry", [None, 0])
async def test_per_call_retry_none_or_zero_disables_retries(api, emulator, retry):
    """`retry=None` and `retry=0` make a single attempt."""
    emulator.faults.always().status(503)

    with pytest.raises(ServiceUnavailableError):
        await api.call(CREATE, HELLO, MODEL, retry=retry)

    assert len(emulator.requests) == 1


async def test_per_call_retry_count_raises_the_number_of_attempts(api, emulator):
    """`retry=5` makes six attempts before giving up."""
    fault = emulator.faults.always().status(503)

    with pytest.raises(ServiceUnavailableError):
        await api.call(CREATE, HELLO, MODEL, retry=5)

    assert fault.hits == 6
    assert len(emulator.requests) == 6


async def test_default_budget_is_three_attempts(api, emulator):
    """With the default two retries a persistent 503 is tried three times."""
    fault = emulator.faults.always().status(503)

    with pytest.raises(ServiceUnavailableError):
        await api.call(CREATE, HELLO, MODEL)

    assert fault.hits == 3


async def test_connection_reset_before_any_byte_is_retried(api, emulator):
    """A reset before the response is retried and the call succeeds."""
    fault = emulator.faults.next_n(1).reset()

    response = await api.call(CREATE, HELLO, MODEL)

    assert response.content
    assert fault.hits == 1
    assert len(emulator.requests) == 2
    assert len({k[0] for k in idempotency_keys(emulator)}) == 1


async def test_policy_denial_is_a_result_and_not_retried(api, emulator):
    """A Dual-LLM denial (HTTP 200, status failure) is returned after exactly one request."""
    emulator.script.final(
        None,
        status="failure",
        error={"code": "policy_violation", "message": "Tool call to 'send_email' is denied"},
    )

    response = await api.call(CREATE, HELLO, MODEL, features=FeaturesHeader.dual_llm())

    result = parse_result(response.content)
    assert result.status == "failure"
    assert "'send_email' is denied" in result.error.message
    assert len(emulator.requests) == 1


# -- hook and log ------------------------------------------------------------------------------


async def test_on_retry_hook_receives_one_event_per_retry(hooked, emulator):
    """The hook sees attempt number, delay, reason, method, URL and error of each retry."""
    emulator.faults.next_n(2).status(503)

    await hooked.call()

    assert [(e.attempt, e.delay, e.reason, e.method) for e in hooked.events] == [
        (1, 0.0, "HTTP 503", "POST"),
        (2, 0.0, "HTTP 503", "POST"),
    ]
    assert all(e.url == emulator.base_url + PATH for e in hooked.events)
    assert all(isinstance(e.error, ServiceUnavailableError) for e in hooked.events)


async def test_on_retry_hook_reports_retry_after_as_the_delay(hooked, emulator):
    """The event's delay is the server's Retry-After when it sent one."""
    emulator.faults.next_n(1).status(429, retry_after_ms=1)

    await hooked.call()

    assert [(e.delay, e.reason) for e in hooked.events] == [(0.001, "HTTP 429")]


async def test_on_retry_hook_is_silent_without_retries(hooked, emulator):
    """No retry, no event: a success and a final error do not call the hook."""
    await hooked.call()
    emulator.faults.next_n(1).status(404)
    with pytest.raises(SequrityAPIError):
        await hooked.call()

    assert hooked.events == []


async def test_reset_retry_reason_is_a_connection_error(hooked, emulator):
    """A retried reset is reported with reason 'connection error'."""
    emulator.faults.next_n(1).reset()

    await hooked.call()

    assert [e.reason for e in hooked.events] == ["connection error"]


async def test_each_retry_is_logged_on_the_sequrity_logger(api, emulator, caplog):
    """One INFO line per retry on logger `sequrity`, naming the attempt and the reason."""
    emulator.faults.next_n(2).status(503)
    caplog.set_level(logging.INFO, logger="sequrity")

    await api.call(CREATE, HELLO, MODEL)

    lines = [r.getMessage() for r in caplog.records if r.name == "sequrity"]
    url = emulator.base_url + PATH
    assert lines == [
        f"retrying POST {url} in 0.00 s (attempt 2 of 3): HTTP 503",
        f"retrying POST {url} in 0.00 s (attempt 3 of 3): HTTP 503",
    ]
    assert {r.levelno for r in caplog.records if r.name == "sequrity"} == {logging.INFO}


# -- streams -----------------------------------------------------------------------------------


async def test_stream_opening_is_retried_on_503(api, emulator):
    """A 503 before the stream opens is retried and the stream then delivers every chunk."""
    fault = emulator.faults.next_n(1).status(503)

    chunks, stream = await api.stream(CREATE, HELLO, MODEL)

    assert chunks
    assert stream.closed
    assert fault.hits == 1
    assert len(emulator.requests) == 2
    assert len({k[0] for k in idempotency_keys(emulator)}) == 1


async def test_stream_opening_is_retried_after_a_reset(api, emulator):
    """A reset before the stream's headers is retried."""
    emulator.faults.next_n(1).reset()

    chunks, _ = await api.stream(CREATE, HELLO, MODEL)

    assert chunks
    assert len(emulator.requests) == 2


async def test_mid_stream_failure_is_not_retried(api, emulator):
    """Once events flow, a reset raises SequrityStreamError and nothing is re-sent."""
    emulator.faults.next_n(1).reset(during_body=True, after_events=1)

    with pytest.raises(SequrityStreamError) as info:
        await api.stream(CREATE, HELLO, MODEL)

    # aiohttp drops bytes buffered before a reset when it reads late, so 0 or 1 events arrive.
    assert info.value.events_received in (0, 1)
    assert len(emulator.requests) == 1


async def test_in_band_stream_error_is_not_retried(api, emulator):
    """An error event inside a stream raises once, without a new request."""
    emulator.faults.next_n(1).stream_error("upstream exploded", after_events=2)

    with pytest.raises(SequrityStreamError, match="upstream exploded"):
        await api.stream(CREATE, HELLO, MODEL)

    assert len(emulator.requests) == 1


# -- deadlines and cancellation ----------------------------------------------------------------


async def test_total_deadline_spans_all_attempts(api, emulator):
    """Read timeouts are retried, but the total deadline stops the whole call in time."""
    fault = emulator.faults.always().delay(0.3)

    with pytest.raises(SequrityTimeoutError) as info:
        await api.call(CREATE, HELLO, MODEL, timeout=Timeout(read=0.2, total=0.5), retry=10)

    assert info.value.kind == "total"
    assert info.value.timeout == 0.5
    # Each attempt lasts at least its 0.2 s read timeout, so 0.5 s leave room for three at most:
    # the deadline, not the ten retries allowed, ended the call.
    assert 2 <= fault.hits <= 3
    assert len(emulator.requests) == fault.hits


async def test_retry_after_beyond_the_total_deadline_raises_the_answer_at_once(api, emulator):
    """A Retry-After longer than the time left is not slept: the server's answer is raised."""
    emulator.faults.always().status(503, retry_after=30)

    with anyio.fail_after(1):
        with pytest.raises(ServiceUnavailableError) as info:
            await api.call(CREATE, HELLO, MODEL, timeout=Timeout(total=5))

    assert info.value.status_code == 503
    assert len(emulator.requests) == 1


async def test_slow_attempt_ends_in_a_total_timeout(api, emulator):
    """An attempt still running when the total deadline fires ends in a total timeout."""
    emulator.faults.always().delay(2.0)

    with anyio.fail_after(5):
        with pytest.raises(SequrityTimeoutError) as info:
            await api.call(CREATE, HELLO, MODEL, timeout=Timeout(total=0.3))

    assert info.value.kind == "total"


async def test_backoff_that_would_outlast_the_deadline_raises_the_last_error(api, emulator):
    """When the next backoff sleep cannot fit in the time left, the last error is raised."""
    emulator.faults.always().status(503)
    policy = RetryPolicy(max_retries=10, initial_backoff=0.2, max_backoff=0.2, jitter=0)

    with anyio.fail_after(5):
        with pytest.raises(ServiceUnavailableError):
            await api.call(CREATE, HELLO, MODEL, timeout=Timeout(total=0.3), retry=policy)

    assert len(emulator.requests) == 2


async def test_cancelling_a_call_sleeping_on_retry_after_returns_promptly(client, emulator):
    """Cancelling a call during a 30 s Retry-After sleep ends it at once."""
    fault = emulator.faults.always().status(429, retry_after=30)

    with anyio.fail_after(5):
        with anyio.move_on_after(0.2) as scope:
            await client.control.chat.create(HELLO, MODEL)

    assert scope.cancelled_caught
    assert fault.hits == 1
    emulator.faults.clear()
    assert (await client.control.chat.create(HELLO, MODEL)).content


async def test_bad_request_error_is_typed_after_should_retry_true_exhausts(api, emulator):
    """A 400 that the server keeps marking retryable ends as BadRequestError after the budget."""
    emulator.faults.always().status(400, should_retry=True)

    with pytest.raises(BadRequestError):
        await api.call(CREATE, HELLO, MODEL, retry=1)

    assert len(emulator.requests) == 2
