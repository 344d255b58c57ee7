"""The Anthropic Messages API style through Sequrity Control: a message, a stream, and the tool loop.

Reads SEQURITY_API_KEY and SEQURITY_BASE_URL from the environment. Against the emulator:
    python -m sequrity.testing --port 8765 &
    SEQURITY_BASE_URL=http://127.0.0.1:8765 SEQURITY_API_KEY=sq-test python examples/messages_api.py
"""

from __future__ import annotations

import json
from typing import Any

from sequrity import SequrityClient
from sequrity.types.messages import accumulate_message

MODEL = "claude-sonnet-4-5-20250929"

WEATHER_TOOL = {
    "name": "get_weather",
    "description": "The current weather of a city.",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}


def get_weather(city: str) -> str:
    """A stand-in for a real weather service."""
    return json.dumps({"city": city, "forecast": "sunny", "celsius": 21})


def main() -> None:
    with SequrityClient() as client:
        # 1. One message.
        message = client.control.messages.create(
            [{"role": "user", "content": "What is the largest prime number below 100?"}],
            MODEL,
            max_tokens=256,
            provider="anthropic",
        )
        print("answer:", message.text, f"({message.stop_reason}, session {message.session_id})")

        # 2. The same question, streamed, then accumulated into the final message.
        with client.control.messages.create(
            [{"role": "user", "content": "What is 6 * 7"}],
            MODEL,
            max_tokens=256,
            provider="anthropic",
            stream=True,
        ) as stream:
            streamed = accumulate_message(stream)
        print("streamed:", streamed.text, f"({streamed.usage.output_tokens} output tokens)")

        # 3. The tool loop: run every tool_use block and answer with tool_result blocks.
        history: list[dict[str, Any]] = [
            {"role": "user", "content": "What is the weather in London?"}
        ]
        session_id = None
        for _ in range(5):
            reply = client.control.messages.create(
                history,
                MODEL,
                max_tokens=512,
                tools=[WEATHER_TOOL],
                provider="anthropic",
                session_id=session_id,
            )
            session_id = reply.session_id
            history.append({"role": "assistant", "content": reply.content})
            if reply.stop_reason != "tool_use":
                break
            history.append(
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "tool_result",
                            "tool_use_id": call.id,
                            "content": get_weather(**call.input),
                        }
                        for call in reply.tool_uses
                    ],
                }
            )
        print("tool loop:", reply.text)


if __name__ == "__main__":
    main()
