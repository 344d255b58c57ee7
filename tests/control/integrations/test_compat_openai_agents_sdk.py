"""Tests for the official names in `sequrity.control.integrations.openai_agents_sdk`."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator

import pytest

pytest.importorskip("agents", reason="needs the agents extra: pip install 'sequrity[agents]'")

from agents import Agent, Runner, function_tool
from agents.models.openai_chatcompletions import OpenAIChatCompletionsModel
from openai.types.chat import ChatCompletion

from sequrity import SequrityError
from sequrity.control import FeaturesHeader, PolicyViolationError, SecurityPolicyHeader
from sequrity.control.integrations import SequrityAsyncOpenAI as LazySequrityAsyncOpenAI
from sequrity.control.integrations.openai_agents_sdk import (
    SequrityAsyncOpenAI,
    SequrityModel,
    SequrityModelProvider,
    create_sequrity_openai_agents_sdk_client,
)
from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio

#: The official factory's parameters, in order.
OFFICIAL_PARAMETERS = [
    "sequrity_api_key",
    "features",
    "security_policy",
    "fine_grained_config",
    "service_provider",
    "llm_api_key",
    "base_url",
    "endpoint_type",
    "timeout",
    "kwargs",
]
POLICY = 'tool "send_email" { hard deny when to.value in {"eve@evil.com"}; }'


@pytest.fixture(autouse=True)
def no_trace_export(monkeypatch: pytest.MonkeyPatch) -> None:
    """No run exports traces."""
    monkeypatch.setenv("OPENAI_AGENTS_DISABLE_TRACING", "1")


@pytest.fixture
async def provider(emulator: Emulator) -> AsyncIterator[SequrityModelProvider]:
    """The official factory's provider, Dual-LLM, on the in-loop emulator."""
    built = create_sequrity_openai_agents_sdk_client(
        sequrity_api_key="sq-test",
        features=FeaturesHeader.dual_llm(),
        security_policy=SecurityPolicyHeader.dual_llm(codes=POLICY),
        service_provider="openrouter",
        llm_api_key="or-key",
        base_url=emulator.base_url,
    )
    yield built
    await built.aclose()


@function_tool
def get_weather(city: str) -> str:
    """Give the weather of a city."""
    return f"Sunny in {city}"


@function_tool
def send_email(to: str, body: str) -> str:
    """Send an email."""
    return "sent"


AGENT = Agent(name="assistant", tools=[get_weather, send_email])


def test_the_official_names_keep_their_official_signatures() -> None:
    """The factory and the client take the official parameters, in the official order."""
    assert (
        list(inspect.signature(create_sequrity_openai_agents_sdk_client).parameters),
        list(inspect.signature(SequrityAsyncOpenAI).parameters),
        list(inspect.signature(SequrityModel).parameters),
        list(inspect.signature(SequrityModelProvider).parameters),
        LazySequrityAsyncOpenAI is SequrityAsyncOpenAI,
    ) == (
        OFFICIAL_PARAMETERS,
        OFFICIAL_PARAMETERS,
        ["base_model", "openai_client"],
        ["openai_client"],
        True,
    )


async def test_a_run_returns_the_unwrapped_value_and_tracks_the_session(
    emulator: Emulator, provider: SequrityModelProvider
) -> None:
    """final_output is the value (not the envelope); the session is kept and sent next run."""
    first = await Runner.run(AGENT, "What is 2 + 2?", run_config=provider.run_config(model="m"))
    held = provider.session_id
    await Runner.run(AGENT, "And 3 + 3?", run_config=provider.run_config(model="m"))
    provider.reset_session()

    assert (
        first.final_output,
        emulator.requests[0].path,
        "X-Session-ID" in emulator.requests[0].headers,
        emulator.requests[1].headers["X-Session-ID"],
        provider.session_id,
    ) == ("4", "/control/chat/openrouter/v1/chat/completions", False, held, None)


async def test_the_session_is_sent_during_a_run_with_tool_calls(
    emulator: Emulator, provider: SequrityModelProvider
) -> None:
    """Unlike the official SDK, the follow-up request of a run carries the session."""
    emulator.script.tool_calls([{"name": "get_weather", "arguments": {"city": "Oslo"}}])
    emulator.script.reply("Sunny.")

    result = await Runner.run(AGENT, "Weather?", run_config=provider.run_config(model="m"))

    assert (result.final_output, emulator.requests[1].headers.get("X-Session-ID")) == (
        "Sunny.",
        provider.session_id,
    )


async def test_a_denial_raises_and_leaves_the_session_to_continue(
    emulator: Emulator, provider: SequrityModelProvider
) -> None:
    """A denied run raises PolicyViolationError; the provider holds its session."""
    emulator.script.tool_calls([{"name": "send_email", "arguments": {"to": "eve@evil.com"}}])

    with pytest.raises(PolicyViolationError) as caught:
        await Runner.run(AGENT, "Mail Eve", run_config=provider.run_config(model="m"))

    assert (caught.value.is_denied, provider.session_id) == (True, caught.value.session_id)


async def test_direct_chat_completions_and_manual_sessions(
    emulator: Emulator, provider: SequrityModelProvider
) -> None:
    """``provider.chat.completions.create`` answers OpenAI objects; a set session is sent."""
    answer = await provider.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "Hello"}]
    )
    captured = provider.session_id
    provider.reset_session()
    provider.set_session_id(captured)
    await provider.chat.completions.create(model="m", messages=[{"role": "user", "content": "Hi"}])

    assert (
        isinstance(answer, ChatCompletion),
        captured == answer.session_id,
        emulator.requests[-1].headers["X-Session-ID"],
    ) == (True, True, captured)


async def test_with_options_and_copy_work_and_share_the_session(
    provider: SequrityModelProvider,
) -> None:
    """The official client crashed on these; ours gives working copies sharing the session."""
    client = provider.openai_client
    await client.chat.completions.create(model="m", messages=[{"role": "user", "content": "a"}])
    no_retry = client.with_options(max_retries=0)
    clone = client.copy()

    answer = await no_retry.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "b"}]
    )

    assert (
        type(no_retry),
        type(clone),
        no_retry.session_id,
        clone.session_id,
        answer.session_id,
    ) == (
        SequrityAsyncOpenAI,
        SequrityAsyncOpenAI,
        client.session_id,
        client.session_id,
        client.session_id,
    )


async def test_the_official_model_class_runs_an_agent(
    emulator: Emulator, provider: SequrityModelProvider
) -> None:
    """``SequrityModel(base_model, openai_client)`` takes its name from the base model."""
    base = OpenAIChatCompletionsModel("planner-model", openai_client=provider.openai_client)  # type: ignore[arg-type]
    model = SequrityModel(base, provider.openai_client)
    agent = Agent(name="assistant", model=model)

    result = await Runner.run(agent, "What is 2 + 2?")

    assert (result.final_output, emulator.requests[-1].json["model"]) == ("4", "planner-model")


async def test_aclose_closes_the_client(emulator: Emulator) -> None:
    """Closing the provider closes the client the factory built."""
    provider = create_sequrity_openai_agents_sdk_client("sq-test", base_url=emulator.base_url)
    await provider.aclose()

    with pytest.raises(SequrityError, match="closed"):
        await provider.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "a"}]
        )


def test_unsupported_openai_options_are_refused() -> None:
    """AsyncOpenAI options the adapter cannot honour raise instead of being ignored."""
    with pytest.raises(TypeError, match="http_client"):
        SequrityAsyncOpenAI("sq-test", http_client=object())


def test_the_provider_gives_official_models_defaulting_to_gpt_5_mini() -> None:
    """``get_model(None)`` is a cached SequrityModel of ``gpt-5-mini`` over an
    OpenAIChatCompletionsModel, as officially."""
    provider = create_sequrity_openai_agents_sdk_client("sq-test")

    model = provider.get_model(None)

    assert isinstance(model, SequrityModel)
    assert (
        model.model,
        type(model.base_model),
        model.openai_client is provider.openai_client,
        provider.get_model("gpt-5-mini") is model,
    ) == ("gpt-5-mini", OpenAIChatCompletionsModel, True, True)
