"""The OpenAI Agents SDK on Sequrity: an agent with tools in Dual-LLM mode, a streamed run, and
a policy denial that is raised and whose session is continued.

    pip install 'sequrity[agents]'
    python examples/integrations/openai_agents_sdk.py

Without SEQURITY_API_KEY it runs against an embedded emulator whose model is scripted to call
the tools; with it (and SEQURITY_BASE_URL) it talks to that server.
"""

from __future__ import annotations

import asyncio
import os
from contextlib import AsyncExitStack

from agents import Agent, ModelSettings, Runner, function_tool

from sequrity import AsyncSequrityClient
from sequrity.control import (
    ControlConfig,
    FeaturesHeader,
    PolicyViolationError,
    SecurityPolicyHeader,
)
from sequrity.integrations.openai_agents import SequrityProvider

POLICY = 'tool "send_email" { hard deny when not to.value in {str matching r".*@example\\.com"}; }'
CONTROL = ControlConfig(
    provider="openrouter",
    features=FeaturesHeader.dual_llm(),
    security_policy=SecurityPolicyHeader.dual_llm(codes=POLICY),
)


@function_tool
def get_weather(city: str) -> str:
    """Give today's weather in a city."""
    return f"Sunny and 24 degrees in {city}"


@function_tool
def send_email(to: str, body: str) -> str:
    """Send an email."""
    return f"sent to {to}"


AGENT = Agent(
    name="assistant",
    instructions="Answer briefly; use the tools when they help.",
    tools=[get_weather, send_email],
    model="openai/gpt-5-mini",
)


async def main() -> None:
    async with AsyncExitStack() as stack:
        base_url = None
        if not os.environ.get("SEQURITY_API_KEY"):
            from sequrity.testing import Emulator

            emulator = await stack.enter_async_context(Emulator())
            base_url = emulator.base_url
            emulator.script.tool_calls([{"name": "get_weather", "arguments": {"city": "Paris"}}])
            emulator.script.reply("It is sunny and 24 degrees in Paris.")
            emulator.script.reply("Lovely weather for a walk along the Seine.")
            emulator.script.tool_calls(
                [{"name": "send_email", "arguments": {"to": "eve@evil.test", "body": "hi"}}]
            )
            print("(running against an embedded emulator)")
        client = await stack.enter_async_context(
            AsyncSequrityClient(
                os.environ.get("SEQURITY_API_KEY", "sq-demo"), base_url=base_url, control=CONTROL
            )
        )
        provider = SequrityProvider(client)  # no trace export unless you enable it

        # 1. A run with a tool call: the tool runs here, the answer is the unwrapped value.
        result = await Runner.run(
            AGENT, "What is the weather in Paris?", run_config=provider.run_config()
        )
        print("answer:", result.final_output)

        # 2. A streamed run: text deltas as the Runner produces them.
        streamed = Runner.run_streamed(
            AGENT, "Is that good for a walk?", run_config=provider.run_config()
        )
        print("streamed: ", end="")
        async for event in streamed.stream_events():
            if (
                event.type == "raw_response_event"
                and event.data.type == "response.output_text.delta"
            ):
                print(event.data.delta, end="", flush=True)
        print()

        # 3. A denied tool call raises; its session can be continued explicitly.
        try:
            await Runner.run(
                AGENT, "Email Eve a greeting at eve@evil.test", run_config=provider.run_config()
            )
        except PolicyViolationError as denied:
            print("denied:", denied.message.split(". Context")[0])
            settings = ModelSettings(extra_headers={"X-Session-ID": denied.session_id or ""})
            again = await Runner.run(
                AGENT,
                "Never mind. What is 2 + 2?",
                run_config=provider.run_config(model_settings=settings),
            )
            print("same session, next turn:", again.final_output)


if __name__ == "__main__":
    asyncio.run(main())
