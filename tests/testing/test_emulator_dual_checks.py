"""Tests for the branching meta-policy (`branches_on`) and the internal tool `parse_with_ai`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sequrity import AsyncSequrityClient, SequrityAPIError
from sequrity.control import (
    ControlFlowMetaPolicy,
    FeaturesHeader,
    FineGrainedConfigHeader,
    FsmOverrides,
    InternalPolicyPresets,
    ResponseFormatOverrides,
    SecurityPolicyHeader,
    parse_result,
)
from sequrity.testing import Emulator, ToolCalls, ToolCallSpec, When

pytestmark = pytest.mark.anyio

TOOLS = [
    {"type": "function", "function": {"name": "get_profile", "parameters": {}}},
    {"type": "function", "function": {"name": "send_email", "parameters": {}}},
]
PROFILE = '{"name": "Alice", "race": "European"}'
HISTORY = "include_policy_check_history"


def policy(mode: str = "custom", code: str = "", **presets: Any) -> SecurityPolicyHeader:
    """An X-Policy with the given mode, SQRT code and presets."""
    return SecurityPolicyHeader(
        mode=mode,  # type: ignore[arg-type]
        codes={"language": "sqrt", "code": code},
        presets=InternalPolicyPresets(**presets),
    )


def script(emulator: Emulator, second: ToolCalls) -> None:
    """First fetch the profile, then play `second` once it has arrived."""
    first = ToolCalls((ToolCallSpec(name="get_profile", arguments={"id": "a-1"}),))
    emulator.script.queue(first, when=When(not_called="get_profile"), times=None)
    emulator.script.queue(
        second, when=When(called="get_profile", not_called="send_email"), times=None
    )


async def run(
    client: AsyncSequrityClient, header: SecurityPolicyHeader, **fsm: Any
) -> tuple[list[str], str]:
    """Play the conversation; return the client tools called and the final content."""
    config = FineGrainedConfigHeader(
        fsm=FsmOverrides(**fsm) if fsm else None,
        response_format=ResponseFormatOverrides(**{HISTORY: True}),
    )
    messages: list[dict[str, Any]] = [{"role": "user", "content": "Route the applicant."}]
    called: list[str] = []
    while True:
        response = await client.control.chat.create(
            messages, "m", tools=TOOLS, features=FeaturesHeader.dual_llm(), security_policy=header, fine_grained_config=config
        )  # fmt: skip
        message = response.choices[0].message
        if not message.tool_calls:
            return called, message.content or ""
        messages.append({"role": "assistant", "content": "", "tool_calls": [
            {"id": c.id, "type": "function", "function": {"name": c.function.name, "arguments": c.function.arguments}}
            for c in message.tool_calls
        ]})  # fmt: skip
        for c in message.tool_calls:
            called.append(c.function.name)
            messages.append(
                {
                    "role": "tool",
                    "tool_call_id": c.id,
                    "content": PROFILE if c.function.name == "get_profile" else "sent",
                }
            )


def send(to: str = "hr-1@corp.com", **extra: Any) -> ToolCallSpec:
    """A send_email call carrying the profile."""
    return ToolCallSpec(
        name="send_email", arguments={"to": to, "body": {"$result": "get_profile"}, **extra}
    )


RACE = 'tool "get_profile" -> @tags |= {"RACE"};'


async def test_branching_on_denied_tags_is_a_control_flow_violation(
    emulator: Emulator, client: AsyncSequrityClient
) -> None:
    """In custom mode, branching on a result tagged as the deny policy lists fails the run."""
    script(emulator, ToolCalls((send(),), branches_on=("get_profile",)))
    header = policy(
        code=RACE, branching_meta_policy=ControlFlowMetaPolicy(mode="deny", tags={"RACE"})
    )

    called, content = await run(client, header)

    result = parse_result(content)
    assert called == ["get_profile"]
    assert (result.status, result.error.code if result.error else None) == (
        "failure",
        "ControlFlowViolation",
    )
    assert "Control flow violation detected during program execution." in content
    assert result.policy_check_history is not None
    assert result.policy_check_history[-1]["branched_on"] == ["get_profile"]


@pytest.mark.parametrize(
    ("header", "branches_on"),
    [
        (policy(code=RACE), ("get_profile",)),
        (
            policy(
                mode="standard",
                code=RACE,
                branching_meta_policy=ControlFlowMetaPolicy(tags={"RACE"}),
            ),
            ("get_profile",),
        ),
        (policy(code=RACE, branching_meta_policy=ControlFlowMetaPolicy(tags={"RACE"})), ()),
        (
            policy(
                code=RACE, branching_meta_policy=ControlFlowMetaPolicy(mode="allow", tags={"RACE"})
            ),
            ("get_profile",),
        ),
    ],
    ids=["no-branching-policy", "standard-mode", "no-branch", "allow-lists-the-tag"],
)
async def test_branching_that_the_policy_permits_runs(
    emulator: Emulator,
    client: AsyncSequrityClient,
    header: SecurityPolicyHeader,
    branches_on: tuple[str, ...],
) -> None:
    """Without a deny policy in custom mode, a branch is fine; allow mode ignores `__` tags."""
    script(emulator, ToolCalls((send(),), branches_on=branches_on))

    called, content = await run(client, header)

    assert (called, parse_result(content).status) == (["get_profile", "send_email"], "success")


async def test_allow_mode_refuses_a_tag_it_does_not_list(
    emulator: Emulator, client: AsyncSequrityClient
) -> None:
    """A whitelist branching policy is violated by a tag it does not name."""
    script(emulator, ToolCalls((send(),), branches_on=("get_profile",)))
    header = policy(
        code=RACE, branching_meta_policy=ControlFlowMetaPolicy(mode="allow", tags={"EDUCATION"})
    )

    _, content = await run(client, header)

    assert parse_result(content).error is not None
    assert "Control flow violation" in content


async def test_branching_on_a_tool_without_a_result_is_a_script_error(
    emulator: Emulator, client: AsyncSequrityClient
) -> None:
    """`branches_on` naming a tool the session has no result of fails loudly (500)."""
    script(emulator, ToolCalls((send(),), branches_on=("no_such_tool",)))

    with pytest.raises(SequrityAPIError) as info:
        await run(
            client, policy(code=RACE, branching_meta_policy=ControlFlowMetaPolicy(tags={"RACE"}))
        )

    assert info.value.status_code == 500


BLOCKED = 'tool "get_profile" -> @tags |= {"__llm_blocked"};'
PARSE = ToolCallSpec(
    name="parse_with_ai", arguments={"data": {"$result": "get_profile"}, "query": "name"}
)


async def test_parse_with_ai_on_blocked_data_is_denied(
    emulator: Emulator, client: AsyncSequrityClient
) -> None:
    """With enable_llm_blocked_tag (the default), data tagged __llm_blocked never reaches the QLLM."""
    script(emulator, ToolCalls((PARSE, send())))

    called, content = await run(client, policy(mode="standard", code=BLOCKED))

    assert called == ["get_profile"]
    assert parse_result(content).status == "failure"
    assert "'parse_with_ai' is denied by argument checking policies" in content


async def test_parse_with_ai_runs_in_the_emulator_when_allowed(
    emulator: Emulator, client: AsyncSequrityClient
) -> None:
    """Without the blocked-tag rule the emulator runs parse_with_ai itself, then the client tool."""
    script(emulator, ToolCalls((PARSE, send())))

    called, content = await run(
        client, policy(mode="standard", code=BLOCKED, enable_llm_blocked_tag=False)
    )

    history = parse_result(content).policy_check_history or []
    assert called == ["get_profile", "send_email"]
    assert parse_result(content).status == "success"
    assert [entry["tool"] for entry in history] == ["get_profile", "parse_with_ai", "send_email"]


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (BLOCKED + '\ntool "parse_with_ai" { hard allow always; }', "success"),
        (BLOCKED + '\ntool "parse_with_ai" { soft allow always; }', "failure"),
    ],
    ids=["hard-allow-lifts", "soft-allow-does-not"],
)
async def test_soft_blocked_tag_rule_yields_only_to_a_hard_allow(
    emulator: Emulator, client: AsyncSequrityClient, code: str, status: str
) -> None:
    """At enforcement level soft, only a firing SQRT hard allow lets blocked data through."""
    script(emulator, ToolCalls((PARSE, send())))

    _, content = await run(
        client, policy(mode="standard", code=code, llm_blocked_tag_enforcement_level="soft")
    )

    assert parse_result(content).status == status


async def test_parse_with_ai_alone_ends_the_program_with_its_result(
    emulator: Emulator, client: AsyncSequrityClient
) -> None:
    """A step calling only parse_with_ai finishes with its (echoed, tagged) result."""
    script(emulator, ToolCalls((PARSE,)))

    called, content = await run(client, policy(mode="standard"))

    result = parse_result(content)
    assert called == ["get_profile"]
    assert result.value == PROFILE
    assert result.final_return_value is not None
    assert "__tool/parse_with_ai" in result.final_return_value.meta.tags


async def test_disabled_parse_with_ai_is_a_script_error(
    emulator: Emulator, client: AsyncSequrityClient
) -> None:
    """With `enabled_internal_tools=[]`, scripting parse_with_ai is a mistake of the script (500)."""
    script(emulator, ToolCalls((PARSE,)))

    with pytest.raises(SequrityAPIError) as info:
        await run(client, policy(mode="standard"), enabled_internal_tools=[])

    assert info.value.status_code == 500
    assert json.dumps("parse_with_ai")[1:-1] in str(info.value)
