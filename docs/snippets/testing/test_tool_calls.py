from sequrity import SequrityClient
from sequrity.control import FeaturesHeader, SecurityPolicyHeader

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "send_email",
            "parameters": {
                "type": "object",
                "properties": {"to": {"type": "string"}, "body": {"type": "string"}},
            },
        },
    }
]
POLICY = 'tool "send_email" { hard deny when not to.value in {str like w"*@example.com"}; }'


def run(emulator, recipient: str):
    sent = []
    with SequrityClient("sq-test", base_url=emulator.base_url) as client:
        return sent, client.control.chat.run_tools(
            [{"role": "user", "content": f"Email {recipient} hello"}],
            "openai/gpt-5-mini",
            tools=TOOLS,
            functions={"send_email": lambda to, body: sent.append(to) or "sent"},
            features=FeaturesHeader.dual_llm(),
            security_policy=SecurityPolicyHeader.dual_llm(codes=POLICY),
        )


def test_allowed_email_is_sent(sequrity_emulator):
    """Script the planner: first a tool call, then the final value."""
    sequrity_emulator.script.tool_calls(
        [{"name": "send_email", "arguments": {"to": "bob@example.com", "body": "hello"}}]
    )
    sequrity_emulator.script.final("done")

    sent, run_result = run(sequrity_emulator, "bob@example.com")

    assert sent == ["bob@example.com"]
    assert run_result.result.value == "done"


def test_email_outside_the_company_is_denied(sequrity_emulator):
    """The emulator enforces the SQRT policy on scripted tool calls, as the server does."""
    sequrity_emulator.script.tool_calls(
        [{"name": "send_email", "arguments": {"to": "eve@evil.test", "body": "hello"}}]
    )

    sent, run_result = run(sequrity_emulator, "eve@evil.test")

    assert sent == []
    assert run_result.result.is_denied
