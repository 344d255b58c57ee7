import os

from sequrity import SequrityClient
from sequrity.control import ControlConfig

config = ControlConfig(
    provider="openrouter",  # the LLM provider that serves the model
    llm_api_key=os.environ.get("OPENROUTER_API_KEY"),  # your own key; None: a Sequrity-managed one
)

with SequrityClient(control=config) as client:
    response = client.control.chat.create(
        [{"role": "user", "content": "What is the largest prime number below 100?"}],
        "openai/gpt-5-mini",
    )
    print(response.content)
