import pytest

from sequrity import AsyncSequrityClient
from sequrity.testing import Emulator


@pytest.mark.anyio
async def test_async_code_with_an_emulator_in_the_same_loop():
    """Emulator() runs in the test's own event loop: start it with async with."""
    async with Emulator() as emulator:
        emulator.script.reply("pong", times=2)
        async with AsyncSequrityClient("sq-test", base_url=emulator.base_url) as client:
            first = await client.control.chat.create(
                [{"role": "user", "content": "ping"}], "openai/gpt-5-mini"
            )
            second = await client.control.chat.create(
                [{"role": "user", "content": "ping"}], "openai/gpt-5-mini"
            )

    assert (first.content, second.content) == ("pong", "pong")
    assert first.session_id != second.session_id  # no session named: two sessions
