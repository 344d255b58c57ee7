import asyncio

from sequrity import AsyncSequrityClient
from sequrity.types.responses import ResponseAccumulator


async def main() -> None:
    async with AsyncSequrityClient() as client:
        accumulator = ResponseAccumulator()
        async with await client.control.responses.create(
            "gpt-5-mini", input="Write a haiku about the sea.", stream=True
        ) as stream:
            async for event in stream:
                accumulator.add(event)  # keeps the whole response up to date
                if event.type == "response.output_text.delta":
                    print(event.delta, end="", flush=True)
        print()

        response = accumulator.response  # None only if the stream held no response at all
        if response is not None:
            print(response.status, response.id)  # completed resp_...


asyncio.run(main())
