import asyncio

from sequrity import AsyncSequrityClient
from sequrity.batch import run_batch


async def main() -> None:
    async with AsyncSequrityClient() as client:
        summary = await run_batch(client, "requests.jsonl", "results.jsonl", concurrency=16)
        print(summary)  # done 3 (succeeded 3, failed 0), skipped 0, malformed 0, ...

        again = await run_batch(client, "requests.jsonl", "results.jsonl")
        print("second run skipped", again.skipped)  # 3: nothing is sent twice


asyncio.run(main())
