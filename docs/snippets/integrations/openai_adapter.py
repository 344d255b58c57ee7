import asyncio

from sequrity.integrations.openai_client import OpenAIClientAdapter


async def main() -> None:
    # An AsyncOpenAI-shaped client: code written for the OpenAI SDK, sent by our client.
    openai_like = OpenAIClientAdapter()  # SEQURITY_API_KEY, SEQURITY_BASE_URL
    completion = await openai_like.chat.completions.create(
        model="openai/gpt-5-mini",
        messages=[{"role": "user", "content": "What is the largest prime number below 100?"}],
    )
    print(type(completion).__module__)  # openai.types.chat.chat_completion
    print(completion.choices[0].message.content)  # 97
    await openai_like.close()


asyncio.run(main())
