# The emulator has no language model: script the planner's tool calls to try this.
#   sequrity emulator --script weather.script.json

import asyncio

from weather import WEATHER_TOOL, get_weather

from sequrity import AsyncSequrityClient
from sequrity.control import FeaturesHeader


async def main() -> None:
    async with AsyncSequrityClient() as client:
        run = await client.control.chat.run_tools(
            [{"role": "user", "content": "What is the weather in Paris?"}],
            "openai/gpt-5-mini",
            tools=[WEATHER_TOOL],
            functions={"get_weather": get_weather},  # plain or async functions
            features=FeaturesHeader.dual_llm(),
        )
        for call in run.tool_calls:
            print("called", call.name, call.arguments, "->", call.output)
        print("finished:", run.finished, "after", run.steps, "requests")
        print(run.result.status, run.result.value)


asyncio.run(main())
