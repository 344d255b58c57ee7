from sequrity import SequrityClient
from sequrity.sqrt import check

FILE_TOOLS = [
    {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {
                "type": "object",
                "properties": {"path": {"type": "string"}},
                "required": ["path"],
            },
        },
    }
    for name, description in [("read_file", "Read a file."), ("delete_file", "Delete a file.")]
]

with SequrityClient() as client:
    generated = client.control.policy.generate(
        {
            "type": "oai_chat_completion",  # the format of `tools`; it also picks the route
            "model": "gpt-5-mini",
            "description": "The agent may read any file but must never delete one.",
            "tools": FILE_TOOLS,
        }
    )

check(generated.policies)  # raises SqrtParseError, with line and column, if it is not valid SQRT
print(generated.policies)
print("tokens:", generated.usage.get("total_tokens"))
