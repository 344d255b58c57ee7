"""Code written against the official SDK's documented API runs unchanged (ControlConfig defaults,
client.control.chat.create, FeaturesHeader.dual_llm and friends)."""

from sequrity import SequrityClient
from sequrity.control import (
    ControlConfig,
    FeaturesHeader,
    FineGrainedConfigHeader,
    SecurityPolicyHeader,
)

config = ControlConfig(
    llm_api_key="sk-or-your-key",
    provider="openrouter",
    features=FeaturesHeader.dual_llm(toxicity_filter=True),
    security_policy=SecurityPolicyHeader.dual_llm(),
    fine_grained_config=FineGrainedConfigHeader.dual_llm(max_n_turns=5),
)

with SequrityClient(api_key="your-sequrity-api-key", control=config) as client:
    response = client.control.chat.create(
        messages=[{"role": "user", "content": "What is 6 + 7?"}],
        model="openai/gpt-5-mini",
    )
    print(response.choices[0].message.content)
    print("session:", response.session_id)
