"""
Policy generation (§6): the request variants (one per tool format, told apart by ``type``), the
response, and the pure checks run on a request before it is sent.
"""

# ruff: noqa: RUF009 - `_chat_tools()` and `_other_tools()` return attrs field specifiers

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from ..._converter import (
    EMPTY,
    get_fast_converter,
    register_tagged_union,
    register_wire_rules,
    structure_or_raise,
)
from ..._exceptions import SequrityValidationError
from ...types._model_methods import ModelMethods
from ...types.chat_completion.request import FunctionTool

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "INTERNAL_TOOL_NAMES",
    "SUPPORTED_TYPES",
    "InternalToolName",
    "PolicyGenRequest",
    "PolicyGenRequestAnthropicMessages",
    "PolicyGenRequestBase",
    "PolicyGenRequestOaiChatCompletion",
    "PolicyGenRequestOaiResponses",
    "PolicyGenRequestOpenAiChatCompletion",
    "PolicyGenRequestOpenRouterChatCompletion",
    "PolicyGenRequestOpenrouterChatCompletion",
    "PolicyGenRequestSequrityAzureChatCompletion",
    "PolicyGenRequestSequrityAzureResponses",
    "PolicyGenResponse",
    "check_policy_gen_request",
    "policy_gen_body",
    "register_policy_gen_union",
    "tool_names",
]

InternalToolName = Literal["parse_with_ai", "verify_hypothesis", "set_policy", "complete_turn"]

#: The internal tools a generated policy may mention (§6).
INTERNAL_TOOL_NAMES: Final = ("parse_with_ai", "verify_hypothesis", "set_policy", "complete_turn")

_extra = attrs.field(default=EMPTY, kw_only=True, repr=False)


def _function_tools(value: Any) -> Any:
    # Official-style code passes tools as dicts; structure them now rather than fail at send time.
    if isinstance(value, list | tuple) and not all(isinstance(t, FunctionTool) for t in value):
        return structure_or_raise(list(value), list[FunctionTool], "tools")
    return value


def _json_tools(value: Any) -> Any:
    # Typed tool objects (an Anthropic `ToolParam`...) become their JSON objects.
    if isinstance(value, list | tuple) and any(attrs.has(type(t)) for t in value):
        return [get_fast_converter().unstructure(t) if attrs.has(type(t)) else t for t in value]
    return value


def _chat_tools() -> Any:
    return attrs.field(factory=list, converter=_function_tools)


def _other_tools() -> Any:
    return attrs.field(factory=list, converter=_json_tools)


@attrs.frozen(kw_only=True)
class PolicyGenRequestOaiChatCompletion(ModelMethods):
    """
    Generate a policy for tools in the OpenAI Chat Completions format (route: ``openai``).

    Attributes:
        model: The LLM that writes the policy.
        description: What the policy should enforce, in plain words.
        tools: The agent's tools (`FunctionTool` or ``{"type": "function", "function": {...}}``).
        policy_lang: The policy language; only ``"sqrt"``.
        n_retries: How often the server retries when a generated policy is invalid (>= 0).
        internal_tool_names: Sequrity's internal tools the policy may also govern.
        type: The discriminator.
        extra: Unknown keys of a dict request; refused before sending (the server forbids them).
    """

    model: str
    description: str
    tools: list[FunctionTool] = _chat_tools()
    policy_lang: Literal["sqrt"] = "sqrt"
    n_retries: int = 3
    internal_tool_names: list[InternalToolName] = attrs.field(factory=list)
    type: Literal["oai_chat_completion"] = "oai_chat_completion"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class PolicyGenRequestOpenrouterChatCompletion(ModelMethods):
    """
    Generate a policy for Chat Completions tools through OpenRouter (the default route).

    Attributes are those of `PolicyGenRequestOaiChatCompletion`.
    """

    model: str
    description: str
    tools: list[FunctionTool] = _chat_tools()
    policy_lang: Literal["sqrt"] = "sqrt"
    n_retries: int = 3
    internal_tool_names: list[InternalToolName] = attrs.field(factory=list)
    type: Literal["openrouter_chat_completion"] = "openrouter_chat_completion"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class PolicyGenRequestSequrityAzureChatCompletion(ModelMethods):
    """
    Generate a policy for Chat Completions tools through Sequrity Azure.

    Attributes are those of `PolicyGenRequestOaiChatCompletion`.
    """

    model: str
    description: str
    tools: list[FunctionTool] = _chat_tools()
    policy_lang: Literal["sqrt"] = "sqrt"
    n_retries: int = 3
    internal_tool_names: list[InternalToolName] = attrs.field(factory=list)
    type: Literal["sequrity_azure_chat_completion"] = "sequrity_azure_chat_completion"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class PolicyGenRequestAnthropicMessages(ModelMethods):
    """
    Generate a policy for tools in the Anthropic Messages format (route: ``anthropic``).

    Attributes:
        tools: Anthropic tool definitions: ``{"name", "input_schema", "description"?, ...}``.

    The other attributes are those of `PolicyGenRequestOaiChatCompletion`.
    """

    model: str
    description: str
    tools: list[dict[str, Any]] = _other_tools()
    policy_lang: Literal["sqrt"] = "sqrt"
    n_retries: int = 3
    internal_tool_names: list[InternalToolName] = attrs.field(factory=list)
    type: Literal["anthropic_messages"] = "anthropic_messages"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class PolicyGenRequestSequrityAzureResponses(ModelMethods):
    """
    Generate a policy for tools in the OpenAI Responses format through Sequrity Azure.

    Attributes:
        tools: Responses tool definitions (free-form JSON objects).

    The other attributes are those of `PolicyGenRequestOaiChatCompletion`.
    """

    model: str
    description: str
    tools: list[dict[str, Any]] = _other_tools()
    policy_lang: Literal["sqrt"] = "sqrt"
    n_retries: int = 3
    internal_tool_names: list[InternalToolName] = attrs.field(factory=list)
    type: Literal["sequrity_azure_responses"] = "sequrity_azure_responses"
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class PolicyGenRequestOaiResponses(ModelMethods):
    """
    Responses-format tools through OpenAI. Modelled for forward compatibility only: the server does
    not support it yet, so `generate` refuses it before sending.

    Attributes are those of `PolicyGenRequestSequrityAzureResponses`.
    """

    model: str
    description: str
    tools: list[dict[str, Any]] = _other_tools()
    policy_lang: Literal["sqrt"] = "sqrt"
    n_retries: int = 3
    internal_tool_names: list[InternalToolName] = attrs.field(factory=list)
    type: Literal["oai_responses"] = "oai_responses"
    extra: Mapping[str, Any] = _extra


PolicyGenRequest = (
    PolicyGenRequestOaiChatCompletion
    | PolicyGenRequestOpenrouterChatCompletion
    | PolicyGenRequestAnthropicMessages
    | PolicyGenRequestSequrityAzureChatCompletion
    | PolicyGenRequestSequrityAzureResponses
    | PolicyGenRequestOaiResponses
)
"""Any policy-generation request; a dict's ``type`` key picks the variant."""

#: The official SDK's names of two variants, and of the variants' common type.
PolicyGenRequestOpenAiChatCompletion = PolicyGenRequestOaiChatCompletion
PolicyGenRequestOpenRouterChatCompletion = PolicyGenRequestOpenrouterChatCompletion
PolicyGenRequestBase = PolicyGenRequest

#: Every modelled variant by its ``type`` (the converter's tagged-union table).
VARIANTS: Final[dict[str, type[Any]]] = {
    "oai_chat_completion": PolicyGenRequestOaiChatCompletion,
    "openrouter_chat_completion": PolicyGenRequestOpenrouterChatCompletion,
    "anthropic_messages": PolicyGenRequestAnthropicMessages,
    "sequrity_azure_chat_completion": PolicyGenRequestSequrityAzureChatCompletion,
    "sequrity_azure_responses": PolicyGenRequestSequrityAzureResponses,
    "oai_responses": PolicyGenRequestOaiResponses,
}

#: The ``type`` values the server accepts today (``oai_responses`` is not one of them).
SUPPORTED_TYPES: Final = (
    "oai_chat_completion",
    "openrouter_chat_completion",
    "anthropic_messages",
    "sequrity_azure_chat_completion",
    "sequrity_azure_responses",
)


@attrs.frozen(kw_only=True)
class PolicyGenResponse(ModelMethods):
    """
    A generated policy.

    Attributes:
        policies: The SQRT source (check it locally with `sequrity.sqrt.check`).
        usage: Token counts: ``prompt_tokens``, ``completion_tokens``, ``total_tokens``.
        session_id: The ``X-Session-ID`` of the answer, if any.
        request_id: The server's request id, if any.
        extra: Keys the server added that this SDK does not know (kept, never an error).
    """

    policies: str
    usage: dict[str, int] = attrs.field(factory=dict)
    session_id: str | None = None
    request_id: str | None = None
    extra: Mapping[str, Any] = _extra


def register_policy_gen_union(converter: cattrs.Converter) -> None:
    """
    Teach `converter` to tell the `PolicyGenRequest` variants apart by ``type``.
    """
    register_tagged_union(converter, PolicyGenRequest, "type", VARIANTS)


register_wire_rules(register_policy_gen_union)


def _supported_list() -> str:
    return ", ".join(repr(t) for t in SUPPORTED_TYPES)


def check_policy_gen_request(request: Any, what: str = "request") -> list[str]:
    """
    Check what the converter cannot: the type is supported, no unknown keys, ``n_retries >= 0``,
    Anthropic tools name their ``name`` and ``input_schema`` (pure).

    Returns:
        One ``"problem @ path"`` line per problem; empty when the request can be sent.
    """
    problems: list[str] = []
    if request.type not in SUPPORTED_TYPES:
        problems.append(
            f"unsupported type {request.type!r}: the server does not generate policies for this "
            f"format yet; use one of {_supported_list()} @ {what}.type"
        )
    for key in request.extra:
        problems.append(f"extra field {key!r} is not permitted @ {what}.{key}")
    if request.n_retries < 0:
        problems.append(f"n_retries must be >= 0, got {request.n_retries} @ {what}.n_retries")
    if request.type == "anthropic_messages":
        for i, tool in enumerate(request.tools):
            if not isinstance(tool.get("name"), str) or not tool["name"]:
                problems.append(f"an Anthropic tool needs a 'name' string @ {what}.tools[{i}].name")
            if not isinstance(tool.get("input_schema"), Mapping):
                problems.append(
                    f"an Anthropic tool needs an 'input_schema' object "
                    f"@ {what}.tools[{i}].input_schema"
                )
    return problems


def policy_gen_body(request: PolicyGenRequest | Mapping[str, Any]) -> tuple[PolicyGenRequest, Any]:
    """
    Validate a policy-generation request and return it typed with its JSON body (pure).

    Every field with a default is sent (``policy_lang``, ``n_retries``, ``internal_tool_names``,
    ``tools``), as the official SDK does.

    Raises:
        SequrityValidationError: an unknown or unsupported ``type`` (the supported ones are
            listed), a missing or mistyped field, an unknown key, or a negative ``n_retries``.
    """
    if isinstance(request, Mapping):
        kind = request.get("type")
        if kind not in VARIANTS:
            shown = "missing" if kind is None else repr(kind)
            raise SequrityValidationError(
                f"request.type is {shown}; expected one of {_supported_list()}"
            )
    elif not isinstance(request, tuple(VARIANTS.values())):
        raise SequrityValidationError(
            "request must be a PolicyGenRequest variant or a dict, got " + type(request).__name__
        )
    typed: PolicyGenRequest = structure_or_raise(request, PolicyGenRequest, "request")
    problems = check_policy_gen_request(typed)
    if problems:
        raise SequrityValidationError(
            "invalid policy generation request: " + "; ".join(problems), problems
        )
    return typed, get_fast_converter().unstructure(typed)


def tool_names(request: PolicyGenRequest) -> list[str]:
    """
    Return the names of a request's tools, in order (tools without a name are skipped).
    """
    names: list[str] = []
    for tool in request.tools:
        if isinstance(tool, FunctionTool):
            names.append(tool.function.name)
            continue
        name = tool.get("name")
        if not isinstance(name, str):
            function = tool.get("function")
            name = function.get("name") if isinstance(function, Mapping) else None
        if isinstance(name, str) and name:
            names.append(name)
    return names
