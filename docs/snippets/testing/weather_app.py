"""The application under test: a function that asks the Control API about the weather."""

from sequrity import SequrityClient
from sequrity.control import FeaturesHeader


def forecast(city: str) -> str | None:
    # Reads SEQURITY_API_KEY and SEQURITY_BASE_URL: in tests, the emulator's.
    with SequrityClient() as client:
        answer = client.control.chat.create(
            [{"role": "user", "content": f"What is the weather in {city}?"}],
            "openai/gpt-5-mini",
            features=FeaturesHeader.single_llm(),
        )
        return answer.content
