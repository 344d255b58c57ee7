"""Async client: one plain and one streamed chat completion, and a session handle."""

import asyncio

from sequrity import AsyncSequrityClient

MESSAGES = [{"role": "user", "content": "What is the largest prime number below 100?"}]


async def main() -> None:
    async with AsyncSequrityClient() as client:  # SEQURITY_API_KEY, SEQURITY_BASE_URL
        response = await client.control.chat.create(MESSAGES, "openai/gpt-5-mini")
        print(response.content)

        async with await client.control.chat.create(
            MESSAGES, "openai/gpt-5-mini", stream=True
        ) as stream:
            async for chunk in stream:
                for choice in chunk.choices:
                    print(choice.delta.content or "", end="")
        print()

        async with client.control.session() as conversation:
            await conversation.chat.create(MESSAGES, "openai/gpt-5-mini")
            print("session:", conversation.id)


asyncio.run(main())
