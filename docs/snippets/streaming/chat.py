import asyncio

from sequrity import AsyncSequrityClient


async def main() -> None:
    async with AsyncSequrityClient() as client:
        stream = await client.control.chat.create(
            [{"role": "user", "content": "Write a haiku about the sea."}],
            "openai/gpt-5-mini",
            stream=True,
        )
        async with stream:  # closes the connection even if you stop early
            async for chunk in stream:
                for choice in chunk.choices:
                    print(choice.delta.content or "", end="", flush=True)
        print()
        print("session:", stream.session_id is not None)  # known once the headers arrived


asyncio.run(main())
