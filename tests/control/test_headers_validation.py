"""Tests of `validate_header`, the offline twin of ``POST /control/v1/validate-headers``."""

from __future__ import annotations

import pytest

from sequrity._exceptions import SequrityValidationError
from sequrity.control.types._header_validation import HeaderKind
from sequrity.control.types.headers import (
    ControlFlowMetaPolicy,
    FeaturesHeader,
    FineGrainedConfigHeader,
    FsmOverrides,
    HeaderValidation,
    InternalPolicyPresets,
    PllmPromptOverrides,
    PolicyCode,
    PromptOverrides,
    ResponseFormatOverrides,
    SecurityPolicyHeader,
    TaggerConfig,
    validate_header,
)


def test_features_single_llm_default() -> None:
    """The single factory output is valid and normalizes its architecture."""
    result = validate_header("x_features", FeaturesHeader.single_llm().dump_for_headers())

    assert result.valid
    assert result.errors == []
    assert result.normalized == {"agent_arch": "single-llm"}


def test_features_with_taggers_and_constraints() -> None:
    """Classifiers and blockers appear in `normalized` in order."""
    header = FeaturesHeader.single_llm(toxicity_filter=True, pii_redaction=True, url_blocker=True)

    result = validate_header("x_features", header.dump_for_headers())

    assert result.normalized is not None
    assert [c["name"] for c in result.normalized["content_classifiers"]] == [
        "toxicity_filter",
        "pii_redaction",
    ]
    assert result.normalized["content_blockers"][0]["name"] == "url_blocker"


def test_features_all_classifiers() -> None:
    """All four classifier names survive normalization."""
    header = FeaturesHeader.dual_llm(True, True, True, True, True, True)

    result = validate_header("x_features", header.dump_for_headers())

    assert result.normalized is not None
    assert {c["name"] for c in result.normalized["content_classifiers"]} == {
        "toxicity_filter",
        "pii_redaction",
        "healthcare_topic_guardrail",
        "finance_topic_guardrail",
    }


def test_features_custom_thresholds_and_modes() -> None:
    """Explicit thresholds and modes are accepted and echoed."""
    header = FeaturesHeader(
        agent_arch="dual-llm",
        content_classifiers=[
            TaggerConfig(name="pii_redaction", threshold=0.8, mode="normal"),
            TaggerConfig(name="toxicity_filter", threshold=0.2, mode="strict"),
        ],
    )

    result = validate_header("x_features", header.dump_for_headers())

    assert result.valid
    assert result.normalized == header.dump_for_headers("json")


def test_features_missing_threshold_is_filled_in() -> None:
    """`normalized` applies model defaults such as threshold 0.5."""
    result = validate_header("x_features", '{"content_classifiers":[{"name":"pii_redaction"}]}')

    assert result.normalized == {
        "content_classifiers": [{"name": "pii_redaction", "threshold": 0.5}]
    }


@pytest.mark.parametrize(
    ("kind", "text", "fragment"),
    [
        ("x_features", '{"agent_arch":"triple-llm"}', "FeaturesHeader.agent_arch"),
        (
            "x_features",
            '{"agent_arch":"dual-llm","unknown_field":1}',
            "FeaturesHeader.unknown_field",
        ),
        (
            "x_features",
            '{"content_blockers":[{"name":"url_blocker","x":1}]}',
            "content_blockers[0].x",
        ),
        ("x_policy", '{"mode":"ultra-strict"}', "SecurityPolicyHeader.mode"),
        ("x_policy", '{"mode":"standard","unknown_field":1}', "SecurityPolicyHeader.unknown_field"),
        ("x_policy", '{"presets":{"nope":true}}', "SecurityPolicyHeader.presets.nope"),
        ("x_config", '{"unknown_section":{}}', "FineGrainedConfigHeader.unknown_section"),
        ("x_config", '{"fsm":{"max_n_turns":0}}', "FineGrainedConfigHeader.fsm.max_n_turns"),
        (
            "x_config",
            '{"prompt":{"pllm":{"debug_info_level":"loud"}}}',
            "prompt.pllm.debug_info_level",
        ),
        ("x_config", "[]", "expected a JSON object"),
    ],
)
def test_invalid_headers(kind: str, text: str, fragment: str) -> None:
    """Invalid enum values, ranges and unknown fields at any depth make the header invalid."""
    result = validate_header(kind, text)  # type: ignore[arg-type]

    assert not result.valid
    assert result.normalized is None
    assert any(fragment in e for e in result.errors), result.errors


@pytest.mark.parametrize("kind", ["x_features", "x_policy", "x_config"])
@pytest.mark.parametrize("text", ["{not valid json", "", "{'single': 'quotes'}"])
def test_invalid_json(kind: str, text: str) -> None:
    """Input that is not JSON is invalid with an error containing ``Invalid JSON``."""
    result = validate_header(kind, text)  # type: ignore[arg-type]

    assert not result.valid
    assert any("Invalid JSON" in e for e in result.errors)


def test_policy_single_llm_with_codes() -> None:
    """SQRT code in the policy is accepted and `mode` normalized."""
    header = SecurityPolicyHeader.single_llm(codes='tool "test" { must allow always; }')

    result = validate_header("x_policy", header.dump_for_headers())

    assert result.valid
    assert result.normalized is not None
    assert result.normalized["mode"] == "standard"


def test_policy_dual_llm_auto_gen() -> None:
    """`auto_gen` is echoed as true."""
    result = validate_header(
        "x_policy", SecurityPolicyHeader.dual_llm(auto_gen=True).dump_for_headers()
    )

    assert result.normalized is not None
    assert result.normalized["auto_gen"] is True


@pytest.mark.parametrize("mode", ["standard", "strict", "custom"])
def test_policy_modes_round_trip(mode: str) -> None:
    """Each policy mode is normalized back unchanged."""
    header = SecurityPolicyHeader.dual_llm(mode=mode)  # type: ignore[arg-type]

    result = validate_header("x_policy", header.dump_for_headers())

    assert result.normalized is not None
    assert result.normalized["mode"] == mode


def test_policy_all_entries_set() -> None:
    """A policy with every field and the internal tags is valid and echoed whole."""
    header = SecurityPolicyHeader(
        mode="custom",
        codes=PolicyCode(code="let x = 1;", language="sqrt"),
        auto_gen=True,
        fail_fast=False,
        presets=InternalPolicyPresets(
            default_allow=False,
            default_allow_enforcement_level="hard",
            enable_non_executable_memory=True,
            branching_meta_policy=ControlFlowMetaPolicy(
                mode="allow",
                producers=["search"],
                tags=["__non_executable", "__tool/parse_with_ai"],
                consumers=["send_email"],
            ),
            enable_llm_blocked_tag=True,
            llm_blocked_tag_enforcement_level="soft",
        ),
    )

    result = validate_header("x_policy", header.dump_for_headers())

    assert result.valid
    assert result.normalized == header.dump_for_headers("json")


def test_policy_legacy_string_codes() -> None:
    """A bare-string `codes` is valid and normalized to the object form."""
    result = validate_header(
        "x_policy", '{"mode":"standard","codes":"tool \\"x\\" { must allow always; }"}'
    )

    assert result.normalized == {
        "mode": "standard",
        "codes": {"code": 'tool "x" { must allow always; }', "language": "sqrt"},
    }


def test_config_dual_llm_default() -> None:
    """The dual factory output normalizes `fsm.max_n_turns` to 5."""
    result = validate_header("x_config", FineGrainedConfigHeader.dual_llm().dump_for_headers())

    assert result.valid
    assert result.normalized is not None
    assert result.normalized["fsm"]["max_n_turns"] == 5
    assert result.normalized["fsm"]["disable_rllm"] is True


def test_config_dual_llm_steps_and_response_format() -> None:
    """Step limits and response-format flags are echoed."""
    header = FineGrainedConfigHeader.dual_llm(
        max_pllm_steps=8,
        max_pllm_failed_steps=3,
        include_program=True,
        include_policy_check_history=True,
    )

    result = validate_header("x_config", header.dump_for_headers())

    assert result.normalized is not None
    assert result.normalized["fsm"]["max_pllm_steps"] == 8
    assert result.normalized["fsm"]["max_pllm_failed_steps"] == 3
    assert result.normalized["response_format"]["include_program"] is True
    assert result.normalized["response_format"]["include_policy_check_history"] is True


def test_config_all_entries_set() -> None:
    """Many fsm fields, pllm prompt options and all response-format flags are valid together."""
    header = FineGrainedConfigHeader(
        fsm=FsmOverrides(
            min_num_tools_for_filtering=4,
            max_n_turns=10,
            enable_multistep_planning=True,
            enabled_internal_tools=["parse_with_ai", "verify_hypothesis"],
            n_pllm_plans=2,
            pllm_candidate_models={"openai/gpt-5-mini", "google/gemini-3-flash-preview"},
            pllm_context_pruning=True,
            reduced_grammar_for_rllm_review=True,
        ),
        prompt=PromptOverrides(
            pllm=PllmPromptOverrides(
                clarify_ambiguous_queries=True,
                context_var_visibility="all",
                query_inline_roles=["assistant", "tool"],
                query_role_name_overrides={"assistant": "developer"},
                debug_info_level="extra",
            )
        ),
        response_format=ResponseFormatOverrides(
            strip_response_content=False,
            stream_thoughts=False,
            include_program=True,
            include_policy_check_history=True,
            include_namespace_snapshot=True,
        ),
    )

    result = validate_header("x_config", header.dump_for_headers())

    assert result.valid
    assert result.normalized == header.dump_for_headers("json")


def test_config_null_max_n_turns_stays_null() -> None:
    """An explicit null with meaning is kept in `normalized`."""
    result = validate_header("x_config", '{"fsm":{"max_n_turns":null}}')

    assert result.normalized == {"fsm": {"max_n_turns": None}}


def test_empty_object_is_valid() -> None:
    """``{}`` is a valid header of every kind."""
    kinds: list[HeaderKind] = ["x_features", "x_policy", "x_config"]
    for kind in kinds:
        assert validate_header(kind, "{}") == HeaderValidation(valid=True, normalized={})


def test_to_dict_has_all_keys() -> None:
    """The endpoint form always carries valid, normalized and errors."""
    assert validate_header("x_policy", "nope").to_dict()["normalized"] is None
    assert validate_header("x_policy", "{}").to_dict() == {
        "valid": True,
        "normalized": {},
        "errors": [],
    }


def test_unknown_kind_is_refused() -> None:
    """Only the three header kinds exist."""
    with pytest.raises(SequrityValidationError, match="x_features"):
        validate_header("x_session", "{}")  # type: ignore[arg-type]


def test_non_string_input_is_invalid_not_a_crash() -> None:
    """A non-string value (as a JSON body could carry) is reported as invalid."""
    result = validate_header("x_features", {"agent_arch": "dual-llm"})  # type: ignore[arg-type]

    assert not result.valid
    assert any("Invalid JSON" in e for e in result.errors)


def test_unhashable_item_in_a_string_set_is_invalid_not_a_crash() -> None:
    """A list inside a set-of-strings field is reported with its path, not raised as TypeError."""
    result = validate_header("x_policy", '{"presets":{"branching_meta_policy":{"tags":["a",[]]}}}')

    assert not result.valid
    assert result.errors == [
        "SecurityPolicyHeader.presets.branching_meta_policy.tags[1]: expected a string, got []"
    ]
