import asyncio

from sequrity import AsyncSequrityClient

QUESTIONS = [f"What is {n} squared?" for n in range(1, 21)]


async def main() -> None:
    async with AsyncSequrityClient() as client:
        outcomes = await client.control.chat.create_many(
            [
                {"messages": [{"role": "user", "content": q}], "model": "openai/gpt-5-mini"}
                for q in QUESTIONS
            ],
            concurrency=8,  # at most 8 requests in flight
        )
        # One outcome per request, in input order; a failure is a value, not an exception.
        for question, outcome in zip(QUESTIONS, outcomes, strict=True):
            if outcome.ok:
                print(question, "->", outcome.value.content)
            else:
                print(question, "failed:", outcome.error)
        print(sum(o.ok for o in outcomes), "of", len(outcomes), "succeeded")


asyncio.run(main())
