"""Tests for content-matched script answers (`When`): conditions, templates, the file format."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sequrity import AsyncSequrityClient, SequrityAPIError
from sequrity.control import FeaturesHeader, SecurityPolicyHeader, parse_result
from sequrity.testing import Emulator, Reply, ScriptFile, ToolCalls, ToolCallSpec, When

pytestmark = pytest.mark.anyio

TOOLS = [
    {"type": "function", "function": {"name": "get_internal_document", "parameters": {}}},
    {"type": "function", "function": {"name": "send_email", "parameters": {}}},
]
POLICY = SecurityPolicyHeader.dual_llm(
    codes='tool "get_internal_document" -> @tags |= {"confidential"};\n'
    'tool "send_email" { hard deny when "confidential" in body.tags and '
    'not to.value in {str matching r".*@trustedcorp\\.com"}; }'
)
ASK = "Retrieve the internal document with ID 'DOC12345' and email it to {}"
#: A model's judgement for the request above, as a script file: fetch, then send what was fetched.
SCRIPT = {
    "answers": [
        {
            "when": {
                "last_user_matches": r"ID '(DOC\d+)' and email it to (\S+)",
                "tools": ["get_internal_document", "send_email"],
                "not_called": "get_internal_document",
            },
            "tool_calls": [
                {"name": "get_internal_document", "arguments": {"doc_id": {"$match": 1}}}
            ],
            "times": None,
        },
        {
            "when": {
                "last_user_matches": r"email it to (\S+)",
                "called": "get_internal_document",
                "not_called": "send_email",
            },
            "tool_calls": [
                {
                    "name": "send_email",
                    "arguments": {
                        "to": {"$match": 1},
                        "subject": "Internal document",
                        "body": {"$result": "get_internal_document"},
                    },
                }
            ],
            "times": None,
        },
    ]
}


async def _turn(client: AsyncSequrityClient, messages: list[dict[str, Any]]) -> Any:
    return await client.control.chat.create(
        messages,
        "openai/gpt-5-mini",
        tools=TOOLS,
        features=FeaturesHeader.dual_llm(),
        security_policy=POLICY,
    )


async def _run(
    client: AsyncSequrityClient, recipient: str
) -> tuple[list[tuple[str, dict[str, Any]]], str]:
    messages: list[dict[str, Any]] = [{"role": "user", "content": ASK.format(recipient)}]
    calls = []
    while True:
        response = await _turn(client, messages)
        message = response.choices[0].message
        if not message.tool_calls:
            return calls, message.content or ""
        messages.append({"role": "assistant", "content": "", "tool_calls": [
            {"id": c.id, "type": "function", "function": {"name": c.function.name, "arguments": c.function.arguments}}
            for c in message.tool_calls
        ]})  # fmt: skip
        for c in message.tool_calls:
            calls.append((c.function.name, json.loads(c.function.arguments)))
            messages.append(
                {"role": "tool", "tool_call_id": c.id, "content": f"Contents of {c.function.name}."}
            )


async def test_script_file_rules_play_a_multi_step_judgement(
    emulator: Emulator, client: AsyncSequrityClient
) -> None:
    """Matched groups and earlier results fill the arguments; every matching conversation is served."""
    ScriptFile.parse(SCRIPT).apply(emulator)

    trusted, trusted_answer = await _run(client, "bob@trustedcorp.com")
    leaked, leaked_answer = await _run(client, "eve@evil.com")

    assert trusted == [
        ("get_internal_document", {"doc_id": "DOC12345"}),
        (
            "send_email",
            {
                "to": "bob@trustedcorp.com",
                "subject": "Internal document",
                "body": "Contents of get_internal_document.",
            },
        ),
    ]
    assert parse_result(trusted_answer).status == "success"
    assert leaked == [("get_internal_document", {"doc_id": "DOC12345"})]
    assert "'send_email' is denied by argument checking policies" in leaked_answer


async def test_unmatched_conditions_leave_the_built_in_answer(
    emulator: Emulator, client: AsyncSequrityClient
) -> None:
    """A request no rule matches gets the emulator's built-in answer."""
    emulator.script.queue(Reply("sunny"), when=When(last_user_contains="weather"), times=None)

    weather = await client.control.chat.create(
        [{"role": "user", "content": "What is the weather?"}], "m"
    )
    prime = await client.control.chat.create(
        [{"role": "user", "content": "What is the largest prime number below 100?"}], "m"
    )

    assert (weather.content, prime.content) == ("sunny", "97")


async def test_conditions_on_tools_and_trailing_results(
    emulator: Emulator, client: AsyncSequrityClient
) -> None:
    """`tools` needs every named tool offered; `after_tool_results` tells a fresh turn from a resumed one."""
    emulator.script.queue(Reply("resumed"), when=When(after_tool_results=True), times=None)
    emulator.script.queue(Reply("has tools"), when=When(tools=("send_email",)), times=None)

    plain = await client.control.chat.create([{"role": "user", "content": "hi"}], "m")
    tooled = await client.control.chat.create([{"role": "user", "content": "hi"}], "m", tools=TOOLS)
    resumed = await client.control.chat.create(
        [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "send_email", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": "sent"},
        ],
        "m",
        tools=TOOLS,
    )  # fmt: skip

    assert (plain.content, tooled.content, resumed.content) == (
        "Emulated answer to: hi",
        "has tools",
        "resumed",
    )


async def test_result_template_without_that_result_is_a_script_error(
    emulator: Emulator, client: AsyncSequrityClient
) -> None:
    """A `$result` of a tool the conversation never called fails loudly (500), never silently."""
    step = ToolCalls(
        (ToolCallSpec(name="send_email", arguments={"body": {"$result": "get_internal_document"}}),)
    )
    emulator.script.queue(step, when=When(tools="send_email"))

    with pytest.raises(SequrityAPIError) as info:
        await _turn(client, [{"role": "user", "content": "send it"}])

    assert info.value.status_code == 500
    assert "no result of that tool in the conversation" in str(info.value)
