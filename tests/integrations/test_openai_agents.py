"""Tests for `sequrity.integrations.openai_agents`: Agents SDK runs against the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest

pytest.importorskip("agents", reason="needs the agents extra: pip install 'sequrity[agents]'")

from agents import Agent, ModelSettings, Runner, function_tool
from agents.exceptions import UserError

from sequrity import AsyncSequrityClient, SequrityError
from sequrity.control import (
    ControlConfig,
    FeaturesHeader,
    PolicyViolationError,
    SecurityPolicyHeader,
    session_id_from_tool_call_id,
)
from sequrity.integrations.openai_agents import SequrityProvider
from sequrity.testing import ChatCall, Emulator, Reply, ToolCalls, ToolCallSpec

pytestmark = pytest.mark.anyio

POLICY = 'tool "send_email" { hard deny when to.value in {"eve@evil.com"}; }'
DUAL = ControlConfig(
    features=FeaturesHeader.dual_llm(), security_policy=SecurityPolicyHeader.dual_llm(codes=POLICY)
)


@pytest.fixture(autouse=True)
def no_trace_export(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tracing stays off in these tests without the provider touching the environment."""
    monkeypatch.setenv("OPENAI_AGENTS_DISABLE_TRACING", "1")


@pytest.fixture
async def client(emulator: Emulator) -> AsyncIterator[AsyncSequrityClient]:
    """A Dual-LLM client on the in-loop emulator."""
    async with AsyncSequrityClient("sq-test", base_url=emulator.base_url, control=DUAL) as c:
        yield c


@pytest.fixture
def outbox() -> list[dict[str, str]]:
    """Emails the `send_email` tool sent."""
    return []


@pytest.fixture
def agent(outbox: list[dict[str, str]]) -> Agent[Any]:
    """An agent with a weather tool and an email tool."""

    @function_tool
    def get_weather(city: str) -> str:
        """Give the weather of a city."""
        return f"Sunny in {city}"

    @function_tool
    def send_email(to: str, body: str) -> str:
        """Send an email."""
        outbox.append({"to": to, "body": body})
        return "sent"

    return Agent(name="assistant", tools=[get_weather, send_email], model="gpt-5-mini")


def weather_call(city: str = "Paris") -> list[dict[str, Any]]:
    """The scripted tool call of `get_weather`."""
    return [{"name": "get_weather", "arguments": {"city": city}}]


async def test_a_run_executes_the_tool_locally_and_returns_the_unwrapped_answer(
    emulator: Emulator, client: AsyncSequrityClient, agent: Agent[Any]
) -> None:
    """The tool runs here, its result goes back with the tc- id, the output is the plain text."""
    emulator.script.tool_calls(weather_call())
    emulator.script.reply("It is sunny in Paris.")
    provider = SequrityProvider(client)

    result = await Runner.run(agent, "Weather in Paris?", run_config=provider.run_config())

    first, second = emulator.requests
    issued = second.json["messages"][-2]["tool_calls"][0]["id"]
    tool_message = second.json["messages"][-1]
    assert (
        result.final_output,
        tool_message,
        session_id_from_tool_call_id(issued) is not None,
        "X-Session-ID" in first.headers or "X-Session-ID" in second.headers,
    ) == (
        "It is sunny in Paris.",
        {"role": "tool", "tool_call_id": issued, "content": "Sunny in Paris"},
        True,
        False,
    )


async def test_a_denied_tool_call_raises_and_the_session_can_continue(
    emulator: Emulator,
    client: AsyncSequrityClient,
    agent: Agent[Any],
    outbox: list[dict[str, str]],
) -> None:
    """A policy denial raises PolicyViolationError; its session id continues the session."""
    emulator.script.tool_calls([{"name": "send_email", "arguments": {"to": "eve@evil.com"}}])
    provider = SequrityProvider(client)

    with pytest.raises(PolicyViolationError, match="'send_email' is denied") as caught:
        await Runner.run(agent, "Mail Eve", run_config=provider.run_config())
    settings = ModelSettings(extra_headers={"X-Session-ID": caught.value.session_id or ""})
    again = await Runner.run(
        agent, "Then just say hi", run_config=provider.run_config(model_settings=settings)
    )

    assert (outbox, again.final_output, emulator.requests[-1].headers["X-Session-ID"]) == (
        [],
        "Emulated answer to: Then just say hi",
        caught.value.session_id,
    )


async def test_a_session_can_be_named_through_extra_args(
    emulator: Emulator, client: AsyncSequrityClient, agent: Agent[Any]
) -> None:
    """``ModelSettings(extra_args={"session_id": ...})`` sends that session."""
    first = await client.control.chat.create([{"role": "user", "content": "hi"}], "m")
    settings = ModelSettings(extra_args={"session_id": first.session_id})

    await Runner.run(
        agent, "again", run_config=SequrityProvider(client).run_config(model_settings=settings)
    )

    assert emulator.requests[-1].headers["X-Session-ID"] == first.session_id


async def test_two_concurrent_runs_keep_their_own_sessions(
    emulator: Emulator, client: AsyncSequrityClient, agent: Agent[Any]
) -> None:
    """Two runs at once on one provider each continue only their own session."""

    def responder(call: ChatCall) -> Any:
        city = call.last_user_text
        if call.tool_results:
            return Reply(f"Done: {city}")
        return ToolCalls((ToolCallSpec(name="get_weather", arguments={"city": city}),))

    emulator.script.responder(responder)
    provider = SequrityProvider(client)
    results: dict[str, Any] = {}

    async def run(city: str) -> None:
        results[city] = await Runner.run(agent, city, run_config=provider.run_config())

    async with anyio.create_task_group() as group:
        group.start_soon(run, "Oslo")
        group.start_soon(run, "Lima")

    sessions = {
        city: {
            session_id_from_tool_call_id(m["tool_call_id"])
            for r in emulator.requests
            for m in r.json["messages"]
            if m.get("role") == "tool" and r.json["messages"][0]["content"] == city
        }
        for city in ("Oslo", "Lima")
    }
    assert (
        results["Oslo"].final_output,
        results["Lima"].final_output,
        len(sessions["Oslo"]),
        len(sessions["Lima"]),
        sessions["Oslo"] == sessions["Lima"],
    ) == ("Done: Oslo", "Done: Lima", 1, 1, False)


async def stream_deltas(
    agent: Agent[Any], text: str, provider: SequrityProvider
) -> tuple[list[str], Any]:
    """Run `agent` streamed; give the text deltas and the final output."""
    result = Runner.run_streamed(agent, text, run_config=provider.run_config())
    deltas = [
        event.data.delta
        async for event in result.stream_events()
        if event.type == "raw_response_event" and event.data.type == "response.output_text.delta"
    ]
    return deltas, result.final_output


@pytest.mark.parametrize("api", ["chat", "responses"])
async def test_run_streamed_gives_text_deltas_as_they_come(
    emulator: Emulator, agent: Agent[Any], api: Any
) -> None:
    """Single-LLM text streams word by word; the deltas make the final output."""
    emulator.script.reply("Hello streamed world")
    async with AsyncSequrityClient("sq-test", base_url=emulator.base_url) as plain:
        deltas, output = await stream_deltas(agent, "Hi", SequrityProvider(plain, api=api))

    assert (deltas, output) == (["Hello ", "streamed ", "world"], "Hello streamed world")


@pytest.mark.parametrize("api", ["chat", "responses"])
async def test_a_streamed_dual_llm_answer_is_one_unwrapped_delta(
    emulator: Emulator, client: AsyncSequrityClient, agent: Agent[Any], api: Any
) -> None:
    """The envelope is held back and its value streams as one delta, never the raw JSON."""
    emulator.script.tool_calls(weather_call("Rome"))
    emulator.script.reply("Sunny in Rome, 25 degrees")

    deltas, output = await stream_deltas(agent, "Weather?", SequrityProvider(client, api=api))

    assert (deltas, output) == (["Sunny in Rome, 25 degrees"], "Sunny in Rome, 25 degrees")


@pytest.mark.parametrize("api", ["chat", "responses"])
async def test_a_streamed_denial_raises(
    emulator: Emulator, client: AsyncSequrityClient, agent: Agent[Any], api: Any
) -> None:
    """A denial in a streamed run raises PolicyViolationError from the event stream."""
    emulator.script.tool_calls([{"name": "send_email", "arguments": {"to": "eve@evil.com"}}])

    with pytest.raises(PolicyViolationError) as caught:
        await stream_deltas(agent, "Mail Eve", SequrityProvider(client, api=api))

    assert caught.value.is_denied


async def test_the_responses_model_runs_tools_with_tc_ids(
    emulator: Emulator, client: AsyncSequrityClient, agent: Agent[Any]
) -> None:
    """With api="responses" the function call and its output round-trip with the tc- id."""
    emulator.script.tool_calls(weather_call("Oslo"))
    emulator.script.reply("Sunny in Oslo.")
    provider = SequrityProvider(client, api="responses")

    result = await Runner.run(agent, "Weather in Oslo?", run_config=provider.run_config())

    last = emulator.requests[-1]
    outputs = [i for i in last.json["input"] if i.get("type") == "function_call_output"]
    assert (
        emulator.requests[0].path,
        result.final_output,
        outputs[0]["output"],
        session_id_from_tool_call_id(outputs[0]["call_id"]) is not None,
    ) == ("/control/chat/v1/responses", "Sunny in Oslo.", "Sunny in Oslo", True)


async def test_a_chat_model_refuses_server_side_conversation_state(
    client: AsyncSequrityClient, agent: Agent[Any]
) -> None:
    """previous_response_id needs the Responses model; the chat model says so."""
    provider = SequrityProvider(client)

    with pytest.raises(UserError, match="api='responses'"):
        await Runner.run(agent, "hi", run_config=provider.run_config(), previous_response_id="r1")


async def test_aclose_closes_only_a_client_the_provider_built(emulator: Emulator) -> None:
    """A provider closes the client it built, never one it was given."""
    async with AsyncSequrityClient("sq-test", base_url=emulator.base_url) as given:
        borrowed = SequrityProvider(given)
        owned = SequrityProvider(api_key="sq-test", base_url=emulator.base_url)
        await borrowed.aclose()
        await owned.aclose()
        still_open = await given.control.chat.create([{"role": "user", "content": "hi"}], "m")

        with pytest.raises(SequrityError, match="closed"):
            await owned.client.control.chat.create([{"role": "user", "content": "hi"}], "m")

    assert still_open.choices[0].message.content == "Emulated answer to: hi"


def test_the_model_name_defaults_and_models_are_cached() -> None:
    """An agent without a model gets `default_model`; one model object per name."""
    provider = SequrityProvider(api_key="sq-test", default_model="openai/gpt-5-mini")

    model = provider.get_model(None)

    assert (model.model, provider.get_model("openai/gpt-5-mini") is model) == (  # type: ignore[attr-defined]
        "openai/gpt-5-mini",
        True,
    )


def test_a_provider_takes_a_client_or_options_not_both() -> None:
    """Giving a client and client options is refused."""
    with pytest.raises(ValueError, match="either a client or options"):
        SequrityProvider(AsyncSequrityClient("sq-test"), api_key="other")


TRACE_PROBE = """
import json, os
{setup}
from agents.tracing import get_trace_provider
from agents.tracing.traces import NoOpTrace
from sequrity.integrations.openai_agents import SequrityProvider
provider = SequrityProvider(api_key="sq-test"{options})
trace = get_trace_provider().create_trace("probe")
print(json.dumps({{
    "exported": not isinstance(trace, NoOpTrace),
    "run_config_disabled": provider.run_config().tracing_disabled,
}}))
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("setup", "options", "exported"),
    [
        ("os.environ.pop('OPENAI_AGENTS_DISABLE_TRACING', None)", "", False),
        ("os.environ['OPENAI_AGENTS_DISABLE_TRACING'] = '0'", "", True),
        (
            "os.environ.pop('OPENAI_AGENTS_DISABLE_TRACING', None)\n"
            "from agents import set_tracing_disabled; set_tracing_disabled(False)",
            "",
            True,
        ),
        ("os.environ.pop('OPENAI_AGENTS_DISABLE_TRACING', None)", ", tracing=True", True),
    ],
    ids=["default-off", "env-says-on", "code-says-on", "tracing-true"],
)
def test_traces_are_not_exported_unless_the_user_asked_for_them(
    run_python: Any, setup: str, options: str, exported: bool
) -> None:
    """A provider turns trace export off by default, but never against an explicit choice."""
    result = run_python(TRACE_PROBE.format(setup=setup, options=options))

    assert result == {"exported": exported, "run_config_disabled": "tracing=True" not in options}
