"""Chat Completions against the emulator, through both clients."""

from __future__ import annotations

import json
import sys
import uuid

import pytest

from sequrity import (
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SequrityAPIError,
    SequrityDecodeError,
    SequrityStreamError,
    SequrityTimeoutError,
    SequrityValidationError,
    ServiceUnavailableError,
    Timeout,
    UnprocessableEntityError,
)
from sequrity.testing import Emulator
from sequrity.types.chat_completion.request import UserMessage
from sequrity.types.chat_completion.response import ChatCompletionResponse
from sequrity.types.chat_completion.stream import ChatCompletionChunk

pytestmark = pytest.mark.anyio

CREATE = "control.chat.create"
MODEL = "openai/gpt-5-mini"
HELLO = [{"role": "user", "content": "What is the largest prime number below 100?"}]


async def test_create_returns_typed_response_with_session_and_request_ids(api, emulator):
    """A plain call returns a typed completion carrying the session and request ids."""
    response = await api.call(CREATE, HELLO, MODEL)

    assert isinstance(response, ChatCompletionResponse)
    assert response.object == "chat.completion"
    assert response.choices[0].finish_reason == "stop"
    assert "97" in (response.content or "")
    assert uuid.UUID(response.session_id or "")
    assert response.request_id == emulator.requests[-1].request_id


async def test_request_carries_auth_user_agent_accept_and_json_body(api, emulator):
    """The wire request has the bearer token, our User-Agent, JSON Accept and the given body."""
    await api.call(CREATE, [UserMessage(content="hi")], MODEL, temperature=0.5, seed=7)

    sent = emulator.requests[-1]
    assert sent.path == "/control/chat/v1/chat/completions"
    assert sent.headers["Authorization"] == "Bearer sq-test-key"
    assert sent.headers["User-Agent"].startswith("sequrity-python/")
    assert sent.headers["Accept"] == "application/json"
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.json == {
        "messages": [{"content": "hi", "role": "user"}],
        "model": MODEL,
        "seed": 7,
        "temperature": 0.5,
    }


async def test_scripted_reply_is_returned_verbatim(api, emulator):
    """A reply queued on the emulator comes back exactly."""
    emulator.script.reply("scripted: héllo")

    response = await api.call(CREATE, HELLO, MODEL)

    assert response.content == "scripted: héllo"


async def test_stream_yields_typed_chunks_that_add_up_to_the_answer(api, emulator):
    """A stream yields chunk objects whose deltas concatenate to the plain answer."""
    plain = await api.call(CREATE, HELLO, MODEL)

    chunks, stream = await api.stream(CREATE, HELLO, MODEL)

    assert chunks
    assert all(isinstance(c, ChatCompletionChunk) for c in chunks)
    assert chunks[0].object == "chat.completion.chunk"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == plain.content
    assert any(c.choices and c.choices[0].finish_reason == "stop" for c in chunks)
    assert stream.session_id
    assert stream.closed
    assert emulator.requests[-1].headers["Accept"] == "text/event-stream"


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, ServiceUnavailableError),
        (418, SequrityAPIError),
    ],
)
async def test_error_status_maps_to_typed_error(api, emulator, status, error):
    """Each HTTP error status raises its own error class with the server's detail and request id."""
    emulator.script.error(status, f"scripted {status}")

    with pytest.raises(error) as info:
        await api.call(CREATE, HELLO, MODEL, retry=None)

    assert info.value.status_code == status
    assert info.value.message == f"scripted {status}"
    assert info.value.request_id == emulator.requests[-1].request_id
    assert info.value.body == {"detail": f"scripted {status}"}


async def test_error_on_a_stream_is_raised_before_any_chunk(api, emulator):
    """An error status on a streaming call raises at once, typed, with nothing yielded."""
    emulator.script.error(429, "slow down", {"Retry-After": "7"})

    with pytest.raises(RateLimitError) as info:
        await api.stream(CREATE, HELLO, MODEL, retry=None)

    assert info.value.retry_after == 7.0


async def test_unknown_api_key_is_an_authentication_error():
    """An emulator with an allow-list refuses other keys with 401."""
    from sequrity import AsyncSequrityClient

    async with Emulator(api_keys=["sq-good"]) as emu:
        async with AsyncSequrityClient("sq-bad", base_url=emu.base_url) as c:
            with pytest.raises(AuthenticationError):
                await c.control.chat.create(HELLO, MODEL)
        async with AsyncSequrityClient("sq-good", base_url=emu.base_url) as c:
            assert (await c.control.chat.create(HELLO, MODEL)).content


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"messages": [{"role": "robot", "content": "x"}]}, "role"),
        ({"messages": [{"role": "user"}]}, "content"),
        ({"messages": [{"role": "user", "content": 3}]}, "content"),
        ({"messages": []}, "messages"),
        ({"model": None}, "model"),
        ({"provider": "mistral"}, "provider"),
        ({"endpoint_type": "batch"}, "endpoint_type"),
        ({"provider": "anthropic"}, "provider"),
        ({"temperature": "hot"}, "temperature"),
        ({"extra_body": {"x": {1, 2}}}, "JSON"),
        ({"custom_headers": {"X-Evil": "a\r\nInjected: 1"}}, "X-Evil"),
    ],
)
async def test_bad_input_is_refused_before_sending(api, emulator, kwargs, field):
    """Invalid arguments raise a validation error naming the field, and nothing is sent."""
    args = {"messages": HELLO, "model": MODEL, **kwargs}
    messages, model = args.pop("messages"), args.pop("model")

    with pytest.raises(SequrityValidationError) as info:
        await api.call(CREATE, messages, model, **args)

    assert field in str(info.value)
    assert emulator.requests == []


@pytest.mark.parametrize(
    ("endpoint_type", "provider", "path"),
    [
        ("chat", None, "/control/chat/v1/chat/completions"),
        ("chat", "openai", "/control/chat/openai/v1/chat/completions"),
        ("code", "openrouter", "/control/code/openrouter/v1/chat/completions"),
        ("agent", "sequrity_azure", "/control/agent/sequrity_azure/v1/chat/completions"),
        ("lang-graph", None, "/control/lang-graph/v1/chat/completions"),
    ],
)
async def test_routes_follow_endpoint_type_and_provider(
    api, emulator, endpoint_type, provider, path
):
    """endpoint_type and provider pick the documented URL, including the default route."""
    await api.call(CREATE, HELLO, MODEL, endpoint_type=endpoint_type, provider=provider)

    assert emulator.requests[-1].path == path


async def test_session_id_is_sent_and_continued(api, emulator):
    """Passing a session id continues that session; the answer carries the same id."""
    first = await api.call(CREATE, HELLO, MODEL)

    second = await api.call(CREATE, HELLO, MODEL, session_id=first.session_id)

    assert emulator.requests[-1].headers["X-Session-ID"] == first.session_id
    assert second.session_id == first.session_id
    assert "X-Session-ID" not in emulator.requests[0].headers


async def test_custom_headers_replace_case_insensitively(api, emulator):
    """A lower-case custom authorization header replaces the default one instead of doubling it."""
    await api.call(CREATE, HELLO, MODEL, custom_headers={"authorization": "Bearer other"})

    assert emulator.requests[-1].headers.getall("Authorization") == ["Bearer other"]


async def test_schema_goes_out_under_the_schema_key(api, emulator):
    """A JSON-schema response format is sent with the key "schema", never "schema_"."""
    fmt = {"type": "json_schema", "json_schema": {"name": "n", "schema": {"type": "object"}}}

    await api.call(CREATE, HELLO, MODEL, response_format=fmt)

    assert emulator.requests[-1].json["response_format"] == fmt


async def test_non_json_answer_is_a_decode_error_keeping_the_raw_body(api, emulator):
    """A truncated JSON body raises a decode error that keeps the raw text and status."""
    emulator.faults.next_n(1).truncate_body()

    with pytest.raises(SequrityDecodeError) as info:
        await api.call(CREATE, HELLO, MODEL)

    assert info.value.status_code == 200
    assert info.value.body.startswith("{")
    with pytest.raises(json.JSONDecodeError):
        json.loads(info.value.body)


async def test_stream_without_done_is_a_stream_error(api, emulator):
    """A stream that ends before [DONE] raises a stream error, never a silent short answer."""
    emulator.faults.next_n(1).truncate_stream(after_events=2)

    with pytest.raises(SequrityStreamError) as info:
        await api.stream(CREATE, HELLO, MODEL)

    assert "[DONE]" in str(info.value)


async def test_in_band_stream_error_is_raised_typed(api, emulator):
    """An error event inside the stream raises a stream error with the server's message."""
    emulator.faults.next_n(1).stream_error("upstream exploded", after_events=1)

    with pytest.raises(SequrityStreamError) as info:
        await api.stream(CREATE, HELLO, MODEL)

    assert "upstream exploded" in str(info.value)


async def test_connection_reset_mid_stream_is_a_stream_error(api, emulator):
    """A connection reset in the middle of a stream raises a stream error."""
    emulator.faults.next_n(1).reset(during_body=True, after_events=1)

    with pytest.raises(SequrityStreamError):
        await api.stream(CREATE, HELLO, MODEL)


async def test_total_timeout_fires_and_says_so(api, emulator):
    """A server slower than the per-call total deadline raises a timeout error naming it."""
    emulator.faults.next_n(1).delay(2.0)

    with pytest.raises(SequrityTimeoutError) as info:
        await api.call(CREATE, HELLO, MODEL, timeout=0.2, retry=None)

    assert info.value.kind == "total"
    assert info.value.timeout == 0.2


async def test_stream_idle_timeout_fires(api, emulator):
    """A stream whose events stop arriving raises a stream-idle timeout."""
    emulator.faults.next_n(1).stream_delay(1.0)

    with pytest.raises(SequrityTimeoutError) as info:
        await api.stream(CREATE, HELLO, MODEL, timeout=Timeout(stream_idle=0.2))

    assert info.value.kind == "stream_idle"


async def test_breaking_out_of_a_stream_releases_it(client, emulator):
    """Leaving an async-with block after the first chunk closes the stream."""
    async with await client.control.chat.create(HELLO, MODEL, stream=True) as stream:
        async for _ in stream:
            break

    assert stream.closed
    assert (await client.control.chat.create(HELLO, MODEL)).content


async def test_a_stream_ended_by_done_leaves_no_async_generator_to_finalise(client, emulator):
    """
    A stream read to its ``[DONE]`` (before the body's very end) leaves nothing half-run: an
    unfinished async generator would be closed later by the loop, with a wake-up and a task.
    """
    started = []
    firstiter, finalizer = sys.get_asyncgen_hooks()

    def record(agen):
        if "sequrity" in agen.ag_code.co_filename:
            started.append(agen)
        if firstiter is not None:
            firstiter(agen)

    sys.set_asyncgen_hooks(firstiter=record, finalizer=finalizer)
    try:
        stream = await client.control.chat.create(HELLO, MODEL, stream=True)
        chunks = [chunk async for chunk in stream]
    finally:
        sys.set_asyncgen_hooks(firstiter=firstiter, finalizer=finalizer)

    assert chunks
    assert stream.closed
    assert [agen for agen in started if agen.ag_frame is not None] == []


async def test_a_bad_retry_argument_on_a_stream_is_refused_before_sending(client, emulator):
    """`retry=` is checked before the stream is opened, as for complete answers."""
    with pytest.raises(SequrityValidationError):
        await client.control.chat.create(HELLO, MODEL, stream=True, retry="three")

    assert emulator.requests == []
