# The emulator has no language model: script the agent's decisions to try this.
#   sequrity emulator --script agents.script.json

import asyncio

from agents import Agent, Runner, function_tool

from sequrity import AsyncSequrityClient
from sequrity.control import (
    ControlConfig,
    FeaturesHeader,
    PolicyViolationError,
    SecurityPolicyHeader,
)
from sequrity.integrations.openai_agents import SequrityProvider

POLICY = 'tool "transfer_money" { hard deny when amount.value in {int 1000..}; }'


@function_tool
def get_balance(account: str) -> str:
    """Give an account's balance."""
    return f"{account}: 2,500 EUR"


@function_tool
def transfer_money(account: str, amount: int) -> str:
    """Transfer money out of an account."""
    return f"transferred {amount} EUR from {account}"


agent = Agent(
    name="banker",
    instructions="Help with the user's accounts.",
    tools=[get_balance, transfer_money],
    model="openai/gpt-5-mini",
)


async def main() -> None:
    config = ControlConfig(
        features=FeaturesHeader.dual_llm(),
        security_policy=SecurityPolicyHeader.dual_llm(codes=POLICY),
    )
    async with AsyncSequrityClient(control=config) as client:
        provider = SequrityProvider(client)  # our client sends every request of the agent
        result = await Runner.run(
            agent, "What is the balance of checking?", run_config=provider.run_config()
        )
        print("answer:", result.final_output)  # the program's value, not the JSON envelope

        try:
            await Runner.run(agent, "Transfer 5000 from checking", run_config=provider.run_config())
        except PolicyViolationError as denied:  # a denial raises
            print("denied:", denied.message.split(". Context")[0])
            print("continue with session", denied.session_id is not None)


asyncio.run(main())
