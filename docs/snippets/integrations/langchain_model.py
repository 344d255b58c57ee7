# The emulator has no language model: script the model's decisions to try this.
#   sequrity emulator --script langchain.script.json

from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool

from sequrity.control import FeaturesHeader
from sequrity.integrations.langchain import ChatSequrity


@tool
def get_weather(city: str) -> str:
    """Give today's weather in a city."""
    return f"Sunny in {city}"


model = ChatSequrity(model="openai/gpt-5-mini", features=FeaturesHeader.dual_llm())
with_tools = model.bind_tools([get_weather])

question = HumanMessage("What is the weather in Rome?")
first = with_tools.invoke([question])  # invoke() is blocking; ainvoke() is async
print(first.tool_calls)  # [{'name': 'get_weather', 'args': {'city': 'Rome'}, ...}]

call = first.tool_calls[0]
result = ToolMessage(get_weather.invoke(call["args"]), tool_call_id=call["id"])
final = with_tools.invoke([question, first, result])
print(final.content)  # the program's value: Sunny in Rome
print("session:", final.response_metadata["session_id"] is not None)

for chunk in model.stream("Say hello"):  # streams too; astream() is async
    print(chunk.content, end="")
print()
model.close()
