import asyncio

from sequrity import AsyncSequrityClient


async def main() -> None:
    # Reads SEQURITY_API_KEY (and SEQURITY_BASE_URL, when set) from the environment.
    async with AsyncSequrityClient() as client:
        response = await client.control.chat.create(
            messages=[{"role": "user", "content": "What is the largest prime number below 100?"}],
            model="openai/gpt-5-mini",
        )
        print(response.content)  # 97
        print(response.session_id)  # the server's session for this conversation


asyncio.run(main())
