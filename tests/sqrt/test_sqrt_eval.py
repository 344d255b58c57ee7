"""Tests for the policy evaluator: one test per documented semantic rule."""

from __future__ import annotations

from typing import Any

import pytest

from sequrity.sqrt import (
    Meta,
    MetaSet,
    Policy,
    SqrtEvalError,
    ToolCall,
    Value,
    apply_result,
    evaluate_call,
    propagate,
)

EMAIL_POLICY = """
let sensitive_docs = {"internal_use", "confidential"};
tool "get_internal_document" -> @tags |= sensitive_docs;
tool "send_email" {
    hard deny when (body.tags overlaps sensitive_docs)
        and (not to.value in {str matching r".*@trustedcorp\\.com"});
}
"""


def tags(*names: str) -> Meta:
    return Meta(tags=MetaSet.of(names))


def call(tool: str, **args: Any) -> ToolCall:
    return ToolCall(tool, {k: v if isinstance(v, Value) else Value(v) for k, v in args.items()})


def allowed(policy: str, tool_call: ToolCall, **kwargs: Any) -> bool:
    return evaluate_call(policy, tool_call, **kwargs).allowed


def test_example_policy_denies_leaking_tagged_documents() -> None:
    """The docs' email policy tags documents and blocks sending them outside trustedcorp.com."""
    doc = apply_result(EMAIL_POLICY, call("get_internal_document", id="1"), "text").result

    outside = evaluate_call(EMAIL_POLICY, call("send_email", body=doc, to="eve@evil.com"))
    inside = evaluate_call(EMAIL_POLICY, call("send_email", body=doc, to="bob@trustedcorp.com"))

    assert doc.meta.tags == MetaSet.of({"internal_use", "confidential"})
    assert outside.allowed is False
    assert outside.enforcement == "hard"
    assert outside.rule is not None
    assert outside.rule.rule.line == 5
    assert "'send_email' is denied" in outside.denial_message()
    assert inside.allowed is True
    assert inside.rule is None


def test_hard_deny_beats_hard_allow() -> None:
    """A firing hard deny wins over a firing hard allow."""
    policy = 'tool "t" { hard allow always; hard deny when "x" in a.tags; }'

    assert allowed(policy, call("t", a=Value(1, tags("x")))) is False
    assert allowed(policy, call("t", a=Value(1, tags("y")))) is True


def test_unmatched_hard_allow_denies_even_with_default_allow() -> None:
    """A tool whose hard allow rules all fail to match is denied (hard), whatever default_allow says."""
    policy = 'tool "t" { hard allow when "ok" in @session.tags; }'

    decision = evaluate_call(policy, call("t"), default_allow=True)

    assert (decision.allowed, decision.enforcement) == (False, "hard")
    assert decision.context()["matched"] is False
    assert decision.context()["rule"] == 'hard allow when "ok" in @session.tags;'
    assert "'t' is denied by argument checking policies" in decision.denial_message()


def test_soft_allow_rules_do_not_deny_when_unmatched() -> None:
    """Only hard allow rules list when a tool may run; an unmatched soft allow leaves the default."""
    policy = 'tool "t" { soft allow when "ok" in @session.tags; }'

    assert allowed(policy, call("t"), default_allow=True) is True
    assert allowed(policy, call("t"), default_allow=False) is False


def test_refund_policy_denies_three_attempts_then_allows() -> None:
    """The documented refund example: with default_allow, attempts 1-3 are denied, the 4th runs."""
    policy = """tool "issue_refund" {
        session before { when "attempt3" in @tags { @tags |= {"final_attempt"}; } }
        session before { when "attempt2" in @tags { @tags |= {"attempt3"}; } }
        session before { when "attempt1" in @tags { @tags |= {"attempt2"}; } }
        session before { @tags |= {"attempt1"}; }
        hard allow when "final_attempt" in @session.tags;
    }"""
    session = Meta()
    verdicts = []

    for _ in range(4):
        decision = evaluate_call(policy, call("issue_refund"), session, default_allow=True)
        session = decision.session
        verdicts.append(decision.allowed)

    assert verdicts == [False, False, False, True]


def test_hard_allow_beats_higher_priority_soft_deny() -> None:
    """Hard rules cannot be overridden by soft rules of any priority."""
    policy = (
        'tool "t" { priority 0; must allow always; } tool r"t" { priority 99; soft deny always; }'
    )

    decision = evaluate_call(policy, call("t"))

    assert decision.allowed is True
    assert decision.enforcement == "hard"


def test_higher_priority_soft_rule_wins() -> None:
    """Among soft rules, the highest-priority firing rule decides."""
    policy = (
        'tool "t" { priority 1; should deny always; } tool "t" { priority 5; soft allow always; }'
    )

    decision = evaluate_call(policy, call("t"))

    assert decision.allowed is True
    assert decision.rule is not None
    assert decision.rule.priority == 5


def test_soft_tie_denies() -> None:
    """Soft rules of equal priority that disagree resolve to deny."""
    policy = 'tool "t" { should allow always; should deny always; }'

    assert allowed(policy, call("t")) is False


def test_default_allow_applies_when_nothing_fires() -> None:
    """With no firing rule, default_allow decides and no rule is reported."""
    policy = 'tool "t" { hard deny when a.value == 1; }'

    yes = evaluate_call(policy, call("t", a=2))
    no = evaluate_call(policy, call("t", a=2), default_allow=False)

    assert (yes.allowed, yes.rule) == (True, None)
    assert (no.allowed, no.rule) == (False, None)


def test_hard_default_outranks_soft_rules() -> None:
    """A hard default deny cannot be lifted by a soft allow, only by a hard allow."""
    soft = 'tool "t" { soft allow always; }'
    hard = 'tool "t" { hard allow always; }'
    opts: dict[str, Any] = {"default_allow": False, "default_allow_enforcement_level": "hard"}

    assert allowed(soft, call("t"), **opts) is False
    assert allowed(hard, call("t"), **opts) is True
    assert allowed(soft, call("t"), default_allow=False) is True


def test_fail_fast_reports_only_the_first_denial() -> None:
    """fail_fast stops at the first hard deny; without it every firing denial is reported."""
    policy = 'tool "t" { hard deny always; hard deny when undefined_name; }'

    fast = evaluate_call(policy, call("t"))

    assert len(fast.denials) == 1
    with pytest.raises(SqrtEvalError, match="undefined name"):
        evaluate_call(policy, call("t"), fail_fast=False)
    slow = evaluate_call(
        'tool "t" { hard deny always; must deny always; }', call("t"), fail_fast=False
    )
    assert len(slow.denials) == 2


def test_regex_tool_ids_match_whole_names() -> None:
    """`r"..."` tool ids match whole tool names."""
    policy = 'tool r"send_to_.*" { hard deny when "pii" in data.tags; }'

    assert allowed(policy, call("send_to_slack", data=Value("x", tags("pii")))) is False
    assert allowed(policy, call("resend_to_slack", data=Value("x", tags("pii")))) is True


def test_value_sets_match_literals_patterns_and_domains() -> None:
    """`x.value in S` understands strings, regex, wildcards, numbers and each type domain."""
    policy = (
        'tool "t" { hard deny when x.value in {"exact", r"re+", w"*.txt", 7, int 10..<20,'
        ' float 0.5<..1.0, bool true, str like w"a?" length 2, datetime d"2024-01-01T00:00:00Z"..};}'
    )
    denied = ["exact", "reee", "notes.txt", 7, 10, 19, 0.75, 1.0, True, "ab",
              "2024-06-01T00:00:00+00:00", 1.8e9]  # fmt: skip
    allowed_values = [
        "exactly",
        "r",
        "notes.md",
        8,
        20,
        0.5,
        False,
        "abc",
        "2023-12-31T00:00:00Z",
        None,
    ]

    for value in denied:
        assert not allowed(policy, call("t", x=value)), value
    for value in allowed_values:
        assert allowed(policy, call("t", x=value)), value


def test_set_comparisons() -> None:
    """overlaps, subset of, superset of, ==, is empty and is universal behave as sets."""
    args = {"a": Value(1, tags("x", "y")), "b": Value(2, Meta())}
    cases = {
        'a.tags overlaps {"y", "z"}': True,
        'a.tags subset of {"x", "y", "z"}': True,
        'a.tags superset of {"x"}': True,
        'a.tags == {"y", "x"}': True,
        "b.tags is empty": True,
        "b.consumers is universal": True,
        "a.tags is empty": False,
        '@args.tags == {"x", "y"}': True,
        "intersect of tags from args is empty": True,
        '"x" in union of tags from args': True,
    }

    for predicate, expected in cases.items():
        policy = f'tool "t" {{ hard deny when {predicate}; }}'
        assert allowed(policy, ToolCall("t", args)) is not expected, predicate


def test_set_operators_follow_documented_precedence() -> None:
    """`{"a"} | {"b"} & {"b"}` is `({"a"} | {"b"}) & {"b"}`, i.e. `{"b"}`."""
    policy = Policy.coerce(
        'let s = {"a"} | {"b"} & {"b"}; tool "t" -> @tags = s with "c" without "b";'
    )

    outcome = apply_result(policy, call("t"), None)

    assert outcome.result.meta.tags == MetaSet.of({"c"})


def test_result_meta_starts_from_argument_propagation() -> None:
    """The result inherits unioned tags/producers and intersected consumers of the arguments."""
    a = Value(
        1,
        Meta(producers=MetaSet.of({"p1"}), consumers=MetaSet.of({"u1", "u2"}), tags=tags("t").tags),
    )
    b = Value(2, Meta(producers=MetaSet.of({"p2"}), consumers=MetaSet.of({"u2"})))

    outcome = apply_result("", call("t", a=a, b=b), "r")

    assert outcome.result.meta == propagate(a.meta, b.meta)
    assert outcome.result.meta.to_json() == {
        "producers": ["p1", "p2"],
        "consumers": ["u2"],
        "tags": ["t"],
    }


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("merge", {"auto", "manual"}), ("replace", {"manual"}), ("ignore", {"auto"})],
)
def test_combine_meta_modes(mode: Any, expected: set[str]) -> None:
    """Manually wrapped tool metadata merges with, replaces or is ignored against the automatic meta."""
    outcome = apply_result(
        "", call("t", a=Value(1, tags("auto"))), Value("r", tags("manual")), combine_meta=mode
    )

    assert outcome.result.meta.tags == MetaSet.of(expected)


def test_result_block_conditional_and_augmented_updates() -> None:
    """Result blocks run `when` updates and `|=`, `&=`, `-=`, `^=` in order."""
    policy = """tool "t" { result {
        @tags |= {"a", "b"};
        @tags -= {"a"};
        @tags ^= {"b", "c"};
        when input.tags overlaps {"secret"} { @tags |= {"tainted"}; @producers = {"t"}; }
        @consumers &= {"bob", "eve"};
    } }"""

    clean = apply_result(policy, call("t", input=Value(1, Meta())), None).result.meta
    dirty = apply_result(policy, call("t", input=Value(1, tags("secret"))), None).result.meta

    assert clean.tags == MetaSet.of({"c"})
    assert dirty.tags == MetaSet.of({"c", "secret", "tainted"})
    assert dirty.producers == MetaSet.of({"t"})
    assert clean.consumers == MetaSet.of({"bob", "eve"})


def test_session_before_blocks_run_in_source_order_and_persist() -> None:
    """The refund counter advances one step per call, and the third call is allowed."""
    policy = """tool "issue_refund" {
        session before { when "attempt2" in @tags { @tags |= {"final_attempt"}; } }
        session before { when "attempt1" in @tags { @tags |= {"attempt2"}; } }
        session before { @tags |= {"attempt1"}; }
        hard allow when "final_attempt" in @session.tags;
    }"""
    session = Meta()
    verdicts = []

    for _ in range(3):
        decision = evaluate_call(policy, call("issue_refund"), session, default_allow=False)
        session = decision.session
        verdicts.append(decision.allowed)

    assert verdicts == [False, False, True]


def test_session_after_sees_result_and_shorthand_targets() -> None:
    """`session after` can read @result; shorthands default to result and bare `session` is after."""
    policy = """
    tool "read" { session after { @tags |= @result.tags; } }
    tool "read" -> @tags |= {"from_read"};
    tool "read" [50] -> session @producers |= {"audit_system"};
    tool "read" -> session before @tags |= {"started"};
    """
    decision = evaluate_call(policy, call("read"))

    outcome = apply_result(policy, call("read"), "data", decision.session)

    assert decision.session.tags == MetaSet.of({"started"})
    assert outcome.result.meta.tags == MetaSet.of({"from_read"})
    assert outcome.session.tags == MetaSet.of({"started", "from_read"})
    assert outcome.session.producers == MetaSet.of({"audit_system"})


def test_result_is_unavailable_before_the_tool_runs() -> None:
    """Using @result in a check rule is an evaluation error."""
    with pytest.raises(SqrtEvalError, match="@result is not available"):
        evaluate_call('tool "t" { hard deny when @result.tags is empty; }', call("t"))


def test_let_predicates_and_values() -> None:
    """`let` names hold predicates or sets; `@session.value` and `x.value == y.value` compare values."""
    policy = """
    let IsAdmin = arg1.value in {"admin", "root"};
    let Same = a.value == b.value;
    tool "t" { hard allow when IsAdmin or Same; hard deny when @session.value == "locked"; }
    """

    assert allowed(policy, call("t", arg1="root"), default_allow=False) is True
    assert allowed(policy, call("t", a=1, b=1), default_allow=False) is True
    assert allowed(policy, call("t", a=1, b=True), default_allow=False) is False
    assert allowed(policy, call("t", arg1="root"), session_value="locked") is False


def test_universal_sets_and_wildcard_consumers() -> None:
    """`{"*"}` is universal, and removing an element keeps everything else."""
    policy = 'tool "t" -> @consumers = {"*"} - {"eve"};'

    consumers = apply_result(policy, call("t"), None).result.meta.consumers

    assert "bob" in consumers
    assert "eve" not in consumers
    assert consumers.to_list() == ["*"]


def test_undefined_names_and_bad_regex_are_eval_errors() -> None:
    """A name that is not declared earlier, or an invalid regex, raises SqrtEvalError."""
    with pytest.raises(SqrtEvalError, match="undefined name 'later'"):
        evaluate_call(
            'let a = later; let later = {}; tool "t" { hard deny when "x" in a; }', call("t")
        )
    with pytest.raises(SqrtEvalError, match="invalid regex"):
        evaluate_call('tool "t" { hard deny when x.value in {r"("}; }', call("t", x="a"))


def test_generate_business_summary_requires_both_producers() -> None:
    """`@args.producers superset of {...}` allows only when every required producer is present."""
    policy = (
        'tool "generate_business_summary" { hard allow when @args.producers superset of'
        ' {"verified_financial_data", "verified_marketing_data"}; }'
    )
    fin = Value(1, Meta(producers=MetaSet.of({"verified_financial_data"})))
    mkt = Value(2, Meta(producers=MetaSet.of({"verified_marketing_data"})))
    name = "generate_business_summary"

    assert allowed(policy, ToolCall(name, {"f": fin, "m": mkt}), default_allow=False) is True
    assert allowed(policy, ToolCall(name, {"f": fin}), default_allow=False) is False
    assert allowed(policy, ToolCall(name, {"f": fin}), default_allow=True) is False
