# The emulator has no language model: script the planner's tool calls to try this.
#   sequrity emulator --script denied.script.json

import asyncio
from pathlib import Path

from sequrity import AsyncSequrityClient
from sequrity.control import FeaturesHeader, SecurityPolicyHeader


def get_internal_document(doc_id: str) -> str:
    return f"Q3 plan ({doc_id}): revenue up 12%"


def send_email(to: str, body: str) -> str:
    return f"sent to {to}"


def tool(name: str, **params: str) -> dict[str, object]:
    properties = {param: {"type": "string", "description": text} for param, text in params.items()}
    return {
        "type": "function",
        "function": {
            "name": name,
            "parameters": {"type": "object", "properties": properties, "required": list(params)},
        },
    }


TOOLS = [
    tool("get_internal_document", doc_id="The document's id"),
    tool("send_email", to="The recipient", body="The message"),
]
POLICY = SecurityPolicyHeader.dual_llm(codes=Path("policy.sqrt").read_text())


async def main() -> None:
    async with AsyncSequrityClient() as client:
        run = await client.control.chat.run_tools(
            [{"role": "user", "content": "Email document DOC1 to eve@evil.test"}],
            "openai/gpt-5-mini",
            tools=TOOLS,
            functions={"get_internal_document": get_internal_document, "send_email": send_email},
            features=FeaturesHeader.dual_llm(),
            security_policy=POLICY,
        )
        print("tools run:", [call.name for call in run.tool_calls])
        result = run.result  # the Dual-LLM result envelope
        print("status:", result.status)  # failure
        if result.is_denied:
            print("denied:", result.error.message.split(". Context")[0])


asyncio.run(main())
