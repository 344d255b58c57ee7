"""The getting-started guide's Dual-LLM example, unchanged but for the package name.

Run against the emulator: SEQURITY_BASE_URL=http://127.0.0.1:8765 python examples/getting_started_dual_llm.py
"""

from sequrity import SequrityClient
from sequrity.types.control.headers import FeaturesHeader, SecurityPolicyHeader

# Initialize the client
client = SequrityClient(api_key="your-sequrity-api-key")

# Create dual LLM feature headers
features = FeaturesHeader.create_dual_llm_headers()
policy = SecurityPolicyHeader.create_default()

# Send a chat completion request
response = client.control.create_chat_completion(
    messages=[{"role": "user", "content": "What is the largest prime number below 100?"}],
    model="openai/gpt-5-mini",
    llm_api_key="sk-your-openrouter-key",
    features=features,
    security_policy=policy,
)

print(response.choices[0].message.content)
