"""The emulator's lang-graph endpoint runs user_provided_program: replay, policies, whitelist."""

from __future__ import annotations

import json
from typing import Any

import pytest
from emulator_helpers import post

from sequrity.testing._program import (
    Completed,
    ExecutionFailed,
    PendingCall,
    ProgramRejected,
    check_program,
    run_program,
)

pytestmark = pytest.mark.anyio

LG = "/control/lang-graph/v1/chat/completions"
LG_MESSAGES = "/control/lang-graph/anthropic/v1/messages"
PROGRAM = """\
state = initial_state
next_node = 'fetch'
for graph_step in range(5):
    if next_node == 'fetch':
        node_update = fetch(state=state)
        for update_key, update_value in node_update.items():
            state[update_key] = update_value
        next_node = 'mail'
    elif next_node == 'mail':
        node_update = mail(state=state)
        for update_key, update_value in node_update.items():
            state[update_key] = update_value
        next_node = '__end__'
final_return_value = state
"""
#: The official SDK's program shape for the same two nodes (merge loop, .get at the end).
OFFICIAL = """\
# Module-level code - assumes initial_state is predefined
state = initial_state

# Node: fetch
fetch_result = fetch(state=state)
# Update state
for key, value in fetch_result.items():
    if key in state:
        if isinstance(value, list) and isinstance(state[key], list):
            state[key].extend(value)
        else:
            state[key] = value
    else:
        state[key] = value

# Node: mail
mail_result = mail(state=state)
for key, value in mail_result.items():
    state[key] = value

# Extract final result for user
final_return_value = state.get('result', state)
"""
TOOLS = ["fetch", "mail"]


def chat_tools(names: list[str]) -> list[dict[str, Any]]:
    """Chat tool definitions taking a state."""
    return [
        {"type": "function", "function": {"name": n, "parameters": {"type": "object"}}}
        for n in names
    ]


def lg_body(program: str, state: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A first lang-graph request carrying `program` and `state`."""
    return {
        "model": "m",
        "messages": [{"role": "user", "content": "run"}],
        "tools": chat_tools(TOOLS),
        "user_provided_program": program,
        "context_vars": {"initial_state": {"value": state, "meta": {"consumers": ["*"]}}},
        **extra,
    }


def answer(body: dict[str, Any], reply: dict[str, Any], result: Any) -> dict[str, Any]:
    """The next request: the assistant message as received, then the tool result."""
    message = reply["choices"][0]["message"]
    call = message["tool_calls"][0]
    tool = {"role": "tool", "tool_call_id": call["id"], "content": json.dumps(result)}
    return {**body, "messages": [*body["messages"], message, tool]}


def envelope(reply: dict[str, Any]) -> dict[str, Any]:
    """The result envelope of a final chat answer."""
    result: dict[str, Any] = json.loads(reply["choices"][0]["message"]["content"])
    return result


async def test_program_calls_tools_in_order_and_returns_the_final_state(http, emu):
    """Each external call becomes a tool call with the current state; the end is a success."""
    body = lg_body(PROGRAM, {"query": "q"})

    _, first, _ = await post(http, emu, body, path=LG)
    body = answer(body, first, {"doc": "secret"})
    _, second, _ = await post(http, emu, body, path=LG)
    body = answer(body, second, {"sent": True})
    _, last, _ = await post(http, emu, body, path=LG)

    calls = [r["choices"][0]["message"]["tool_calls"][0] for r in (first, second)]
    assert [c["function"]["name"] for c in calls] == ["fetch", "mail"]
    assert json.loads(calls[1]["function"]["arguments"]) == {
        "state": {"query": "q", "doc": "secret"}
    }
    assert calls[0]["id"].startswith("tc-")
    assert last["choices"][0]["finish_reason"] == "stop"
    assert envelope(last)["status"] == "success"
    assert envelope(last)["final_return_value"]["value"] == {
        "query": "q",
        "doc": "secret",
        "sent": True,
    }


async def test_the_official_sdks_program_shape_runs_too(http, emu):
    """The official SDK's merge loop (isinstance, extend, .get) is accepted and runs."""
    body = lg_body(OFFICIAL, {"query": "q", "log": ["a"]})

    _, first, _ = await post(http, emu, body, path=LG)
    body = answer(body, first, {"log": ["b"]})
    _, second, _ = await post(http, emu, body, path=LG)
    body = answer(body, second, {"result": "done"})
    _, last, _ = await post(http, emu, body, path=LG)

    assert envelope(last)["final_return_value"]["value"] == "done"


async def test_a_hard_deny_on_a_node_ends_the_run_with_a_denial(http, emu):
    """SQRT policies apply to node calls as to any tool: the denied call is never issued."""
    policy = {
        "codes": {"language": "sqrt", "code": 'tool "mail" { hard deny when "x" in state.tags; }'}
    }
    headers = {"X-Policy": json.dumps(policy)}
    body = lg_body(PROGRAM, {"query": "q"})
    body["context_vars"]["initial_state"]["meta"] = {"tags": ["x"]}

    _, first, _ = await post(http, emu, body, path=LG, headers=headers)
    body = answer(body, first, {"doc": "d"})
    _, second, _ = await post(http, emu, body, path=LG, headers=headers)

    assert second["choices"][0]["finish_reason"] == "stop"
    assert envelope(second)["status"] == "failure"
    assert "'mail' is denied" in envelope(second)["error"]["message"]


async def test_the_messages_route_runs_the_program_with_tool_use_blocks(http, emu):
    """Over Messages, calls are tool_use blocks and tool_result blocks answer them."""
    body = {
        "model": "m",
        "max_tokens": 100,
        "messages": [{"role": "user", "content": "run"}],
        "tools": [{"name": n, "input_schema": {"type": "object"}} for n in TOOLS],
        "user_provided_program": PROGRAM,
        "context_vars": {"initial_state": {"value": {}, "meta": {}}},
    }
    for result in ({"doc": 1}, {"sent": 2}):
        _, reply, _ = await post(http, emu, body, path=LG_MESSAGES)
        (use,) = [b for b in reply["content"] if b["type"] == "tool_use"]
        tool_result = {
            "type": "tool_result",
            "tool_use_id": use["id"],
            "content": json.dumps(result),
        }
        body["messages"] = [
            *body["messages"],
            {"role": "assistant", "content": reply["content"]},
            {"role": "user", "content": [tool_result]},
        ]
    _, last, _ = await post(http, emu, body, path=LG_MESSAGES)

    assert last["stop_reason"] == "end_turn"
    assert json.loads(last["content"][0]["text"])["final_return_value"]["value"] == {
        "doc": 1,
        "sent": 2,
    }


async def test_a_scripted_answer_overrides_the_program(http, emu):
    """Scripts still come first on the lang-graph routes."""
    emu.script.final("scripted")

    _, reply, _ = await post(http, emu, lg_body(PROGRAM, {}), path=LG)

    assert envelope(reply)["final_return_value"]["value"] == "scripted"


@pytest.mark.parametrize(
    ("program", "needle"),
    [
        ("import os\n", "Import statement"),
        ("while True:\n    pass\n", "While statement"),
        ("x = open('f')\n", "calling 'open'"),
        ("x = initial_state.__class__\n", "Attribute expression"),
        ("f = lambda: 1\n", "Lambda expression"),
        ("x = [i for i in range(3)]\n", "ListComp expression"),
        ("x = fetch(initial_state)\n", "without keyword arguments"),
        ("x = (\n", "syntax error"),
    ],
    ids=["import", "while", "builtin", "dunder", "lambda", "comprehension", "positional", "syntax"],
)
async def test_constructs_outside_the_whitelist_are_refused_with_400(http, emu, program, needle):
    """A program the compilers would never emit is refused before it runs."""
    status, reply, _ = await post(http, emu, lg_body(program, {}), path=LG)

    assert status == 400
    assert reply["detail"].startswith("Invalid user_provided_program: line ")
    assert needle in reply["detail"]


async def test_a_runtime_error_is_a_failure_envelope(http, emu):
    """A tool result the program cannot use fails the run like the real server does."""
    body = lg_body(PROGRAM, {})
    _, first, _ = await post(http, emu, body, path=LG)

    _, reply, _ = await post(http, emu, answer(body, first, "Error: boom"), path=LG)

    assert envelope(reply)["status"] == "failure"
    assert envelope(reply)["error"]["code"] == "ProgramExecutionError"
    assert "'str' object has no attribute 'items'" in envelope(reply)["error"]["message"]


async def test_malformed_context_vars_are_refused_with_422(http, emu):
    """context_vars entries must carry a value."""
    body = lg_body(PROGRAM, {})
    body["context_vars"] = {"initial_state": {"meta": {}}}

    status, reply, _ = await post(http, emu, body, path=LG)

    assert status == 422
    assert "initial_state" in reply["detail"]


async def test_a_request_without_a_program_is_still_a_plain_dual_chat(http, emu):
    """Without user_provided_program the lang-graph route answers like before."""
    status, reply, _ = await post(
        http,
        emu,
        {"model": "m", "messages": [{"role": "user", "content": "what is 2 + 3"}]},
        path=LG,
    )

    assert (status, envelope(reply)["final_return_value"]["value"]) == (200, 5)


async def test_results_that_do_not_match_the_program_are_refused(http, emu):
    """Results replayed against another program (calls in another order) are a 400."""
    body = lg_body(PROGRAM, {})
    _, first, _ = await post(http, emu, body, path=LG)
    swapped = PROGRAM.replace("fetch(state=state)", "other(state=state)", 1)
    follow = answer(body, first, {"a": 1})
    follow["user_provided_program"] = swapped
    follow["tools"] = chat_tools([*TOOLS, "other"])

    status, reply, _ = await post(http, emu, follow, path=LG)

    assert status == 400
    assert "does not match the session" in reply["detail"]


def test_the_loop_bound_limits_the_calls():
    """A program that loops forever over a tool stops at its range() bound."""
    program = "state = initial_state\nfor i in range(3):\n    state = tick(state=state)\nfinal_return_value = state\n"
    tree = check_program(program, ["tick"])

    outcome = run_program(tree, {"initial_state": 0}, [("tick", 1), ("tick", 2), ("tick", 3)])

    assert outcome == Completed(3)


def test_the_next_call_carries_a_copy_of_its_arguments():
    """Replay returns the first call without a result, with its keyword arguments."""
    tree = check_program("x = tick(state=initial_state)\n", ["tick"])

    outcome = run_program(tree, {"initial_state": {"a": [1]}}, [])

    assert outcome == PendingCall("tick", {"state": {"a": [1]}})


def test_a_program_that_runs_too_long_is_stopped():
    """The evaluation budget ends a huge loop with ExecutionLimitExceeded."""
    tree = check_program("for i in range(10000000000):\n    pass\n", [])

    with pytest.raises(ExecutionFailed) as caught:
        run_program(tree, {}, [], budget=1000)

    assert caught.value.code == "ExecutionLimitExceeded"


def test_a_list_doubling_itself_runs_out_of_budget_not_memory():
    """Every item added by extend() costs budget, so a self-doubling list stops early."""
    tree = check_program("x = initial_state\nfor i in range(64):\n    x.extend(x)\n", [])

    with pytest.raises(ExecutionFailed) as caught:
        run_program(tree, {"initial_state": [1]}, [], budget=10000)

    assert caught.value.code == "ExecutionLimitExceeded"


def test_deeply_nested_programs_are_refused():
    """A program nested beyond the parser's depth is refused, not a crash."""
    with pytest.raises(ProgramRejected):
        check_program("x = " + "not " * 100000 + "1\n", [])
