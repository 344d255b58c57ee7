import asyncio

from support_graph import build_graph

from sequrity import AsyncSequrityClient
from sequrity.control import FeaturesHeader

MODEL = "openai/gpt-5-mini"
TICKET = {"text": "My invoice is wrong."}


async def main() -> None:
    graph = build_graph()
    async with AsyncSequrityClient() as client:
        # The final state, as graph.compile().invoke(TICKET) would return it.
        state = await client.control.langgraph.run(
            graph, TICKET, MODEL, features=FeaturesHeader.dual_llm()
        )
        print(state["reply"])

        # The whole run: state, nodes visited, requests sent, session.
        result = await client.control.langgraph.execute(graph, TICKET, MODEL)
        print(result.visited, "in", result.steps, "requests")

        # Each node's update as it happens, in LangGraph's own shape.
        async for update in client.control.langgraph.stream(
            graph, TICKET, MODEL, stream_mode="updates"
        ):
            print(update)


asyncio.run(main())
