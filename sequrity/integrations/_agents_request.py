"""
Arguments of ``client.control.chat.create`` / ``responses.create`` from what the OpenAI Agents
SDK gives a `Model` (its input items, `ModelSettings`, tools and handoffs), through the Agents
SDK's own format converters. Also the usage and JSON helpers both models share.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ._extras import missing_extra
from ._results import session_from_headers

try:
    import pydantic
    from agents.agent_output import AgentOutputSchemaBase
    from agents.exceptions import UserError
    from agents.handoffs import Handoff
    from agents.items import TResponseInputItem
    from agents.model_settings import ModelSettings
    from agents.models.chatcmpl_converter import Converter as ChatConverter
    from agents.models.openai_responses import Converter as ResponsesConverter
    from agents.tool import Tool
    from agents.usage import Usage
    from openai import NotGiven, Omit
except ImportError as exc:  # pragma: no cover - the extra is installed where this runs
    raise missing_extra("agents", exc) from exc

__all__ = ["chat_request", "plain", "responses_request", "settings_request", "usage_of"]

#: Keywords of our ``create`` methods that `ModelSettings.extra_args` may set; any other key of
#: ``extra_args`` goes into the JSON body, as for the Agents SDK's own models.
SEQURITY_ARGS = frozenset(
    {
        "provider",
        "llm_api_key",
        "endpoint_type",
        "features",
        "security_policy",
        "fine_grained_config",
        "feature_overrides",
        "policy_overrides",
        "config_overrides",
        "session_id",
        "custom_headers",
        "timeout",
        "retry",
    }
)


def plain(value: Any) -> Any:
    """
    Turn what the Agents SDK builds (TypedDicts, pydantic models, iterables) into plain JSON.

    Args:
        value: Messages, tools or items.

    Returns:
        Dicts, lists and scalars only.
    """
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return value
    return [plain(v) for v in value]


def _given(value: Any) -> Any:
    """`None` for the OpenAI SDK's "not given" sentinels, else the value."""
    return None if isinstance(value, Omit | NotGiven) else value


def settings_request(
    settings: ModelSettings, *, default_session: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """
    Read the parts of `ModelSettings` both models honour the same way.

    The session of a run comes from ``extra_headers={"X-Session-ID": ...}`` or
    ``extra_args={"session_id": ...}``; without either, `default_session`.

    Args:
        settings: The run's model settings.
        default_session: The session to send when the settings name none.

    Returns:
        Keyword arguments of ``create`` and the extra JSON body.

    Raises:
        UserError: ``extra_query`` is set (the Control API takes no query parameters).
    """
    if settings.extra_query:
        raise UserError("the Sequrity models send no query parameters; drop extra_query")
    kwargs: dict[str, Any] = {}
    body: dict[str, Any] = dict(plain(settings.extra_body or {}))
    for key, value in (settings.extra_args or {}).items():
        (kwargs if key in SEQURITY_ARGS else body)[key] = value
    headers = {k: str(v) for k, v in (settings.extra_headers or {}).items()}
    session = session_from_headers(headers)
    headers = {k: v for k, v in headers.items() if k.lower() != "x-session-id"}
    if headers:
        kwargs["custom_headers"] = {**headers, **dict(kwargs.get("custom_headers") or {})}
    kwargs.setdefault("session_id", session if session is not None else default_session)
    if settings.timeout is not None:
        kwargs.setdefault("timeout", settings.timeout)
    return kwargs, body


def _optional(body: dict[str, Any], **values: Any) -> None:
    for key, value in values.items():
        if value is not None:
            body[key] = value


def chat_request(
    model: str,
    system_instructions: str | None,
    input: str | list[TResponseInputItem],
    settings: ModelSettings,
    tools: list[Tool],
    output_schema: AgentOutputSchemaBase | None,
    handoffs: list[Handoff[Any, Any]],
    *,
    default_session: str | None,
) -> dict[str, Any]:
    """
    Build the keyword arguments of ``client.control.chat.create`` for one model call.

    Returns:
        Everything but ``stream``.
    """
    messages: list[Any] = list(ChatConverter.items_to_messages(input, model=model))
    if system_instructions:
        messages.insert(0, {"role": "system", "content": system_instructions})
    converted = [ChatConverter.tool_to_openai(tool) for tool in tools]
    converted += [ChatConverter.convert_handoff_tool(handoff) for handoff in handoffs]
    kwargs, body = settings_request(settings, default_session=default_session)
    _optional(
        body,
        parallel_tool_calls=settings.parallel_tool_calls if converted else None,
        frequency_penalty=settings.frequency_penalty,
        presence_penalty=settings.presence_penalty,
        metadata=settings.metadata,
        store=settings.store,
        verbosity=settings.verbosity,
        top_logprobs=settings.top_logprobs,
        logprobs=True if settings.top_logprobs is not None else None,
        prompt_cache_retention=settings.prompt_cache_retention,
    )
    kwargs.update(
        messages=plain(messages),
        model=model,
        tools=plain(converted) or None,
        tool_choice=_given(ChatConverter.convert_tool_choice(settings.tool_choice)),
        response_format=plain(_given(ChatConverter.convert_response_format(output_schema))),
        temperature=settings.temperature,
        top_p=settings.top_p,
        max_completion_tokens=settings.max_tokens,
        reasoning_effort=settings.reasoning.effort if settings.reasoning is not None else None,
        extra_body=body or None,
    )
    return kwargs


def responses_request(
    model: str,
    system_instructions: str | None,
    input: str | list[TResponseInputItem],
    settings: ModelSettings,
    tools: list[Tool],
    output_schema: AgentOutputSchemaBase | None,
    handoffs: list[Handoff[Any, Any]],
    *,
    previous_response_id: str | None,
    conversation_id: str | None,
    prompt: Any,
    default_session: str | None,
) -> dict[str, Any]:
    """
    Build the keyword arguments of ``client.control.responses.create`` for one model call.

    Returns:
        Everything but ``stream``.
    """
    converted = ResponsesConverter.convert_tools(tools, handoffs, model=model)
    includes = [*converted.includes, *(settings.response_include or [])]
    text = plain(_given(ResponsesConverter.get_response_format(output_schema))) or {}
    if settings.verbosity is not None:
        text["verbosity"] = settings.verbosity
    tool_choice = ResponsesConverter.convert_tool_choice(
        settings.tool_choice, tools=tools, handoffs=handoffs, model=model
    )
    kwargs, body = settings_request(settings, default_session=default_session)
    _optional(
        body,
        frequency_penalty=settings.frequency_penalty,
        presence_penalty=settings.presence_penalty,
        prompt_cache_retention=settings.prompt_cache_retention,
    )
    kwargs.update(
        model=model,
        input=input if isinstance(input, str) else plain(input),
        instructions=system_instructions,
        tools=plain(converted.tools) or None,
        include=list(dict.fromkeys(includes)) or None,
        tool_choice=plain(_given(tool_choice)),
        text=text or None,
        temperature=settings.temperature,
        top_p=settings.top_p,
        max_output_tokens=settings.max_tokens,
        reasoning=plain(settings.reasoning) or None,
        truncation=settings.truncation,
        parallel_tool_calls=settings.parallel_tool_calls,
        store=settings.store,
        metadata=settings.metadata,
        top_logprobs=settings.top_logprobs,
        previous_response_id=previous_response_id,
        conversation=conversation_id,
        prompt=plain(prompt) if prompt else None,
        extra_body=body or None,
    )
    return kwargs


def usage_of(usage: Mapping[str, Any] | None) -> Usage:
    """
    Give the Agents SDK's `Usage` of one request from a JSON usage object of either API.

    Args:
        usage: ``usage`` of a chat completion (``prompt_tokens``...) or of a response
            (``input_tokens``...), or `None`.

    Returns:
        The usage of one request.
    """
    if not usage:
        return Usage(requests=1)
    return Usage(
        requests=1,
        input_tokens=int(usage.get("input_tokens", usage.get("prompt_tokens")) or 0),
        output_tokens=int(usage.get("output_tokens", usage.get("completion_tokens")) or 0),
        total_tokens=int(usage.get("total_tokens") or 0),
    )
