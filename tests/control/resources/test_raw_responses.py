"""`with_raw_response` of every resource, against the emulator, through both clients."""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest

from sequrity import AsyncStream, SequrityValidationError, Stream
from sequrity._core._raw import RawResponse
from sequrity.control.types.policy_gen import PolicyGenResponse
from sequrity.control.types.utility import HeaderValidationReport, HealthStatus, RouteListing
from sequrity.types.chat_completion.response import ChatCompletionResponse
from sequrity.types.messages.response import AnthropicMessageResponse
from sequrity.types.responses.response import ResponsesResponse

pytestmark = pytest.mark.anyio

MODEL = "openai/gpt-5-mini"
HELLO = [{"role": "user", "content": "What is the largest prime number below 100?"}]


async def test_chat_raw_response_carries_the_answer_and_its_metadata(api, emulator):
    """Status, URL, method, ids and body come with the usual `ChatCompletionResponse`."""
    raw = await api.call("control.chat.with_raw_response.create", HELLO, MODEL)

    assert isinstance(raw, RawResponse)
    response = raw.parse()
    assert isinstance(response, ChatCompletionResponse)
    assert (raw.status_code, raw.method, raw.retries) == (200, "POST", 0)
    assert raw.url == emulator.base_url + "/control/chat/v1/chat/completions"
    assert raw.session_id == response.session_id is not None
    assert json.loads(raw.text or "")["choices"][0]["message"]["content"] == response.content


async def test_a_retried_call_reports_its_retries(api, emulator):
    """Two 503s before the answer: `retries == 2`."""
    emulator.faults.next_n(2).status(503)

    raw = await api.call("control.chat.with_raw_response.create", HELLO, MODEL)

    assert (raw.retries, raw.status_code, len(emulator.requests)) == (2, 200, 3)


async def test_a_raw_stream_has_headers_now_and_events_later(api, emulator):
    """A stream's raw response has no body; its result is the stream of the client's colour."""
    if api.mode == "async":
        raw = await api.aclient.control.chat.with_raw_response.create(HELLO, MODEL, stream=True)
        async with raw.parse() as stream:
            chunks = [chunk async for chunk in stream]
        colour: type = AsyncStream
    else:

        def run() -> tuple[RawResponse[Stream[Any]], list[Any]]:
            raw = api.sclient.control.chat.with_raw_response.create(HELLO, MODEL, stream=True)
            with raw.parse() as stream:
                return raw, list(stream)

        raw, chunks = await anyio.to_thread.run_sync(run)
        colour = Stream

    assert isinstance(raw.parse(), colour)
    assert (raw.status_code, raw.text) == (200, None)
    assert chunks
    assert raw.session_id == raw.parse().session_id is not None


async def test_raw_calls_keep_the_session_of_their_handle(api, emulator):
    """A session handle's raw call sends and records the handle's session, like a plain call."""
    client = api.aclient if api.mode == "async" else api.sclient
    session = client.control.session()

    first = await api.call_on(session, "chat.with_raw_response.create", HELLO, MODEL)
    second = await api.call_on(session, "chat.create", HELLO, MODEL)

    assert session.id == first.session_id == second.session_id is not None
    assert emulator.requests[1].headers["X-Session-ID"] == first.session_id


async def test_a_raw_call_leaves_the_resource_as_it_was(api, emulator):
    """After a raw call the resource's plain calls return plain results."""
    await api.call("control.chat.with_raw_response.create", HELLO, MODEL)

    response = await api.call("control.chat.create", HELLO, MODEL)

    assert isinstance(response, ChatCompletionResponse)


async def test_an_invalid_raw_call_sends_nothing(api, emulator):
    """The raw twin validates like the method: an unknown keyword is refused before sending."""
    with pytest.raises(SequrityValidationError, match="temprature"):
        await api.call("control.chat.with_raw_response.create", HELLO, MODEL, temprature=0.5)

    assert emulator.requests == []


async def test_messages_and_responses_raw_responses(api, emulator):
    """Messages and Responses have typed raw twins of `create` too."""
    message = await api.call(
        "control.messages.with_raw_response.create", HELLO, "claude-sonnet-4-5", 100
    )
    response = await api.call(
        "control.responses.with_raw_response.create", MODEL, input="What is 2 + 2?"
    )

    assert isinstance(message.parse(), AnthropicMessageResponse)
    assert isinstance(response.parse(), ResponsesResponse)
    assert [message.url, response.url] == [
        emulator.base_url + "/control/chat/v1/messages",
        emulator.base_url + "/control/chat/v1/responses",
    ]


async def test_utility_and_policy_raw_responses(api, emulator):
    """Health, route listing, header validation and policy generation have raw twins."""
    health = await api.call("control.utility.with_raw_response.health")
    routes = await api.call("control.utility.with_raw_response.list_routes")
    report = await api.call("control.utility.with_raw_response.validate_headers", features=None)
    policy = await api.call(
        "control.policy.with_raw_response.generate",
        {"type": "oai_chat_completion", "model": MODEL, "description": "Never delete files."},
    )

    assert [type(r.parse()) for r in (health, routes, report, policy)] == [
        HealthStatus,
        RouteListing,
        HeaderValidationReport,
        PolicyGenResponse,
    ]
    assert [r.method for r in (health, routes, report, policy)] == ["GET", "GET", "POST", "POST"]
