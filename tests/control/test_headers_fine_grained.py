"""Tests of the ``X-Config`` header type, its factories and its validation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sequrity._exceptions import SequrityValidationError
from sequrity.control.types.headers import (
    JSON_NULL,
    FineGrainedConfigHeader,
    FsmOverrides,
    GenerationConfigOverrides,
    LlmOverrides,
    LlmPromptOverrides,
    PllmPromptOverrides,
    PromptOverrides,
    ReasoningConfigOverride,
    ResponseFormatOverrides,
    RllmPromptOverrides,
    TllmPromptOverrides,
)


def parsed(header: FineGrainedConfigHeader) -> Any:
    """Return the header string decoded back into JSON values."""
    return json.loads(header.dump_for_headers())


def test_single_llm_default_output() -> None:
    """`single_llm()` matches the spec exactly."""
    assert parsed(FineGrainedConfigHeader.single_llm()) == {
        "fsm": {"min_num_tools_for_filtering": 10, "clear_session_meta": "never", "max_n_turns": 50}
    }


def test_dual_llm_default_output() -> None:
    """`dual_llm()` matches the spec exactly."""
    assert parsed(FineGrainedConfigHeader.dual_llm()) == {
        "fsm": {
            "min_num_tools_for_filtering": 10,
            "clear_session_meta": "never",
            "max_n_turns": 5,
            "disable_rllm": True,
        }
    }


def test_empty_header_is_empty_object() -> None:
    """`FineGrainedConfigHeader()` serialises to ``{}``."""
    assert parsed(FineGrainedConfigHeader()) == {}


def test_dual_llm_prompt_only_with_debug_level() -> None:
    """`prompt.pllm.debug_info_level` appears only when the argument is given."""
    header = FineGrainedConfigHeader.dual_llm(pllm_debug_info_level="minimal")

    assert parsed(header)["prompt"] == {"pllm": {"debug_info_level": "minimal"}}
    assert "prompt" not in parsed(FineGrainedConfigHeader.dual_llm())


def test_dual_llm_response_format_only_when_a_flag_is_set() -> None:
    """`response_format` is built when any one of its five arguments is not None."""
    header = FineGrainedConfigHeader.dual_llm(include_program=True, stream_thoughts=False)

    assert parsed(header)["response_format"] == {"stream_thoughts": False, "include_program": True}
    assert "response_format" not in parsed(FineGrainedConfigHeader.dual_llm())


def test_dual_llm_every_argument() -> None:
    """All dual factory arguments land in their fields, in declaration order."""
    header = FineGrainedConfigHeader.dual_llm(
        min_num_tools_for_filtering=3,
        clear_session_meta="every_turn",
        max_n_turns=7,
        clear_history_every_n_attempts=2,
        disable_rllm=False,
        enable_multistep_planning=True,
        enabled_internal_tools=[],
        prune_failed_steps=False,
        force_to_cache=["^get_.*$"],
        max_pllm_steps=8,
        max_pllm_failed_steps=3,
        max_tool_calls_per_step=4,
        reduced_grammar_for_rllm_review=True,
        retry_on_policy_violation=True,
        pllm_debug_info_level="extra",
        strip_response_content=False,
        stream_thoughts=True,
        include_program=True,
        include_policy_check_history=True,
        include_namespace_snapshot=False,
    )

    assert parsed(header) == {
        "fsm": {
            "min_num_tools_for_filtering": 3,
            "clear_session_meta": "every_turn",
            "max_n_turns": 7,
            "clear_history_every_n_attempts": 2,
            "disable_rllm": False,
            "enable_multistep_planning": True,
            "enabled_internal_tools": [],
            "prune_failed_steps": False,
            "force_to_cache": ["^get_.*$"],
            "max_pllm_steps": 8,
            "max_pllm_failed_steps": 3,
            "max_tool_calls_per_step": 4,
            "reduced_grammar_for_rllm_review": True,
            "retry_on_policy_violation": True,
        },
        "prompt": {"pllm": {"debug_info_level": "extra"}},
        "response_format": {
            "strip_response_content": False,
            "stream_thoughts": True,
            "include_program": True,
            "include_policy_check_history": True,
            "include_namespace_snapshot": False,
        },
    }
    assert list(parsed(header)["fsm"])[:3] == [
        "min_num_tools_for_filtering",
        "clear_session_meta",
        "max_n_turns",
    ]


def test_factory_json_null_means_unlimited() -> None:
    """`max_n_turns=JSON_NULL` sends an explicit null; `None` leaves the field out."""
    unlimited = FineGrainedConfigHeader.dual_llm(max_n_turns=JSON_NULL)
    omitted = FineGrainedConfigHeader.dual_llm(max_n_turns=None)

    assert parsed(unlimited)["fsm"]["max_n_turns"] is None
    assert "max_n_turns" not in parsed(omitted)["fsm"]
    assert '"max_n_turns":null' in unlimited.dump_for_headers()


def test_hand_built_full_config() -> None:
    """A hand-built header with every section serialises to the expected object."""
    header = FineGrainedConfigHeader(
        fsm=FsmOverrides(
            history_mismatch_policy="restart_turn",
            wrap_tool_result=True,
            detect_tool_errors="regex",
            detect_tool_error_regex_pattern="^Error:",
            detect_tool_error_max_result_length=JSON_NULL,
            strict_tool_result_parsing=True,
            tool_result_transform="codex",
            n_pllm_plans=3,
            pllm_candidate_models={"m2", "m1"},
            pllm_context_pruning=False,
            reduced_grammar_for_rllm_review="bool",
        ),
        prompt=PromptOverrides(
            pllm=PllmPromptOverrides(
                flavor="code",
                version="2",
                clarify_ambiguous_queries=True,
                context_var_visibility="basic-notext",
                query_inline_roles=["tool", "system"],
                query_role_name_overrides={"assistant": "developer"},
                query_include_tool_calls=True,
                query_include_tool_args=False,
                query_include_tool_results=True,
            ),
            rllm=RllmPromptOverrides(debug_info_level="normal"),
            tllm=TllmPromptOverrides(add_tool_description=True, add_tool_input_schema=False),
            error_detector_llm=LlmPromptOverrides(flavor="universal"),
        ),
        response_format=ResponseFormatOverrides(include_namespace_snapshot=True),
        llm=LlmOverrides(
            pllm=GenerationConfigOverrides(
                temperature=0.5,
                logit_bias={"50256": -100},
                reasoning=ReasoningConfigOverride(effort="high", budget=2048),
            ),
            tool_result_error_detector_llm=GenerationConfigOverrides(seed=42, logprobs=True),
        ),
    )

    assert parsed(header) == {
        "fsm": {
            "history_mismatch_policy": "restart_turn",
            "reduced_grammar_for_rllm_review": "bool",
            "wrap_tool_result": True,
            "detect_tool_errors": "regex",
            "detect_tool_error_regex_pattern": "^Error:",
            "detect_tool_error_max_result_length": None,
            "strict_tool_result_parsing": True,
            "tool_result_transform": "codex",
            "n_pllm_plans": 3,
            "pllm_candidate_models": ["m1", "m2"],
            "pllm_context_pruning": False,
        },
        "prompt": {
            "pllm": {
                "flavor": "code",
                "version": "2",
                "clarify_ambiguous_queries": True,
                "context_var_visibility": "basic-notext",
                "query_inline_roles": ["tool", "system"],
                "query_role_name_overrides": {"assistant": "developer"},
                "query_include_tool_calls": True,
                "query_include_tool_args": False,
                "query_include_tool_results": True,
            },
            "rllm": {"debug_info_level": "normal"},
            "tllm": {"add_tool_description": True, "add_tool_input_schema": False},
            "error_detector_llm": {"flavor": "universal"},
        },
        "response_format": {"include_namespace_snapshot": True},
        "llm": {
            "pllm": {
                "logit_bias": {"50256": -100},
                "temperature": 0.5,
                "reasoning": {"enabled": True, "effort": "high", "budget": 2048, "adaptive": False},
            },
            "tool_result_error_detector_llm": {"logprobs": True, "seed": 42},
        },
    }


def test_reasoning_defaults_always_emitted() -> None:
    """`ReasoningConfigOverride()` sends ``enabled`` and ``adaptive``."""
    assert ReasoningConfigOverride().to_dict() == {"enabled": True, "adaptive": False}


def test_mapping_fields_are_read_only_copies() -> None:
    """Mappings given by the caller are copied and cannot be changed through the header."""
    bias = {"1": 5}
    config = GenerationConfigOverrides(logit_bias=bias)

    bias["2"] = 7

    assert dict(config.logit_bias or {}) == {"1": 5}
    with pytest.raises(TypeError):
        config.logit_bias["3"] = 1  # type: ignore[index]


@pytest.mark.parametrize(
    ("cls", "kwargs", "field"),
    [
        (FsmOverrides, {"max_n_turns": 0}, "FsmOverrides.max_n_turns"),
        (
            FsmOverrides,
            {"min_num_tools_for_filtering": 1},
            "FsmOverrides.min_num_tools_for_filtering",
        ),
        (FsmOverrides, {"clear_session_meta": "sometimes"}, "FsmOverrides.clear_session_meta"),
        (
            FsmOverrides,
            {"enabled_internal_tools": ["rm_rf"]},
            "FsmOverrides.enabled_internal_tools[0]",
        ),
        (
            FsmOverrides,
            {"reduced_grammar_for_rllm_review": "yes"},
            "FsmOverrides.reduced_grammar_for_rllm_review",
        ),
        (FsmOverrides, {"n_pllm_plans": True}, "FsmOverrides.n_pllm_plans"),
        (FsmOverrides, {"max_pllm_steps": JSON_NULL}, "FsmOverrides.max_pllm_steps"),
        (FsmOverrides, {"force_to_cache": "x"}, "FsmOverrides.force_to_cache"),
        (
            PllmPromptOverrides,
            {"context_var_visibility": "some"},
            "PllmPromptOverrides.context_var_visibility",
        ),
        (
            PllmPromptOverrides,
            {"query_inline_roles": ["user"]},
            "PllmPromptOverrides.query_inline_roles[0]",
        ),
        (
            PllmPromptOverrides,
            {"query_role_name_overrides": {"a": 1}},
            "PllmPromptOverrides.query_role_name_overrides['a']",
        ),
        (
            RllmPromptOverrides,
            {"debug_info_level": "max"},
            "RllmPromptOverrides.debug_info_level",
        ),
        (ReasoningConfigOverride, {"budget": 0}, "ReasoningConfigOverride.budget"),
        (ReasoningConfigOverride, {"enabled": None}, "ReasoningConfigOverride.enabled"),
        (
            GenerationConfigOverrides,
            {"temperature": float("inf")},
            "GenerationConfigOverrides.temperature",
        ),
        (
            GenerationConfigOverrides,
            {"logit_bias": {"1": 0.5}},
            "GenerationConfigOverrides.logit_bias['1']",
        ),
        (FineGrainedConfigHeader, {"fsm": {"max_n_turns": 3}}, "FineGrainedConfigHeader.fsm"),
    ],
)
def test_invalid_values_name_the_field(cls: type[Any], kwargs: dict[str, Any], field: str) -> None:
    """Each invalid value raises an error that starts with the offending field path."""
    with pytest.raises(SequrityValidationError) as info:
        cls(**kwargs)

    assert str(info.value).startswith(f"{field}:")


def test_enum_error_lists_allowed_values() -> None:
    """An unknown enum value error lists every allowed value."""
    with pytest.raises(SequrityValidationError, match="'reject', 'restart_turn', 'continue'"):
        FsmOverrides(history_mismatch_policy="ignore")  # type: ignore[arg-type]


def test_from_json_unknown_nested_field() -> None:
    """An unknown field deep inside is refused with its full path."""
    text = '{"llm":{"pllm":{"reasoning":{"enabled":true,"depth":3}}}}'

    with pytest.raises(SequrityValidationError) as info:
        FineGrainedConfigHeader.from_json(text)

    assert info.value.errors == [
        "FineGrainedConfigHeader.llm.pllm.reasoning.depth: unknown field; allowed fields: "
        "'enabled', 'effort', 'budget', 'adaptive'"
    ]


def test_from_json_null_semantics() -> None:
    """JSON null becomes JSON_NULL where null means something, and is dropped elsewhere."""
    header = FineGrainedConfigHeader.from_json(
        '{"fsm":{"max_n_turns":null,"max_pllm_steps":null,"max_tool_calls_per_step":null}}'
    )

    assert header.fsm == FsmOverrides(max_n_turns=JSON_NULL, max_tool_calls_per_step=JSON_NULL)
    assert parsed(header) == {"fsm": {"max_n_turns": None, "max_tool_calls_per_step": None}}
