"""Hypothesis round trips: build random valid headers, dump, parse, dump again."""

from __future__ import annotations

import json
from typing import Any

from _budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from sequrity.control.types.headers import (
    JSON_NULL,
    ConstraintConfig,
    ControlFlowMetaPolicy,
    FeaturesHeader,
    FineGrainedConfigHeader,
    FsmOverrides,
    GenerationConfigOverrides,
    InternalPolicyPresets,
    LlmOverrides,
    LlmPromptOverrides,
    PllmPromptOverrides,
    PolicyCode,
    PromptOverrides,
    ReasoningConfigOverride,
    ResponseFormatOverrides,
    RllmPromptOverrides,
    SecurityPolicyHeader,
    TaggerConfig,
    TllmPromptOverrides,
    validate_header,
)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Return `strategy` or None."""
    return st.none() | strategy


text = st.text(max_size=20)
flags = maybe(st.booleans())
numbers = maybe(st.floats(allow_nan=False, allow_infinity=False, width=64))
str_sets = st.frozensets(text, max_size=4)


def nullable_int(minimum: int) -> st.SearchStrategy[Any]:
    """An int >= minimum, None or JSON_NULL."""
    return st.none() | st.just(JSON_NULL) | st.integers(min_value=minimum, max_value=10**6)


def ints(minimum: int | None = None) -> st.SearchStrategy[Any]:
    """An int >= minimum or None."""
    return maybe(st.integers(min_value=minimum, max_value=10**6))


taggers = st.builds(
    TaggerConfig,
    name=st.sampled_from(
        [
            "pii_redaction",
            "toxicity_filter",
            "healthcare_topic_guardrail",
            "finance_topic_guardrail",
        ]
    ),
    threshold=st.floats(min_value=0.0, max_value=1.0) | st.sampled_from([0, 1]),
    mode=maybe(text),
)
features = st.builds(
    FeaturesHeader,
    agent_arch=maybe(st.sampled_from(["single-llm", "dual-llm"])),
    content_classifiers=maybe(st.lists(taggers, max_size=4)),
    content_blockers=maybe(
        st.lists(
            st.builds(ConstraintConfig, name=st.sampled_from(["url_blocker", "file_blocker"])),
            max_size=2,
        )
    ),
)

levels = st.sampled_from(["hard", "soft"])
policies = st.builds(
    SecurityPolicyHeader,
    mode=maybe(st.sampled_from(["standard", "strict", "custom"])),
    codes=maybe(st.builds(PolicyCode, code=st.text(), language=st.sampled_from(["sqrt", "cedar"]))),
    auto_gen=flags,
    fail_fast=flags,
    presets=maybe(
        st.builds(
            InternalPolicyPresets,
            default_allow=st.booleans(),
            default_allow_enforcement_level=levels,
            enable_non_executable_memory=st.booleans(),
            branching_meta_policy=st.builds(
                ControlFlowMetaPolicy,
                mode=st.sampled_from(["allow", "deny"]),
                producers=str_sets,
                tags=str_sets,
                consumers=str_sets,
            ),
            enable_llm_blocked_tag=st.booleans(),
            llm_blocked_tag_enforcement_level=levels,
        )
    ),
)

fsm = st.builds(
    FsmOverrides,
    min_num_tools_for_filtering=nullable_int(2),
    clear_session_meta=maybe(st.sampled_from(["never", "every_attempt", "every_turn"])),
    max_n_turns=nullable_int(1),
    history_mismatch_policy=maybe(st.sampled_from(["reject", "restart_turn", "continue"])),
    clear_history_every_n_attempts=ints(1),
    disable_rllm=flags,
    enable_multistep_planning=flags,
    enabled_internal_tools=maybe(
        st.lists(
            st.sampled_from(["parse_with_ai", "verify_hypothesis", "set_policy", "complete_turn"])
        )
    ),
    prune_failed_steps=flags,
    force_to_cache=maybe(st.lists(text, max_size=3)),
    max_pllm_steps=ints(1),
    max_pllm_failed_steps=ints(1),
    max_tool_calls_per_step=nullable_int(1),
    reduced_grammar_for_rllm_review=maybe(st.sampled_from(["none", "bool", "text", True, False])),
    retry_on_policy_violation=flags,
    wrap_tool_result=flags,
    detect_tool_errors=maybe(st.sampled_from(["none", "regex", "llm"])),
    detect_tool_error_regex_pattern=maybe(text),
    detect_tool_error_max_result_length=nullable_int(0),
    strict_tool_result_parsing=flags,
    tool_result_transform=maybe(st.sampled_from(["none", "codex"])),
    n_pllm_plans=ints(1),
    pllm_candidate_models=maybe(str_sets),
    pllm_context_pruning=flags,
)
debug = maybe(st.sampled_from(["minimal", "normal", "extra"]))
small_prompt = maybe(st.builds(LlmPromptOverrides, flavor=maybe(text), version=maybe(text)))
prompts = st.builds(
    PromptOverrides,
    pllm=maybe(
        st.builds(
            PllmPromptOverrides,
            flavor=maybe(text),
            version=maybe(text),
            clarify_ambiguous_queries=flags,
            context_var_visibility=maybe(
                st.sampled_from(
                    ["none", "basic-notext", "basic-executable", "all-executable", "all"]
                )
            ),
            query_inline_roles=maybe(
                st.lists(st.sampled_from(["assistant", "tool", "developer", "system"]))
            ),
            query_role_name_overrides=maybe(st.dictionaries(text, text, max_size=3)),
            query_include_tool_calls=flags,
            query_include_tool_args=flags,
            query_include_tool_results=flags,
            debug_info_level=debug,
        )
    ),
    rllm=maybe(st.builds(RllmPromptOverrides, flavor=maybe(text), debug_info_level=debug)),
    grllm=small_prompt,
    qllm=small_prompt,
    tllm=maybe(
        st.builds(TllmPromptOverrides, add_tool_description=flags, add_tool_input_schema=flags)
    ),
    tagllm=small_prompt,
    policy_llm=small_prompt,
    error_detector_llm=small_prompt,
)
generation = maybe(
    st.builds(
        GenerationConfigOverrides,
        frequency_penalty=numbers,
        logit_bias=maybe(st.dictionaries(text, st.integers(-100, 100), max_size=3)),
        logprobs=flags,
        max_completion_tokens=ints(1),
        presence_penalty=numbers,
        seed=maybe(st.integers()),
        temperature=numbers,
        top_p=numbers,
        reasoning=maybe(
            st.builds(
                ReasoningConfigOverride,
                enabled=st.booleans(),
                effort=maybe(st.sampled_from(["low", "medium", "high"])),
                budget=ints(1),
                adaptive=st.booleans(),
            )
        ),
    )
)
configs = st.builds(
    FineGrainedConfigHeader,
    fsm=maybe(fsm),
    prompt=maybe(prompts),
    response_format=maybe(
        st.builds(
            ResponseFormatOverrides,
            strip_response_content=flags,
            stream_thoughts=flags,
            include_program=flags,
            include_policy_check_history=flags,
            include_namespace_snapshot=flags,
        )
    ),
    llm=maybe(
        st.builds(
            LlmOverrides,
            pllm=generation,
            rllm=generation,
            tool_result_error_detector_llm=generation,
        )
    ),
)

headers = features | policies | configs
KINDS = {
    FeaturesHeader: "x_features",
    SecurityPolicyHeader: "x_policy",
    FineGrainedConfigHeader: "x_config",
}


@settings(max_examples=examples(300), database=None)
@given(headers)
def test_dump_parse_dump_is_stable(header: Any) -> None:
    """Dumping, parsing and dumping again gives the same text and an equal object."""
    text = header.dump_for_headers()

    again = type(header).from_json(text)

    assert again.dump_for_headers() == text
    assert again == header
    assert text.isascii()
    assert "\n" not in text


@settings(max_examples=examples(150), database=None)
@given(headers)
def test_every_valid_header_validates(header: Any) -> None:
    """Whatever the SDK can build, `validate_header` accepts and normalizes to the same JSON."""
    result = validate_header(KINDS[type(header)], header.dump_for_headers())  # type: ignore[arg-type]

    assert result.valid, result.errors
    assert result.normalized == json.loads(header.dump_for_headers())
