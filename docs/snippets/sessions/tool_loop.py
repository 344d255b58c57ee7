# The emulator has no language model: script the planner's tool calls to try this.
#   sequrity emulator --script weather.script.json

import json
from typing import Any

from weather import WEATHER_TOOL, get_weather

from sequrity import SequrityClient
from sequrity.control import FeaturesHeader, parse_result

with SequrityClient() as client:
    messages: list[Any] = [{"role": "user", "content": "What is the weather in Paris?"}]
    session_id = None
    for _ in range(10):  # a bound, in case the planner keeps calling tools
        response = client.control.chat.create(
            messages,
            "openai/gpt-5-mini",
            tools=[WEATHER_TOOL],
            features=FeaturesHeader.dual_llm(),
            session_id=session_id,  # None starts a session; later calls continue it
        )
        session_id = response.session_id
        message = response.choices[0].message
        messages.append(message)  # the assistant message, exactly as received
        if not message.tool_calls:
            break
        for call in message.tool_calls:  # run each call, answer with its id
            arguments = json.loads(call.function.arguments)
            print("calling", call.function.name, arguments)
            messages.append(
                {"role": "tool", "tool_call_id": call.id, "content": get_weather(**arguments)}
            )

    result = parse_result(response.content)
    print(result.status, result.value)
