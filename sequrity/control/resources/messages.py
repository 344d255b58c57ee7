"""``POST /control/{endpoint_type}[/anthropic]/v1/messages``: the Anthropic Messages API style."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, overload

from ..._converter import dumps, get_converter, get_fast_converter, structure_or_raise
from ..._core._retry import RetryPolicy
from ..._core._sse import ServerSentEvent
from ..._core._stream import AsyncStream
from ..._core._wire import Timeout
from ..._exceptions import SequrityValidationError
from ..._sentinel import NOT_GIVEN, NotGiven
from ...types.messages.request import (
    AnthropicMessageRequest,
    MessageParam,
    MetadataParam,
    OutputConfigParam,
    ReasoningEffort,
    TextBlockParam,
    ThinkingConfigParam,
    ToolChoiceParam,
    ToolParam,
)
from ...types.messages.response import AnthropicMessageResponse
from ...types.messages.stream import AnthropicStreamEvent, RawMessageStopEvent
from .._request import check_model
from .._urls import MESSAGES
from ._base import AsyncCreateResource, event_object

if TYPE_CHECKING:
    from ..types.headers import FeaturesHeader, FineGrainedConfigHeader, SecurityPolicyHeader

__all__ = ["AsyncMessagesResource", "build_messages_body", "decode_message_event"]


def build_messages_body(
    messages: Iterable[MessageParam | Mapping[str, Any]],
    model: str,
    max_tokens: int,
    params: Mapping[str, Any],
    extra_body: Mapping[str, Any] | None,
) -> bytes:
    """
    Validate the arguments of `create` and encode the JSON body (pure).

    Raises:
        SequrityValidationError: any argument is invalid; the message names the field.
    """
    if isinstance(messages, str | bytes | Mapping) or not isinstance(messages, Iterable):
        raise SequrityValidationError(
            "messages must be a list of messages (dicts or MessageParam objects)"
        )
    check_model(model)
    if max_tokens is None:
        raise SequrityValidationError("max_tokens is required (the most tokens to generate)")
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
        raise SequrityValidationError(f"max_tokens must be a positive integer, got {max_tokens!r}")
    data: dict[str, Any] = {"messages": list(messages), "model": model, "max_tokens": max_tokens}
    for key, value in params.items():
        if value is not None:
            data[key] = value
    request = structure_or_raise(data, AnthropicMessageRequest, "request")
    if not request.messages:
        raise SequrityValidationError("messages must not be empty")
    body: dict[str, Any] = get_fast_converter().unstructure(request)
    if extra_body:
        body.update(extra_body)
    return dumps(body)


#: The event union, typed as `Any`: cattrs' stubs only take classes.
_EVENT: Any = AnthropicStreamEvent


def _structure_event(data: dict[str, Any]) -> AnthropicStreamEvent:
    try:
        event: AnthropicStreamEvent = get_fast_converter().structure(data, _EVENT)
    except Exception:
        event = get_converter().structure(data, _EVENT)  # raises the detailed error
    return event


def decode_message_event(
    stream: AsyncStream[AnthropicStreamEvent], event: ServerSentEvent
) -> AnthropicStreamEvent | None:
    """
    Decode one event of a Messages stream.

    An ``error`` event raises the stream's typed error; ``message_stop`` marks the stream done;
    ``ping`` and unknown types come back as `UnknownStreamEvent`. A payload without ``type`` takes
    the SSE ``event:`` name; a named event whose data is not a JSON object is skipped (kept in
    ``stream.unknown_events``).
    """
    data = event_object(stream, event)
    if data is None:
        return None
    kind = data.get("type")
    if kind is None and event.event and event.event != "message":
        kind = event.event
        data = {**data, "type": kind}
    if kind == "error" or (kind is None and "error" in data):
        raise stream.in_band_error(data, event.data)
    decoded = _structure_event(data)
    if isinstance(decoded, RawMessageStopEvent):
        stream.mark_done()
    return decoded


class AsyncMessagesResource(AsyncCreateResource[AnthropicMessageResponse]):
    """
    The Anthropic Messages API style through the Control API (``client.control.messages``).

    Served by the default provider and ``anthropic`` only.
    """

    _create_name = "messages.create"
    _suffix = MESSAGES
    _response_type = AnthropicMessageResponse
    _decode_event = staticmethod(decode_message_event)
    _terminator = "message_stop"

    @overload
    async def create(
        self,
        messages: Iterable[MessageParam | Mapping[str, Any]],
        model: str,
        max_tokens: int,
        *,
        system: str | Iterable[TextBlockParam | Mapping[str, Any]] | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        top_k: int | None = None,
        tools: Iterable[ToolParam | Mapping[str, Any]] | None = None,
        tool_choice: ToolChoiceParam | Mapping[str, Any] | None = None,
        thinking: ThinkingConfigParam | Mapping[str, Any] | None = None,
        reasoning_effort: ReasoningEffort | None = None,
        stop_sequences: list[str] | None = None,
        stream: Literal[False] | None = None,
        output_config: OutputConfigParam | Mapping[str, Any] | None = None,
        metadata: MetadataParam | Mapping[str, Any] | None = None,
        service_tier: Literal["auto", "standard_only"] | None = None,
        provider: str | None | NotGiven = NOT_GIVEN,
        llm_api_key: str | None | NotGiven = NOT_GIVEN,
        endpoint_type: str | NotGiven = NOT_GIVEN,
        features: FeaturesHeader | None | NotGiven = NOT_GIVEN,
        security_policy: SecurityPolicyHeader | None | NotGiven = NOT_GIVEN,
        fine_grained_config: FineGrainedConfigHeader | None | NotGiven = NOT_GIVEN,
        feature_overrides: Mapping[str, Any] | None = None,
        policy_overrides: Mapping[str, Any] | None = None,
        config_overrides: Mapping[str, Any] | None = None,
        session_id: str | None | NotGiven = NOT_GIVEN,
        custom_headers: Mapping[str, str] | None = None,
        timeout: Timeout | float | None | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | int | None | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AnthropicMessageResponse: ...

    @overload
    async def create(
        self,
        messages: Iterable[MessageParam | Mapping[str, Any]],
        model: str,
        max_tokens: int,
        *,
        system: str | Iterable[TextBlockParam | Mapping[str, Any]] | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        top_k: int | None = None,
        tools: Iterable[ToolParam | Mapping[str, Any]] | None = None,
        tool_choice: ToolChoiceParam | Mapping[str, Any] | None = None,
        thinking: ThinkingConfigParam | Mapping[str, Any] | None = None,
        reasoning_effort: ReasoningEffort | None = None,
        stop_sequences: list[str] | None = None,
        stream: Literal[True],
        output_config: OutputConfigParam | Mapping[str, Any] | None = None,
        metadata: MetadataParam | Mapping[str, Any] | None = None,
        service_tier: Literal["auto", "standard_only"] | None = None,
        provider: str | None | NotGiven = NOT_GIVEN,
        llm_api_key: str | None | NotGiven = NOT_GIVEN,
        endpoint_type: str | NotGiven = NOT_GIVEN,
        features: FeaturesHeader | None | NotGiven = NOT_GIVEN,
        security_policy: SecurityPolicyHeader | None | NotGiven = NOT_GIVEN,
        fine_grained_config: FineGrainedConfigHeader | None | NotGiven = NOT_GIVEN,
        feature_overrides: Mapping[str, Any] | None = None,
        policy_overrides: Mapping[str, Any] | None = None,
        config_overrides: Mapping[str, Any] | None = None,
        session_id: str | None | NotGiven = NOT_GIVEN,
        custom_headers: Mapping[str, str] | None = None,
        timeout: Timeout | float | None | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | int | None | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncStream[AnthropicStreamEvent]: ...

    @overload
    async def create(
        self,
        messages: Iterable[MessageParam | Mapping[str, Any]],
        model: str,
        max_tokens: int,
        *,
        system: str | Iterable[TextBlockParam | Mapping[str, Any]] | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        top_k: int | None = None,
        tools: Iterable[ToolParam | Mapping[str, Any]] | None = None,
        tool_choice: ToolChoiceParam | Mapping[str, Any] | None = None,
        thinking: ThinkingConfigParam | Mapping[str, Any] | None = None,
        reasoning_effort: ReasoningEffort | None = None,
        stop_sequences: list[str] | None = None,
        stream: bool | None = None,
        output_config: OutputConfigParam | Mapping[str, Any] | None = None,
        metadata: MetadataParam | Mapping[str, Any] | None = None,
        service_tier: Literal["auto", "standard_only"] | None = None,
        provider: str | None | NotGiven = NOT_GIVEN,
        llm_api_key: str | None | NotGiven = NOT_GIVEN,
        endpoint_type: str | NotGiven = NOT_GIVEN,
        features: FeaturesHeader | None | NotGiven = NOT_GIVEN,
        security_policy: SecurityPolicyHeader | None | NotGiven = NOT_GIVEN,
        fine_grained_config: FineGrainedConfigHeader | None | NotGiven = NOT_GIVEN,
        feature_overrides: Mapping[str, Any] | None = None,
        policy_overrides: Mapping[str, Any] | None = None,
        config_overrides: Mapping[str, Any] | None = None,
        session_id: str | None | NotGiven = NOT_GIVEN,
        custom_headers: Mapping[str, str] | None = None,
        timeout: Timeout | float | None | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | int | None | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AnthropicMessageResponse | AsyncStream[AnthropicStreamEvent]: ...

    async def create(
        self,
        messages: Iterable[MessageParam | Mapping[str, Any]],
        model: str,
        max_tokens: int,
        *,
        system: str | Iterable[TextBlockParam | Mapping[str, Any]] | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        top_k: int | None = None,
        tools: Iterable[ToolParam | Mapping[str, Any]] | None = None,
        tool_choice: ToolChoiceParam | Mapping[str, Any] | None = None,
        thinking: ThinkingConfigParam | Mapping[str, Any] | None = None,
        reasoning_effort: ReasoningEffort | None = None,
        stop_sequences: list[str] | None = None,
        stream: bool | None = None,
        output_config: OutputConfigParam | Mapping[str, Any] | None = None,
        metadata: MetadataParam | Mapping[str, Any] | None = None,
        service_tier: Literal["auto", "standard_only"] | None = None,
        provider: str | None | NotGiven = NOT_GIVEN,
        llm_api_key: str | None | NotGiven = NOT_GIVEN,
        endpoint_type: str | NotGiven = NOT_GIVEN,
        features: FeaturesHeader | None | NotGiven = NOT_GIVEN,
        security_policy: SecurityPolicyHeader | None | NotGiven = NOT_GIVEN,
        fine_grained_config: FineGrainedConfigHeader | None | NotGiven = NOT_GIVEN,
        feature_overrides: Mapping[str, Any] | None = None,
        policy_overrides: Mapping[str, Any] | None = None,
        config_overrides: Mapping[str, Any] | None = None,
        session_id: str | None | NotGiven = NOT_GIVEN,
        custom_headers: Mapping[str, str] | None = None,
        timeout: Timeout | float | None | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | int | None | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AnthropicMessageResponse | AsyncStream[AnthropicStreamEvent]:
        """
        Create a message, or a stream of events with ``stream=True``.

        Tool use: when `stop_reason` is ``"tool_use"``, run the message's ``tool_use`` blocks and
        send the assistant message back followed by a user message of ``tool_result`` blocks
        (``{"type": "tool_result", "tool_use_id": ..., "content": ...}``).

        Args:
            messages: The conversation: dicts (``{"role": "user", "content": "..."}``) or
                `MessageParam` objects; content is a string or a list of content blocks (response
                blocks such as `ToolUseBlock` may be replayed as they are). Unknown keys are sent
                unchanged.
            model: The model (``claude-sonnet-4-5-20250929``); in Dual-LLM mode
                ``"planner,quarantined"`` names two.
            max_tokens: The most tokens to generate (required, positive).
            system: System prompt: a string or a list of text blocks.
            temperature: Sampling temperature (0 to 1).
            top_p: Nucleus-sampling mass.
            top_k: Sample only from the top K tokens.
            tools: Client tools (`ToolParam` or dicts with ``name`` and ``input_schema``) and
                server tools (dicts with their own ``type``, sent unchanged).
            tool_choice: ``{"type": "auto" | "any" | "tool" | "none", ...}``.
            thinking: Extended thinking: ``{"type": "enabled", "budget_tokens": n}``,
                ``{"type": "disabled"}`` or ``{"type": "adaptive"}``.
            reasoning_effort: ``"none"`` to ``"xhigh"`` (a Sequrity extension).
            stop_sequences: Strings that end generation.
            stream: Return an `AsyncStream` of `AnthropicStreamEvent` (ending with
                ``message_stop``) instead of one message. `accumulate_message_async` (from
                `sequrity.types.messages`) turns it into the final message.
            output_config: Structured output: ``{"format": {"type": "json_schema", "schema":
                {...}}}`` (sent as ``schema``).
            metadata: ``{"user_id": ...}``.
            service_tier: ``"auto"`` or ``"standard_only"``.
            provider: ``anthropic``, or `None` for the server's default provider; not given uses
                the client's `ControlConfig`. Other providers do not serve Messages and are
                refused before sending.
            llm_api_key: Your provider key (BYOK), sent as ``X-Api-Key``.
            endpoint_type: ``chat``, ``code``, ``agent`` or ``lang-graph``.
            features: ``X-Features``; `None` sends no header.
            security_policy: ``X-Policy``; `None` sends no header.
            fine_grained_config: ``X-Config``; `None` sends no header.
            feature_overrides: JSON deep-merged into ``X-Features``.
            policy_overrides: JSON deep-merged into ``X-Policy``.
            config_overrides: JSON deep-merged into ``X-Config``.
            session_id: Continue this session (``X-Session-ID``); `None` starts a new one. Not
                given: the session of the handle this resource belongs to, else the client's.
            custom_headers: Extra headers, merged case-insensitively (they win).
            timeout: Deadlines for this HTTP request: seconds (total) or a `Timeout`. Unlike the
                official SDK, it is never put into the JSON body.
            retry: Retry policy for this call: a `RetryPolicy`, a number of retries, or `None`.
            extra_body: Extra top-level JSON keys, for provider parameters this SDK does not
                model yet.

        Returns:
            An `AnthropicMessageResponse` (with `session_id`), or an `AsyncStream` of
            `AnthropicStreamEvent`.

        Raises:
            SequrityValidationError: invalid arguments (a missing `max_tokens`, a provider that
                does not serve Messages...); nothing was sent.
            SequrityAPIError: the server answered with an error status (a typed subclass).
            SequrityConnectionError: no usable answer (a `SequrityTimeoutError` for deadlines).
            SequrityDecodeError: the answer is not a message.
            SequrityStreamError: while iterating: an ``error`` event, or a stream that ended
                before ``message_stop``.
        """
        params = {
            "system": system if system is None or isinstance(system, str) else list(system),
            "temperature": temperature,
            "top_p": top_p,
            "top_k": top_k,
            "tools": list(tools) if tools is not None else None,
            "tool_choice": tool_choice,
            "thinking": thinking,
            "reasoning_effort": reasoning_effort,
            "stop_sequences": stop_sequences,
            "stream": stream,
            "output_config": output_config,
            "metadata": metadata,
            "service_tier": service_tier,
        }
        body = build_messages_body(messages, model, max_tokens, params, extra_body)
        return await self._exchange(
            body,
            stream=bool(stream),
            session_id=session_id,
            retry=retry,
            provider=provider,
            endpoint_type=endpoint_type,
            llm_api_key=llm_api_key,
            features=features,
            security_policy=security_policy,
            fine_grained_config=fine_grained_config,
            feature_overrides=feature_overrides,
            policy_overrides=policy_overrides,
            config_overrides=config_overrides,
            custom_headers=custom_headers,
            timeout=timeout,
        )


def __getattr__(name: str) -> Any:
    """The official SDK's name of the blocking class (loaded on first use)."""
    from ..._lazy import blocking_twin

    return blocking_twin(__name__, name, {"MessagesResource": "MessagesResource"})
