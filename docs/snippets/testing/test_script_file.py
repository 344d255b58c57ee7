from pathlib import Path

from sequrity import SequrityClient
from sequrity.testing import ScriptFile

ANSWERS = ScriptFile.load(Path(__file__).with_name("answers.script.json"))


def test_the_shared_script_answers_by_content(sequrity_emulator):
    """One script file serves many tests: answers match on the request's content."""
    ANSWERS.apply(sequrity_emulator)

    with SequrityClient("sq-test", base_url=sequrity_emulator.base_url) as client:
        answer = client.control.chat.create(
            [{"role": "user", "content": "Will it rain tomorrow?"}], "openai/gpt-5-mini"
        )

    assert answer.content == "No rain today."
    assert [r.path for r in sequrity_emulator.requests].count(
        "/control/chat/v1/chat/completions"
    ) == 2  # the scripted 429, then the retry
