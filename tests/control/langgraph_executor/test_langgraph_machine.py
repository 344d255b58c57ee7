"""The run's step machine (pure): answers in, node calls out; results in, tool results out."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langgraph_helpers import cycle_spec, mail_spec, send_email

from sequrity import SequrityValidationError
from sequrity.control import parse_result
from sequrity.control.resources.langgraph import (
    START,
    GraphSpec,
    LangGraphExecutionError,
    LangGraphNodeError,
    LangGraphPolicyDeniedError,
    LangGraphStepLimitError,
    compile_graph,
)
from sequrity.control.resources.langgraph._machine import (
    CallsAnswer,
    FinalAnswer,
    RunMachine,
    ServerCall,
)

DENIAL = {
    "status": "failure",
    "error": {"code": "PolicyViolation", "message": "Tool call to 'send_email' is denied"},
}


def machine(
    spec: GraphSpec | None = None, state: dict[str, Any] | None = None, **kw: Any
) -> RunMachine:
    """A machine for `spec` (the mail graph by default)."""
    compiled = compile_graph(spec or mail_spec())
    return RunMachine(compiled, state or {"query": "q"}, max_requests=kw.get("max_requests", 20))


def calls(*names: str) -> CallsAnswer:
    """A server answer asking for these calls."""
    return CallsAnswer(tuple(ServerCall(f"tc-{n}", n, {"state": {}}) for n in names))


def final(envelope: dict[str, Any]) -> FinalAnswer:
    """A server answer ending the run."""
    return FinalAnswer(parse_result(json.dumps(envelope)))


def step(m: RunMachine, name: str, value: Any = None, error: BaseException | None = None) -> Any:
    """Receive one call of `name`, run it with the given outcome; return the tool result."""
    (call,) = m.receive(calls(name), "sess-1")
    task = m.begin(call)
    fn = task.tool.function
    outcome = value if value is not None or error is not None else fn(task.state)
    return m.finish(task, outcome, error)


def test_a_linear_run_sends_reduced_updates_and_ends_with_the_state():
    """Each node's result is the JSON of the keys it changed; the final answer gives the result."""
    m = machine()

    first = step(m, "read_file")
    second = step(m, "send_email")
    result = m.receive(
        final({"status": "success", "final_return_value": {"value": {"x": 1}}}), None
    )

    assert json.loads(first.content) == {"result": "File contents: Hello World"}
    assert first.event.as_update() == {"read_file": {"result": "File contents: Hello World"}}
    assert json.loads(second.content) == {"result": "Email sent: File contents: Hello World"}
    assert result.state["result"] == "Email sent: File contents: Hello World"
    assert (result.final_value, result.session_id, result.steps) == ({"x": 1}, "sess-1", 3)
    assert result.visited == ["read_file", "send_email"]


def test_a_router_answer_is_sent_as_its_path_map_key():
    """A router's result is the JSON of the key; the machine then expects the key's target."""
    m = machine(cycle_spec(), {"n": 2})
    step(m, "bump")

    sent = step(m, "again")

    assert sent.content == '"done"'
    assert m.expected == "judge"


def test_a_call_the_graph_does_not_expect_is_refused():
    """The server asking for another node than the graph's next one is a typed error."""
    m = machine()
    (call,) = m.receive(calls("send_email"), "s")

    with pytest.raises(LangGraphExecutionError, match="expects 'read_file'"):
        m.begin(call)


def test_a_node_exception_is_reported_then_raised_with_the_partial_state():
    """The failure goes back as an "Error: ..." result; the next answer raises LangGraphNodeError."""
    m = machine()
    step(m, "read_file")
    boom = RuntimeError("smtp down")

    sent = step(m, "send_email", error=boom)
    with pytest.raises(LangGraphNodeError) as caught:
        m.receive(final({"status": "failure", "error": {"code": "X", "message": "y"}}), None)

    assert sent.content == "Error: RuntimeError: smtp down"
    assert caught.value.__cause__ is boom
    assert caught.value.node == "send_email"
    assert caught.value.state["result"] == "File contents: Hello World"
    assert caught.value.node_calls[-1].error == "RuntimeError: smtp down"


def test_a_node_returning_a_non_dict_fails_like_an_exception():
    """A node must return a dict of updates or None (as in LangGraph)."""
    m = machine()

    sent = step(m, "read_file", value="not a dict")

    assert sent.content.startswith("Error: TypeError: expected a dict")
    assert m.failed


def test_a_router_answer_outside_its_path_map_fails_the_run():
    """An unknown router answer is reported as the router's error."""
    m = machine(cycle_spec(), {"n": 0})
    step(m, "bump")

    sent = step(m, "again", value="sideways")

    assert "not one of 'more', 'done'" in sent.content
    assert m.failed


def test_a_router_choosing_two_destinations_is_refused_as_fan_out():
    """Parallel fan-out from a router is unsupported: SequrityValidationError."""
    m = machine(cycle_spec(), {"n": 0})
    step(m, "bump")

    with pytest.raises(SequrityValidationError, match="fan-out"):
        step(m, "again", value=["more", "done"])


def test_a_command_returned_by_a_node_is_refused():
    """LangGraph's Command is unsupported: SequrityValidationError."""
    command = type("Command", (), {"__module__": "langgraph.types"})()
    m = machine()

    with pytest.raises(SequrityValidationError, match="Command"):
        step(m, "read_file", value=command)


def test_a_policy_denial_raises_with_the_node_and_the_partial_state():
    """A denial envelope raises LangGraphPolicyDeniedError naming the node about to run."""
    m = machine()
    step(m, "read_file")

    with pytest.raises(LangGraphPolicyDeniedError) as caught:
        m.receive(final(DENIAL), "sess-1")

    assert caught.value.node == "send_email"
    assert caught.value.state == {"query": "q", "result": "File contents: Hello World"}
    assert caught.value.envelope.error.code == "PolicyViolation"


def test_a_failure_that_is_not_a_denial_is_an_execution_error():
    """Any other failure envelope raises LangGraphExecutionError with the server's message."""
    m = machine()

    with pytest.raises(LangGraphExecutionError, match="boom"):
        m.receive(final({"status": "failure", "error": {"code": "E", "message": "boom"}}), None)


def test_an_unreadable_final_answer_is_an_execution_error():
    """Content that is not a result envelope raises instead of passing as success."""
    m = machine()

    with pytest.raises(LangGraphExecutionError, match="unreadable"):
        m.receive(FinalAnswer(parse_result("plain text")), None)


def test_success_before_end_is_an_execution_error():
    """A program that stops before END is not a finished graph."""
    m = machine()
    step(m, "read_file")

    with pytest.raises(LangGraphExecutionError, match="before the graph reached END"):
        m.receive(final({"status": "success"}), None)


def test_more_calls_on_the_last_allowed_request_hit_the_step_limit():
    """Tool calls in the answer to request max_exec_steps raise LangGraphStepLimitError."""
    m = machine(cycle_spec(), {"n": 0}, max_requests=2)
    step(m, "bump")

    with pytest.raises(LangGraphStepLimitError) as caught:
        m.receive(calls("again"), "s")

    assert caught.value.state["n"] == 1
    assert caught.value.steps == 2


def test_state_after_an_internal_node_is_taken_from_the_server():
    """An internal node's update is unknown here: the next call's state is adopted."""
    spec = GraphSpec(
        nodes={"agent": None, "send_email": send_email},
        edges=[(START, "agent"), ("agent", "send_email")],
        internal={"agent": "parse_with_ai"},
    )
    m = machine(spec)
    answer = CallsAnswer((ServerCall("tc-1", "send_email", {"state": {"result": "parsed"}}),))

    (call,) = m.receive(answer, "s")
    task = m.begin(call)

    assert task.state == {"result": "parsed"}
