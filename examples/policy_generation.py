"""Generate a SQRT security policy from a plain-language description, then check it locally.

Run against the emulator: SEQURITY_BASE_URL=http://127.0.0.1:8765 SEQURITY_API_KEY=sq-demo python examples/policy_generation.py
"""

from sequrity import SequrityClient
from sequrity.sqrt import check

tools = [
    {
        "type": "function",
        "function": {
            "name": "read_file",
            "description": "Read a file's contents.",
            "parameters": {"type": "object", "properties": {"path": {"type": "string"}}},
        },
    },
    {
        "type": "function",
        "function": {
            "name": "delete_file",
            "description": "Delete a file.",
            "parameters": {"type": "object", "properties": {"path": {"type": "string"}}},
        },
    },
]

with SequrityClient() as client:
    result = client.control.policy.generate(
        {
            "type": "oai_chat_completion",
            "model": "gpt-5-mini",
            "description": "Allow the agent to read files but prevent it from deleting any files.",
            "tools": tools,
        }
    )

check(result.policies)  # raises SqrtParseError, with line and column, if the policy is invalid
print(result.policies)
print(f"tokens used: {result.usage.get('total_tokens')}")
