"""`chat.run_tools()`: the Dual-LLM tool protocol with your own Python function.

Against the emulator, scripted to call the tool (see run_tools_script.json):

    sequrity emulator --script examples/run_tools_script.json &
    SEQURITY_BASE_URL=http://127.0.0.1:8765 SEQURITY_API_KEY=sq-demo python examples/run_tools.py
"""

import asyncio

from sequrity import AsyncSequrityClient
from sequrity.control import FeaturesHeader

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather of a city",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
            },
        },
    }
]


def get_weather(city: str) -> dict[str, object]:
    print(f"get_weather called with city={city!r}")
    return {"city": city, "forecast": "sunny", "celsius": 21}


async def main() -> None:
    async with AsyncSequrityClient() as client:  # SEQURITY_API_KEY, SEQURITY_BASE_URL
        result = await client.control.chat.run_tools(
            [{"role": "user", "content": "What is the weather in Paris?"}],
            "openai/gpt-5-mini",
            tools=TOOLS,
            functions={"get_weather": get_weather},
            features=FeaturesHeader.dual_llm(),
        )
        print(f"tool calls: {[(c.name, c.arguments) for c in result.tool_calls]}")
        print(f"result: {result.result.status} {result.result.value}")


asyncio.run(main())
