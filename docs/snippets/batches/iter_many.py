import asyncio

from sequrity import AsyncSequrityClient

DOCUMENTS = {"doc-a": "The sea is calm.", "doc-b": "The tide is high.", "doc-c": "Gulls fly."}


async def main() -> None:
    async with AsyncSequrityClient() as client:
        requests = [
            {
                "custom_id": doc_id,  # not sent; copied to the outcome
                "messages": [{"role": "user", "content": f"Summarise: {text}"}],
                "model": "openai/gpt-5-mini",
            }
            for doc_id, text in DOCUMENTS.items()
        ]
        # Outcomes arrive as their requests complete; leaving the loop cancels the rest.
        async for outcome in client.control.chat.iter_many(requests, concurrency=2):
            print(outcome.custom_id, outcome.ok)


asyncio.run(main())
