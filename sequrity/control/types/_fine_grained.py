"""
The ``X-Config`` header: FSM, prompt, response-format and LLM generation overrides (§2.7).
"""

# ruff: noqa: RUF009 - `opt()` and friends return attrs field specifiers, not shared defaults

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar, Literal

import attrs

from ._header_fields import (
    Bool,
    Choice,
    Float,
    Int,
    JsonNull,
    Nested,
    Str,
    StrMap,
    StrSet,
    choice_seq,
    opt,
    spec,
    str_seq,
    to_mapping,
    to_str_set,
    to_str_tuple,
)
from ._header_json import HeaderModel, Model

__all__ = [
    "FineGrainedConfigHeader",
    "FsmOverrides",
    "GenerationConfigOverrides",
    "LlmOverrides",
    "LlmPromptOverrides",
    "PllmPromptOverrides",
    "PromptOverrides",
    "ReasoningConfigOverride",
    "ResponseFormatOverrides",
    "RllmPromptOverrides",
    "TllmPromptOverrides",
]

ClearSessionMeta = Literal["never", "every_attempt", "every_turn"]
InternalTool = Literal["parse_with_ai", "verify_hypothesis", "set_policy", "complete_turn"]
DebugInfoLevel = Literal["minimal", "normal", "extra"]
_DEBUG = Choice(("minimal", "normal", "extra"))
_INTERNAL_TOOLS = ("parse_with_ai", "verify_hypothesis", "set_policy", "complete_turn")


def _tools(value: Iterable[InternalTool] | None) -> tuple[InternalTool, ...] | None:
    return to_str_tuple(value)  # type: ignore[return-value]


def _roles(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return to_str_tuple(value)


def _str_map(value: Mapping[str, str] | None) -> Mapping[str, str] | None:
    return to_mapping(value)


def _int_map(value: Mapping[str, int] | None) -> Mapping[str, int] | None:
    return to_mapping(value)


@attrs.frozen(kw_only=True)
class FsmOverrides(Model):
    """
    Session state-machine settings (``X-Config.fsm``). `None` leaves a field to the server.

    Fields marked *null* also accept `JSON_NULL`, which sends ``null`` with its documented meaning.
    Shared by both architectures: `min_num_tools_for_filtering` (>= 2; *null* disables tool
    filtering), `clear_session_meta` and `max_n_turns` (>= 1; *null* = unlimited). Dual-LLM only:
    `history_mismatch_policy`, `clear_history_every_n_attempts`, `disable_rllm`,
    `enable_multistep_planning`, `enabled_internal_tools` (``[]`` disables all),
    `prune_failed_steps`, `force_to_cache` (tool-id regexes), `max_pllm_steps`,
    `max_pllm_failed_steps`, `max_tool_calls_per_step` (*null* = no limit),
    `reduced_grammar_for_rllm_review` (``"none"``/``"bool"``/``"text"`` or a bool),
    `retry_on_policy_violation`, `wrap_tool_result`, `detect_tool_errors`,
    `detect_tool_error_regex_pattern`, `detect_tool_error_max_result_length` (*null* = no limit),
    `strict_tool_result_parsing`, `tool_result_transform`, `n_pllm_plans` (>= 1),
    `pllm_candidate_models` (a set, sent sorted) and `pllm_context_pruning`. See protocol §2.7.1.
    """

    min_num_tools_for_filtering: int | JsonNull | None = opt(Int(2), json_null=True)
    clear_session_meta: ClearSessionMeta | None = opt(
        Choice(("never", "every_attempt", "every_turn"))
    )
    max_n_turns: int | JsonNull | None = opt(Int(1), json_null=True)
    history_mismatch_policy: Literal["reject", "restart_turn", "continue"] | None = opt(
        Choice(("reject", "restart_turn", "continue"))
    )
    clear_history_every_n_attempts: int | None = opt(Int(1))
    disable_rllm: bool | None = opt(Bool())
    enable_multistep_planning: bool | None = opt(Bool())
    enabled_internal_tools: tuple[InternalTool, ...] | None = attrs.field(
        default=None, converter=_tools, metadata=spec(choice_seq(_INTERNAL_TOOLS))
    )
    prune_failed_steps: bool | None = opt(Bool())
    force_to_cache: tuple[str, ...] | None = attrs.field(
        default=None, converter=to_str_tuple, metadata=spec(str_seq())
    )
    max_pllm_steps: int | None = opt(Int(1))
    max_pllm_failed_steps: int | None = opt(Int(1))
    max_tool_calls_per_step: int | JsonNull | None = opt(Int(1), json_null=True)
    reduced_grammar_for_rllm_review: Literal["none", "bool", "text"] | bool | None = opt(
        Choice(("none", "bool", "text"), allow_bool=True)
    )
    retry_on_policy_violation: bool | None = opt(Bool())
    wrap_tool_result: bool | None = opt(Bool())
    detect_tool_errors: Literal["none", "regex", "llm"] | None = opt(
        Choice(("none", "regex", "llm"))
    )
    detect_tool_error_regex_pattern: str | None = opt(Str())
    detect_tool_error_max_result_length: int | JsonNull | None = opt(Int(0), json_null=True)
    strict_tool_result_parsing: bool | None = opt(Bool())
    tool_result_transform: Literal["none", "codex"] | None = opt(Choice(("none", "codex")))
    n_pllm_plans: int | None = opt(Int(1))
    pllm_candidate_models: frozenset[str] | None = attrs.field(
        default=None, converter=to_str_set, metadata=spec(StrSet())
    )
    pllm_context_pruning: bool | None = opt(Bool())


@attrs.frozen(kw_only=True)
class LlmPromptOverrides(Model):
    """
    Prompt selection for one helper LLM (``grllm``, ``qllm``, ``tagllm``, ``policy_llm``,
    ``error_detector_llm``): `flavor` and `version` strings.
    """

    flavor: str | None = opt(Str())
    version: str | None = opt(Str())


@attrs.frozen(kw_only=True)
class PllmPromptOverrides(Model):
    """
    Planning-LLM prompt options (``X-Config.prompt.pllm``).

    `flavor` (e.g. ``"universal"``, ``"code"``), `version`, `clarify_ambiguous_queries`,
    `context_var_visibility` (``"none"``, ``"basic-notext"``, ``"basic-executable"``,
    ``"all-executable"``, ``"all"``), `query_inline_roles` (``"assistant"``, ``"tool"``,
    ``"developer"``, ``"system"``), `query_role_name_overrides` (role -> role, read-only mapping),
    `query_include_tool_calls`, `query_include_tool_args`, `query_include_tool_results` and
    `debug_info_level` (``"minimal"``, ``"normal"``, ``"extra"``).
    """

    flavor: str | None = opt(Str())
    version: str | None = opt(Str())
    clarify_ambiguous_queries: bool | None = opt(Bool())
    context_var_visibility: (
        Literal["none", "basic-notext", "basic-executable", "all-executable", "all"] | None
    ) = opt(Choice(("none", "basic-notext", "basic-executable", "all-executable", "all")))
    query_inline_roles: tuple[str, ...] | None = attrs.field(
        default=None,
        converter=_roles,
        metadata=spec(choice_seq(("assistant", "tool", "developer", "system"))),
    )
    query_role_name_overrides: Mapping[str, str] | None = attrs.field(
        default=None, converter=_str_map, hash=False, metadata=spec(StrMap(Str()))
    )
    query_include_tool_calls: bool | None = opt(Bool())
    query_include_tool_args: bool | None = opt(Bool())
    query_include_tool_results: bool | None = opt(Bool())
    debug_info_level: DebugInfoLevel | None = opt(_DEBUG)


@attrs.frozen(kw_only=True)
class RllmPromptOverrides(Model):
    """
    Review-LLM prompt options: `flavor`, `version`, `debug_info_level`.
    """

    flavor: str | None = opt(Str())
    version: str | None = opt(Str())
    debug_info_level: DebugInfoLevel | None = opt(_DEBUG)


@attrs.frozen(kw_only=True)
class TllmPromptOverrides(Model):
    """
    Tool-filtering-LLM prompt options: `flavor`, `version`, `add_tool_description`,
    `add_tool_input_schema`.
    """

    flavor: str | None = opt(Str())
    version: str | None = opt(Str())
    add_tool_description: bool | None = opt(Bool())
    add_tool_input_schema: bool | None = opt(Bool())


@attrs.frozen(kw_only=True)
class PromptOverrides(Model):
    """
    Prompt overrides per internal LLM (``X-Config.prompt``).
    """

    pllm: PllmPromptOverrides | None = opt(Nested(PllmPromptOverrides))
    rllm: RllmPromptOverrides | None = opt(Nested(RllmPromptOverrides))
    grllm: LlmPromptOverrides | None = opt(Nested(LlmPromptOverrides))
    qllm: LlmPromptOverrides | None = opt(Nested(LlmPromptOverrides))
    tllm: TllmPromptOverrides | None = opt(Nested(TllmPromptOverrides))
    tagllm: LlmPromptOverrides | None = opt(Nested(LlmPromptOverrides))
    policy_llm: LlmPromptOverrides | None = opt(Nested(LlmPromptOverrides))
    error_detector_llm: LlmPromptOverrides | None = opt(Nested(LlmPromptOverrides))


@attrs.frozen(kw_only=True)
class ResponseFormatOverrides(Model):
    """
    Shape of dual-LLM answers (``X-Config.response_format``).

    `strip_response_content` (plain result text only; must stay false for LangGraph),
    `stream_thoughts`, `include_program`, `include_policy_check_history`,
    `include_namespace_snapshot`.
    """

    strip_response_content: bool | None = opt(Bool())
    stream_thoughts: bool | None = opt(Bool())
    include_program: bool | None = opt(Bool())
    include_policy_check_history: bool | None = opt(Bool())
    include_namespace_snapshot: bool | None = opt(Bool())


@attrs.frozen(kw_only=True)
class ReasoningConfigOverride(Model):
    """
    Reasoning settings. `enabled` (default true) and `adaptive` (default false) are always sent;
    `effort` (e.g. ``"low"``, ``"medium"``, ``"high"``) and `budget` (>= 1) only when set.
    """

    enabled: bool = attrs.field(default=True, metadata=spec(Bool(), nullable=False))
    effort: str | None = opt(Str())
    budget: int | None = opt(Int(1))
    adaptive: bool = attrs.field(default=False, metadata=spec(Bool(), nullable=False))


@attrs.frozen(kw_only=True)
class GenerationConfigOverrides(Model):
    """
    Generation settings merged into one internal LLM's config; only fields that are set are sent.
    """

    frequency_penalty: float | None = opt(Float())
    logit_bias: Mapping[str, int] | None = attrs.field(
        default=None, converter=_int_map, hash=False, metadata=spec(StrMap(Int()))
    )
    logprobs: bool | None = opt(Bool())
    max_completion_tokens: int | None = opt(Int(1))
    presence_penalty: float | None = opt(Float())
    seed: int | None = opt(Int())
    temperature: float | None = opt(Float())
    top_p: float | None = opt(Float())
    reasoning: ReasoningConfigOverride | None = opt(Nested(ReasoningConfigOverride))


@attrs.frozen(kw_only=True)
class LlmOverrides(Model):
    """
    Generation overrides per internal LLM (``X-Config.llm``; an SDK extension, not in the REST docs).
    """

    pllm: GenerationConfigOverrides | None = opt(Nested(GenerationConfigOverrides))
    rllm: GenerationConfigOverrides | None = opt(Nested(GenerationConfigOverrides))
    grllm: GenerationConfigOverrides | None = opt(Nested(GenerationConfigOverrides))
    qllm: GenerationConfigOverrides | None = opt(Nested(GenerationConfigOverrides))
    tllm: GenerationConfigOverrides | None = opt(Nested(GenerationConfigOverrides))
    tagllm: GenerationConfigOverrides | None = opt(Nested(GenerationConfigOverrides))
    policy_llm: GenerationConfigOverrides | None = opt(Nested(GenerationConfigOverrides))
    tool_result_error_detector_llm: GenerationConfigOverrides | None = opt(
        Nested(GenerationConfigOverrides)
    )


@attrs.frozen(kw_only=True)
class FineGrainedConfigHeader(HeaderModel):
    """
    Value of the ``X-Config`` header: `fsm`, `prompt`, `response_format`, `llm`, all optional.

    Instances are immutable; derive changed copies with `attrs.evolve`.
    """

    header_name: ClassVar[str] = "X-Config"

    fsm: FsmOverrides | None = opt(Nested(FsmOverrides))
    prompt: PromptOverrides | None = opt(Nested(PromptOverrides))
    response_format: ResponseFormatOverrides | None = opt(Nested(ResponseFormatOverrides))
    llm: LlmOverrides | None = opt(Nested(LlmOverrides))

    @classmethod
    def single_llm(
        cls,
        min_num_tools_for_filtering: int | JsonNull | None = 10,
        clear_session_meta: ClearSessionMeta | None = "never",
        max_n_turns: int | JsonNull | None = 50,
    ) -> FineGrainedConfigHeader:
        """
        Single-LLM FSM settings: ``{"fsm":{"min_num_tools_for_filtering":10,
        "clear_session_meta":"never","max_n_turns":50}}`` with the defaults.

        Args:
            min_num_tools_for_filtering: See `FsmOverrides` (`JSON_NULL` sends null).
            clear_session_meta: See `FsmOverrides`.
            max_n_turns: See `FsmOverrides` (`JSON_NULL` = unlimited, None = server default).
        """
        return cls(
            fsm=FsmOverrides(
                min_num_tools_for_filtering=min_num_tools_for_filtering,
                clear_session_meta=clear_session_meta,
                max_n_turns=max_n_turns,
            )
        )

    @classmethod
    def dual_llm(
        cls,
        min_num_tools_for_filtering: int | JsonNull | None = 10,
        clear_session_meta: ClearSessionMeta | None = "never",
        max_n_turns: int | JsonNull | None = 5,
        clear_history_every_n_attempts: int | None = None,
        disable_rllm: bool | None = True,
        enable_multistep_planning: bool | None = None,
        enabled_internal_tools: Iterable[InternalTool] | None = None,
        prune_failed_steps: bool | None = None,
        force_to_cache: Iterable[str] | None = None,
        max_pllm_steps: int | None = None,
        max_pllm_failed_steps: int | None = None,
        max_tool_calls_per_step: int | JsonNull | None = None,
        reduced_grammar_for_rllm_review: bool | None = None,
        retry_on_policy_violation: bool | None = None,
        pllm_debug_info_level: DebugInfoLevel | None = None,
        strip_response_content: bool | None = None,
        stream_thoughts: bool | None = None,
        include_program: bool | None = None,
        include_policy_check_history: bool | None = None,
        include_namespace_snapshot: bool | None = None,
    ) -> FineGrainedConfigHeader:
        """
        Dual-LLM settings. With the defaults: ``{"fsm":{"min_num_tools_for_filtering":10,
        "clear_session_meta":"never","max_n_turns":5,"disable_rllm":true}}``.

        `fsm` is always built from the FSM arguments; ``prompt.pllm.debug_info_level`` only when
        `pllm_debug_info_level` is given; `response_format` only when one of its five arguments
        is not None. For fields this factory does not cover, build `FsmOverrides` directly.

        Args:
            min_num_tools_for_filtering: See `FsmOverrides`.
            clear_session_meta: See `FsmOverrides`.
            max_n_turns: See `FsmOverrides`.
            clear_history_every_n_attempts: See `FsmOverrides`.
            disable_rllm: See `FsmOverrides`.
            enable_multistep_planning: See `FsmOverrides`.
            enabled_internal_tools: See `FsmOverrides`.
            prune_failed_steps: See `FsmOverrides`.
            force_to_cache: See `FsmOverrides`.
            max_pllm_steps: See `FsmOverrides`.
            max_pllm_failed_steps: See `FsmOverrides`.
            max_tool_calls_per_step: See `FsmOverrides`.
            reduced_grammar_for_rllm_review: See `FsmOverrides`.
            retry_on_policy_violation: See `FsmOverrides`.
            pllm_debug_info_level: ``prompt.pllm.debug_info_level``.
            strip_response_content: See `ResponseFormatOverrides`.
            stream_thoughts: See `ResponseFormatOverrides`.
            include_program: See `ResponseFormatOverrides`.
            include_policy_check_history: See `ResponseFormatOverrides`.
            include_namespace_snapshot: See `ResponseFormatOverrides`.
        """
        fsm = FsmOverrides(
            min_num_tools_for_filtering=min_num_tools_for_filtering,
            clear_session_meta=clear_session_meta,
            max_n_turns=max_n_turns,
            clear_history_every_n_attempts=clear_history_every_n_attempts,
            disable_rllm=disable_rllm,
            enable_multistep_planning=enable_multistep_planning,
            enabled_internal_tools=None
            if enabled_internal_tools is None
            else list(enabled_internal_tools),
            prune_failed_steps=prune_failed_steps,
            force_to_cache=None if force_to_cache is None else list(force_to_cache),
            max_pllm_steps=max_pllm_steps,
            max_pllm_failed_steps=max_pllm_failed_steps,
            max_tool_calls_per_step=max_tool_calls_per_step,
            reduced_grammar_for_rllm_review=reduced_grammar_for_rllm_review,
            retry_on_policy_violation=retry_on_policy_violation,
        )
        prompt = None
        if pllm_debug_info_level is not None:
            prompt = PromptOverrides(
                pllm=PllmPromptOverrides(debug_info_level=pllm_debug_info_level)
            )
        flags = (
            strip_response_content,
            stream_thoughts,
            include_program,
            include_policy_check_history,
            include_namespace_snapshot,
        )
        response_format = None
        if any(flag is not None for flag in flags):
            response_format = ResponseFormatOverrides(
                strip_response_content=strip_response_content,
                stream_thoughts=stream_thoughts,
                include_program=include_program,
                include_policy_check_history=include_policy_check_history,
                include_namespace_snapshot=include_namespace_snapshot,
            )
        return cls(fsm=fsm, prompt=prompt, response_format=response_format)
