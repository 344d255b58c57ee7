import asyncio

from sequrity import AsyncSequrityClient
from sequrity.testing import Emulator, Final, When


async def main() -> None:
    # The emulator works outside pytest too: in a script, a notebook or another test runner.
    async with Emulator() as emulator:
        emulator.script.queue(Final(value={"answer": 42}), when=When(last_user_contains="answer"))
        emulator.script.responder(lambda call: f"echo: {call.last_user_text}")

        async with AsyncSequrityClient("sq-demo", base_url=emulator.base_url) as client:
            for question in ("What is the answer?", "Hello"):
                reply = await client.control.chat.create(
                    [{"role": "user", "content": question}], "openai/gpt-5-mini"
                )
                print(reply.content)

        print(len(emulator.requests), "requests,", len(emulator.sessions.ids()), "sessions")


asyncio.run(main())
