"""Tests for `PolicyViolationError`, the raised form of a Dual-LLM failure envelope."""

from __future__ import annotations

import copy
import json
import pickle

from sequrity.control import PolicyViolationError, parse_result

DENIAL = parse_result(
    json.dumps(
        {
            "status": "failure",
            "final_return_value": None,
            "error": {
                "code": "PolicyViolation",
                "message": "Tool call to 'send_email' is denied by argument checking policies.",
            },
            "policy_check_history": [{"tool": "send_email"}],
        }
    )
)
FLOW = parse_result(
    '{"status": "failure", "error": {"code": "ControlFlow", '
    '"message": "Control flow violation detected during program execution."}}'
)


def test_the_message_is_the_servers_reason_and_the_envelope_is_kept() -> None:
    """str() is the envelope's error message; the envelope and the session travel along."""
    error = PolicyViolationError(DENIAL, session_id="s-1")

    assert (str(error), error.code, error.session_id, error.result) == (
        "Tool call to 'send_email' is denied by argument checking policies.",
        "PolicyViolation",
        "s-1",
        DENIAL,
    )


def test_a_denial_and_a_control_flow_failure_are_told_apart() -> None:
    """`is_denied` is true for a tool-call denial, false for other failures."""
    assert (
        PolicyViolationError(DENIAL).is_denied,
        PolicyViolationError(FLOW).is_denied,
    ) == (True, False)


def test_an_envelope_without_error_still_gives_a_message() -> None:
    """A failure with no error object has a generic message and no code."""
    error = PolicyViolationError(parse_result('{"status": "failure", "final_return_value": null}'))

    assert (str(error), error.code) == ("the Dual-LLM run failed", None)


def test_it_pickles_and_copies_with_its_envelope_and_session() -> None:
    """A pickled or copied error keeps the envelope and the session id."""
    error = PolicyViolationError(DENIAL, session_id="s-1")

    for clone in (pickle.loads(pickle.dumps(error)), copy.copy(error)):
        assert (type(clone), str(clone), clone.result, clone.session_id) == (
            PolicyViolationError,
            str(error),
            DENIAL,
            "s-1",
        )


def test_it_is_a_sequrity_error_exported_where_it_is_used() -> None:
    """`except sequrity.SequrityError` catches it; the result types and the integrations export it."""
    import sequrity.integrations

    assert (
        issubclass(PolicyViolationError, sequrity.SequrityError),
        sequrity.integrations.PolicyViolationError is PolicyViolationError,
    ) == (True, True)
