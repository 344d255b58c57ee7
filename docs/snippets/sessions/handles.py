import asyncio

from sequrity import AsyncSequrityClient

MODEL = "openai/gpt-5-mini"


async def conversation(client: AsyncSequrityClient, topic: str) -> str | None:
    # A handle remembers its own session id: the first call starts a session,
    # every later call through the handle continues it.
    async with client.control.session() as talk:
        history = [{"role": "user", "content": f"Tell me about {topic}."}]
        answer = await talk.chat.create(history, MODEL)
        history += [answer.choices[0].message, {"role": "user", "content": "Shorter, please."}]
        await talk.chat.create(history, MODEL)
        return talk.id


async def main() -> None:
    async with AsyncSequrityClient() as client:
        # Two conversations at once on one client: their sessions never mix.
        ids = await asyncio.gather(conversation(client, "owls"), conversation(client, "tides"))
        print("two sessions:", len(set(ids)) == 2)  # True


asyncio.run(main())
