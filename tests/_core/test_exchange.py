"""Tests for `sequrity._core._exchange`: decoding (pure) and sending through the emulator."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import attrs
import pytest
from multidict import CIMultiDict

from sequrity import (
    NOT_GIVEN,
    NotFoundError,
    RetryEvent,
    RetryPolicy,
    SequrityAPIError,
    SequrityDecodeError,
    SequrityStreamError,
    ServiceUnavailableError,
    Timeout,
)
from sequrity._converter import structure_fast, validation_messages
from sequrity._core._exchange import AsyncExchange, decode_object
from sequrity._core._gate import RateGate
from sequrity._core._raw import RawResponse, Recorder
from sequrity._core._stream import AsyncStream
from sequrity._core._transport import AiohttpTransport
from sequrity._core._wire import ApiRequest, ApiResponse
from sequrity.control.resources.chat import decode_chat_chunk
from sequrity.control.types.utility import HealthStatus
from sequrity.testing import Emulator
from sequrity.types.chat_completion.response import ChatCompletionResponse

pytestmark = pytest.mark.anyio

NO_WAIT = RetryPolicy(initial_backoff=0, max_backoff=0)
AUTH = {"Authorization": "Bearer sq-test-key", "Content-Type": "application/json"}
CHAT = "/control/chat/v1/chat/completions"
HELLO = {"messages": [{"role": "user", "content": "What is 2 + 2?"}], "model": "openai/gpt-5-mini"}


@attrs.frozen
class Pong:
    """A small answer type: what `structure` builds in the pure tests."""

    value: int
    session_id: str | None = None
    request_id: str | None = None


def explain(error: BaseException) -> list[str]:
    """The converter's JSON-path explanation, as the client wires it."""
    return validation_messages(error, "$")


def answer(body: bytes, status: int = 200, **headers: str) -> ApiResponse:
    """A complete response with case-insensitive headers."""
    return ApiResponse(status, CIMultiDict(headers), body)


# -- decoding (pure) -----------------------------------------------------------------------------


def test_decode_adds_the_session_and_request_ids_of_the_headers():
    """The answer's `X-Session-ID` and request id are set on the decoded object."""
    response = answer(b'{"value": 4}', **{"X-Session-ID": "s-1", "X-Request-ID": "r-1"})

    pong = decode_object(response, Pong, structure_fast, explain)

    assert pong == Pong(value=4, session_id="s-1", request_id="r-1")


def test_decode_prefers_the_fast_shortcut_and_falls_back_without_it():
    """A shortcut that answers is used as is; one that returns None leaves it to `structure`."""
    response = answer(b'{"value": 4}')
    sentinel = Pong(value=-1)

    fast = decode_object(response, Pong, structure_fast, explain, lambda data: sentinel)
    slow = decode_object(response, Pong, structure_fast, explain, lambda data: None)

    assert (fast is sentinel, slow) == (True, Pong(value=4))


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"<html>oops</html>", "not JSON"),
        (b"[1, 2]", "expected a JSON object, got list"),
        (b'{"value": "four"}', "does not match Pong"),
    ],
)
def test_undecodable_answers_are_decode_errors_keeping_the_body(body: bytes, fragment: str):
    """Not JSON, not an object, or not the expected shape: `SequrityDecodeError` with the raw body."""
    with pytest.raises(SequrityDecodeError, match=fragment) as caught:
        decode_object(answer(body, **{"X-Request-ID": "r-9"}), Pong, structure_fast, explain)

    assert (caught.value.body, caught.value.request_id) == (body.decode(), "r-9")


def test_a_shape_error_names_the_json_path():
    """The decode error says where the answer went wrong (the converter's JSON path)."""
    with pytest.raises(SequrityDecodeError, match=r"\$\.value"):
        decode_object(answer(b'{"value": "four"}'), Pong, structure_fast, explain)


def test_an_error_object_in_a_success_is_the_servers_error():
    """A 200 carrying ``{"error": {...}}`` raises the server's message, not a shape error."""
    body = b'{"error": {"message": "quota exhausted", "type": "insufficient_quota"}}'

    with pytest.raises(SequrityAPIError, match="quota exhausted"):
        decode_object(answer(body), Pong, structure_fast, explain)


# -- copies ----------------------------------------------------------------------------------------


def exchange_on(transport: Any, **kwargs: Any) -> AsyncExchange[None]:
    """An exchange over `transport` with no state (the exchange never reads it)."""
    return AsyncExchange(
        transport=transport,
        state=None,
        retry=NO_WAIT,
        structure=structure_fast,
        explain=explain,
        **kwargs,
    )


def test_gated_and_recording_copies_leave_the_original_unchanged():
    """`gated` and `recording` return new exchanges; the original has neither gate nor recorder."""
    original = exchange_on(object())
    gate, recorder = RateGate(), Recorder()

    gated, recording = original.gated(gate), original.recording(recorder)

    assert (gated.gate, gated.recorder, gated.transport) == (gate, None, original.transport)
    assert (recording.gate, recording.recorder) == (None, recorder)
    assert (original.gate, original.recorder) == (None, None)


def test_a_calls_retry_argument_replaces_the_default_policy():
    """Not given keeps the default; a number sets the retries; None disables them."""
    exchange = exchange_on(object())

    assert exchange.policy(NOT_GIVEN) is NO_WAIT
    assert exchange.policy(5).max_retries == 5
    assert exchange.policy(None).max_retries == 0


# -- against the emulator ----------------------------------------------------------------------------


@pytest.fixture
async def exchange(emulator: Emulator) -> AsyncIterator[AsyncExchange[None]]:
    """An exchange over a real aiohttp transport to the emulator."""
    ex = exchange_on(AiohttpTransport())
    yield ex
    await ex.aclose()


def get(emulator: Emulator, path: str) -> ApiRequest:
    """A GET of `path` with the test key."""
    return ApiRequest("GET", emulator.base_url + path, AUTH, None, Timeout())


def post_chat(emulator: Emulator, stream: bool = False) -> ApiRequest:
    """A chat request, plain or streaming."""
    body = json.dumps({**HELLO, "stream": stream}).encode()
    return ApiRequest("POST", emulator.base_url + CHAT, AUTH, body, Timeout(), stream)


async def test_request_sends_and_decodes(exchange, emulator):
    """One GET, decoded into the caller's type."""
    status = await exchange.request(get(emulator, "/control/health"), HealthStatus)

    assert status.is_ok
    assert [(r.method, r.path) for r in emulator.requests] == [("GET", "/control/health")]


async def test_an_error_status_is_retried_then_typed(exchange, emulator):
    """503s are retried by the policy (the hook sees each retry), then raised as typed errors."""
    emulator.faults.always().status(503)
    seen: list[RetryEvent] = []
    hooked = attrs.evolve(exchange, on_retry=seen.append)

    with pytest.raises(ServiceUnavailableError):
        await hooked.request(get(emulator, "/control/health"), HealthStatus, retry=2)

    assert (len(emulator.requests), [e.attempt for e in seen]) == (3, [1, 2])


async def test_not_found_keeps_the_url(exchange, emulator):
    """A 404 is a `NotFoundError` naming the URL requested; it is not retried."""
    request = get(emulator, "/control/nowhere")

    with pytest.raises(NotFoundError) as caught:
        await exchange.request(request, HealthStatus)

    assert (caught.value.url, len(emulator.requests)) == (request.url, 1)


async def test_request_raw_carries_status_headers_and_retries(exchange, emulator):
    """`request_raw` returns the decoded answer with its status, ids, retries and body."""
    emulator.faults.next_n(1).status(503)

    raw = await exchange.request_raw(post_chat(emulator), ChatCompletionResponse)

    assert isinstance(raw, RawResponse)
    assert (raw.status_code, raw.retries, raw.method) == (200, 1, "POST")
    assert raw.session_id == raw.parse().session_id is not None
    assert json.loads(raw.text or "")["object"] == "chat.completion"
    assert raw.headers["Content-Type"].startswith("application/json")


async def test_a_recording_exchange_hands_the_raw_response_to_its_recorder(exchange, emulator):
    """`request` on a recording copy returns the usual result and leaves the RawResponse behind."""
    recorder = Recorder()

    status = await exchange.recording(recorder).request(
        get(emulator, "/control/health"), HealthStatus
    )

    assert recorder.raw is not None
    assert recorder.raw.parse() is status
    assert (recorder.raw.status_code, recorder.raw.url) == (
        200,
        emulator.base_url + "/control/health",
    )


async def test_a_gated_exchange_passes_every_attempt_through_the_gate(exchange, emulator):
    """With a requests-per-minute ceiling of 1, the second attempt waits for the window."""
    slept: list[float] = []
    now = [1000.0]

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    gate = RateGate(requests_per_minute=1, clock=lambda: now[0], sleep=sleep)
    gated = exchange.gated(gate)

    await gated.request(get(emulator, "/control/health"), HealthStatus)
    await gated.request(get(emulator, "/control/health"), HealthStatus)
    await exchange.request(get(emulator, "/control/health"), HealthStatus)  # not gated

    assert slept == [60.0]
    assert len(emulator.requests) == 3


async def test_stream_opens_and_decodes_events(exchange, emulator):
    """`stream` returns an `AsyncStream` whose events are decoded by the given decoder."""
    stream = await exchange.stream(
        post_chat(emulator, stream=True), decode_chat_chunk, require_done=True
    )

    async with stream:
        text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

    assert "4" in text
    assert stream.closed


async def test_stream_raw_has_no_body_and_the_open_stream(exchange, emulator):
    """`stream_raw` gives the status and headers at once; the events still arrive through it."""
    raw = await exchange.stream_raw(
        post_chat(emulator, stream=True), decode_chat_chunk, require_done=True
    )

    async with raw.parse() as stream:
        events = [event async for event in stream]

    assert (raw.status_code, raw.text, raw.session_id is not None) == (200, None, True)
    assert events


async def test_a_complete_body_for_a_stream_request_is_a_stream_error(exchange, emulator):
    """A JSON answer to a stream request is `SequrityStreamError` keeping the body."""
    request = attrs.evolve(post_chat(emulator, stream=False), stream=True)

    with pytest.raises(SequrityStreamError, match="expected an event stream"):
        await exchange.stream(request, decode_chat_chunk, require_done=True)


async def test_only_opening_a_stream_is_retried(exchange, emulator):
    """A 503 when opening is retried; the stream then flows from the second attempt."""
    emulator.faults.next_n(1).status(503)

    stream: AsyncStream[Any] = await exchange.stream(
        post_chat(emulator, stream=True), decode_chat_chunk, require_done=True
    )
    async with stream:
        events = [event async for event in stream]

    assert (len(emulator.requests), bool(events)) == (2, True)
