"""Tests for `sequrity.integrations.openai_client.OpenAIClientAdapter`, the AsyncOpenAI-shaped
client our client sends for (and the Agents SDK's own chat model on top of it)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

pytest.importorskip("agents", reason="needs the agents extra: pip install 'sequrity[agents]'")

from agents import Agent, ModelSettings, Runner
from agents.models.openai_chatcompletions import OpenAIChatCompletionsModel
from agents.retry import ModelRetrySettings
from openai import NOT_GIVEN, omit
from openai.types.chat import ChatCompletion, ChatCompletionChunk
from openai.types.responses import Response

from sequrity import (
    AsyncSequrityClient,
    RetryPolicy,
    SequrityValidationError,
    ServiceUnavailableError,
)
from sequrity.control import ControlConfig, FeaturesHeader
from sequrity.integrations.openai_client import OpenAIClientAdapter
from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio

FAST = RetryPolicy(max_retries=2, initial_backoff=0, max_backoff=0)
HELLO = [{"role": "user", "content": "hi"}]


@pytest.fixture(autouse=True)
def no_trace_export(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Agents SDK run below exports no traces."""
    monkeypatch.setenv("OPENAI_AGENTS_DISABLE_TRACING", "1")


@pytest.fixture
async def adapter(emulator: Emulator) -> AsyncIterator[OpenAIClientAdapter]:
    """An adapter that built its own client (fast retries), tracking one session."""
    built = OpenAIClientAdapter(
        api_key="sq-test", base_url=emulator.base_url, retry=FAST, track_session=True
    )
    yield built
    await built.close()


async def test_a_completion_is_an_openai_object_with_the_content_as_sent(
    emulator: Emulator, adapter: OpenAIClientAdapter
) -> None:
    """Answers are OpenAI ChatCompletion objects; the first session is tracked."""
    answer = await adapter.chat.completions.create(model="m", messages=HELLO)

    assert (
        isinstance(answer, ChatCompletion),
        answer.choices[0].message.content,
        answer.session_id is not None,
        adapter.session_id == answer.session_id,
    ) == (True, "Emulated answer to: hi", True, True)


async def test_openai_keywords_map_onto_the_request(
    emulator: Emulator, adapter: OpenAIClientAdapter
) -> None:
    """Known keywords are ours, unknown ones go into the body, sentinels are dropped, and the
    session header names the session."""
    first = await adapter.chat.completions.create(model="m", messages=HELLO)
    adapter.reset_session()

    await adapter.chat.completions.create(
        model="m",
        messages=HELLO,
        temperature=0.5,
        parallel_tool_calls=False,
        top_logprobs=omit,
        seed=NOT_GIVEN,
        extra_headers={"x-session-id": first.session_id, "X-Trace": "t1"},
        extra_body={"user": "u1"},
    )

    sent = emulator.requests[-1]
    assert (
        {k: sent.json.get(k) for k in ("temperature", "parallel_tool_calls", "user", "seed")},
        sent.headers["X-Session-ID"],
        sent.headers["X-Trace"],
    ) == (
        {"temperature": 0.5, "parallel_tool_calls": False, "user": "u1", "seed": None},
        first.session_id,
        "t1",
    )


async def test_a_stream_gives_openai_chunks_and_closes(adapter: OpenAIClientAdapter) -> None:
    """``stream=True`` gives an async stream of ChatCompletionChunk objects."""
    stream = await adapter.chat.completions.create(model="m", messages=HELLO, stream=True)
    async with stream:
        chunks = [chunk async for chunk in stream]

    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert (all(isinstance(c, ChatCompletionChunk) for c in chunks), text) == (
        True,
        "Emulated answer to: hi",
    )


async def test_with_options_max_retries_zero_sends_once_and_shares_the_session(
    emulator: Emulator, adapter: OpenAIClientAdapter
) -> None:
    """The copy the Agents SDK asks for does not retry; the original still does; one session."""
    no_retry = adapter.with_options(max_retries=0)
    emulator.faults.next_n(1).status(503)
    with pytest.raises(ServiceUnavailableError):
        await no_retry.chat.completions.create(model="m", messages=HELLO)
    attempts_without_retry = len(emulator.requests)
    emulator.faults.next_n(1).status(503)
    await adapter.chat.completions.create(model="m", messages=HELLO)

    assert (
        attempts_without_retry,
        len(emulator.requests) - attempts_without_retry,
        type(no_retry),
        no_retry.session_id,
    ) == (1, 2, OpenAIClientAdapter, adapter.session_id)


async def test_closing_a_copy_keeps_the_shared_client_open(adapter: OpenAIClientAdapter) -> None:
    """``copy()`` shares the client; closing the copy does not close it."""
    clone = adapter.copy(timeout=30.0)
    await clone.close()

    answer = await adapter.chat.completions.create(model="m", messages=HELLO)

    assert (clone.timeout, answer.choices[0].message.content) == (30.0, "Emulated answer to: hi")


async def test_the_agents_sdk_chat_model_runs_on_the_adapter_without_retries(
    emulator: Emulator,
) -> None:
    """OpenAIChatCompletionsModel over the adapter completes a run with an explicit no-retry
    budget (the Agents SDK then calls ``with_options(max_retries=0)``); the output is the wire
    content, envelope included."""
    calls: list[dict[str, Any]] = []

    class Recording(OpenAIClientAdapter):
        def with_options(self, **options: Any) -> OpenAIClientAdapter:
            calls.append(options)
            return super().with_options(**options)

    async with AsyncSequrityClient(
        "sq-test",
        base_url=emulator.base_url,
        control=ControlConfig(features=FeaturesHeader.dual_llm()),
    ) as client:
        model = OpenAIChatCompletionsModel("gpt-5-mini", openai_client=Recording(client))  # type: ignore[arg-type]
        settings = ModelSettings(retry=ModelRetrySettings(max_retries=0))
        agent = Agent(name="a", model=model, model_settings=settings)
        emulator.script.reply("Hello")
        result = await Runner.run(agent, "Hi")

    assert (calls[0], json.loads(result.final_output)["final_return_value"]["value"]) == (
        {"max_retries": 0},
        "Hello",
    )


async def test_responses_are_openai_objects_too(adapter: OpenAIClientAdapter) -> None:
    """``responses.create`` gives an OpenAI Response, and a stream of OpenAI events."""
    answer = await adapter.responses.create(model="m", input="hi")
    stream = await adapter.responses.create(model="m", input="hi", stream=True)
    async with stream:
        types = [event.type async for event in stream]

    assert (isinstance(answer, Response), answer.output_text, types[0], types[-1]) == (
        True,
        "Emulated answer to: hi",
        "response.created",
        "response.completed",
    )


async def test_without_tracking_no_session_is_kept(emulator: Emulator) -> None:
    """By default the adapter sends no session of its own."""
    async with OpenAIClientAdapter(api_key="sq-test", base_url=emulator.base_url) as plain:
        await plain.chat.completions.create(model="m", messages=HELLO)
        await plain.chat.completions.create(model="m", messages=HELLO)

    assert (plain.session_id, "X-Session-ID" in emulator.requests[1].headers) == (None, False)


async def test_unsupported_options_are_refused(adapter: OpenAIClientAdapter) -> None:
    """Query parameters and unknown client options fail loudly instead of being dropped."""
    with pytest.raises(SequrityValidationError, match="extra_query"):
        await adapter.chat.completions.create(model="m", messages=HELLO, extra_query={"a": "b"})
    with pytest.raises(TypeError, match="organization"):
        adapter.with_options(organization="org")
