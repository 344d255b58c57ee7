"""``POST /control/{endpoint_type}[/{provider}]/v1/responses``: the OpenAI Responses API style."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, overload

from ..._converter import dumps, get_fast_converter, structure_fast, structure_or_raise
from ..._core._retry import RetryPolicy
from ..._core._sse import ServerSentEvent
from ..._core._stream import AsyncStream
from ..._core._wire import Timeout
from ..._exceptions import SequrityValidationError
from ..._sentinel import NOT_GIVEN, NotGiven
from ...types.responses.request import (
    InputItem,
    PromptParam,
    ReasoningParam,
    ResponsesRequest,
    ResponseTextConfigParam,
    StreamOptionsParam,
    ToolParam,
)
from ...types.responses.response import ResponsesResponse
from ...types.responses.stream import TERMINAL_EVENTS, OpenAiResponseStreamEvent
from .._request import check_model
from .._urls import RESPONSES
from ._base import AsyncCreateResource, event_object

if TYPE_CHECKING:
    from ..types.headers import FeaturesHeader, FineGrainedConfigHeader, SecurityPolicyHeader

__all__ = ["AsyncResponsesResource", "build_responses_body", "decode_response_event"]

_LISTS = ("tools", "include")


def build_responses_body(
    model: str, params: Mapping[str, Any], extra_body: Mapping[str, Any] | None
) -> bytes:
    """
    Validate the arguments of `create` and encode the JSON body (pure).

    Raises:
        SequrityValidationError: any argument is invalid, or neither ``input`` nor
            ``previous_response_id`` is given; the message names the field.
    """
    data: dict[str, Any] = {"model": check_model(model)}
    for key, value in params.items():
        if value is None:
            continue
        if key == "input" and not isinstance(value, str):
            if isinstance(value, bytes | Mapping) or not isinstance(value, Iterable):
                raise SequrityValidationError(
                    "input must be a string or a list of input items (dicts or typed items)"
                )
            value = list(value)
        elif key in _LISTS:
            if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
                raise SequrityValidationError(f"{key} must be a list")
            value = list(value)
        data[key] = value
    if data.get("input") in (None, "", []) and not data.get("previous_response_id"):
        raise SequrityValidationError(
            "input is required unless previous_response_id continues an earlier response; "
            "give input (a string or a list of items), previous_response_id, or both"
        )
    request = structure_or_raise(data, ResponsesRequest, "request")
    body: dict[str, Any] = get_fast_converter().unstructure(request)
    if extra_body:
        body.update(extra_body)
    return dumps(body)


def decode_response_event(
    stream: AsyncStream[OpenAiResponseStreamEvent], event: ServerSentEvent
) -> OpenAiResponseStreamEvent | None:
    """
    Decode one event of a Responses stream. An ``error`` event raises the stream's typed error; a
    terminal event (completed, failed, incomplete) ends the stream. Unknown types come back as
    `UnknownStreamEvent`; a payload without ``type`` takes the SSE ``event:`` name, and a named
    event whose data is not a JSON object is skipped (kept in ``stream.unknown_events``).
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
    value: OpenAiResponseStreamEvent = structure_fast(data, OpenAiResponseStreamEvent)  # type: ignore[arg-type]
    if kind in TERMINAL_EVENTS:
        stream.mark_done()
    return value


class AsyncResponsesResource(AsyncCreateResource[ResponsesResponse]):
    """
    The OpenAI Responses API through the Control API (``client.control.responses``).

    Served by the default provider, ``openai`` and ``sequrity_azure``.
    """

    _create_name = "responses.create"
    _suffix = RESPONSES
    _response_type = ResponsesResponse
    _decode_event = staticmethod(decode_response_event)
    _terminator = "response.completed, response.failed or response.incomplete"

    @overload
    async def create(
        self,
        model: str,
        *,
        input: str | Iterable[InputItem | Mapping[str, Any]] | None = None,
        instructions: str | None = None,
        tools: Iterable[ToolParam | Mapping[str, Any]] | None = None,
        tool_choice: str | Mapping[str, Any] | None = None,
        stream: Literal[False] | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        max_output_tokens: int | None = None,
        reasoning: ReasoningParam | Mapping[str, Any] | None = None,
        text: ResponseTextConfigParam | Mapping[str, Any] | None = None,
        metadata: Mapping[str, str] | None = None,
        previous_response_id: str | None = None,
        include: Iterable[str] | None = None,
        store: bool | None = None,
        truncation: Literal["auto", "disabled"] | None = None,
        parallel_tool_calls: bool | None = None,
        max_tool_calls: int | None = None,
        background: bool | None = None,
        conversation: str | Mapping[str, Any] | None = None,
        prompt: PromptParam | Mapping[str, Any] | None = None,
        service_tier: Literal["auto", "default", "flex", "scale", "priority"] | None = None,
        stream_options: StreamOptionsParam | Mapping[str, Any] | None = None,
        top_logprobs: int | None = None,
        prompt_cache_key: str | None = None,
        prompt_cache_retention: Literal["in-memory", "24h"] | None = None,
        safety_identifier: str | None = None,
        user: str | None = None,
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
    ) -> ResponsesResponse: ...

    @overload
    async def create(
        self,
        model: str,
        *,
        input: str | Iterable[InputItem | Mapping[str, Any]] | None = None,
        instructions: str | None = None,
        tools: Iterable[ToolParam | Mapping[str, Any]] | None = None,
        tool_choice: str | Mapping[str, Any] | None = None,
        stream: Literal[True],
        temperature: float | None = None,
        top_p: float | None = None,
        max_output_tokens: int | None = None,
        reasoning: ReasoningParam | Mapping[str, Any] | None = None,
        text: ResponseTextConfigParam | Mapping[str, Any] | None = None,
        metadata: Mapping[str, str] | None = None,
        previous_response_id: str | None = None,
        include: Iterable[str] | None = None,
        store: bool | None = None,
        truncation: Literal["auto", "disabled"] | None = None,
        parallel_tool_calls: bool | None = None,
        max_tool_calls: int | None = None,
        background: bool | None = None,
        conversation: str | Mapping[str, Any] | None = None,
        prompt: PromptParam | Mapping[str, Any] | None = None,
        service_tier: Literal["auto", "default", "flex", "scale", "priority"] | None = None,
        stream_options: StreamOptionsParam | Mapping[str, Any] | None = None,
        top_logprobs: int | None = None,
        prompt_cache_key: str | None = None,
        prompt_cache_retention: Literal["in-memory", "24h"] | None = None,
        safety_identifier: str | None = None,
        user: str | None = None,
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
    ) -> AsyncStream[OpenAiResponseStreamEvent]: ...

    @overload
    async def create(
        self,
        model: str,
        *,
        input: str | Iterable[InputItem | Mapping[str, Any]] | None = None,
        instructions: str | None = None,
        tools: Iterable[ToolParam | Mapping[str, Any]] | None = None,
        tool_choice: str | Mapping[str, Any] | None = None,
        stream: bool | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        max_output_tokens: int | None = None,
        reasoning: ReasoningParam | Mapping[str, Any] | None = None,
        text: ResponseTextConfigParam | Mapping[str, Any] | None = None,
        metadata: Mapping[str, str] | None = None,
        previous_response_id: str | None = None,
        include: Iterable[str] | None = None,
        store: bool | None = None,
        truncation: Literal["auto", "disabled"] | None = None,
        parallel_tool_calls: bool | None = None,
        max_tool_calls: int | None = None,
        background: bool | None = None,
        conversation: str | Mapping[str, Any] | None = None,
        prompt: PromptParam | Mapping[str, Any] | None = None,
        service_tier: Literal["auto", "default", "flex", "scale", "priority"] | None = None,
        stream_options: StreamOptionsParam | Mapping[str, Any] | None = None,
        top_logprobs: int | None = None,
        prompt_cache_key: str | None = None,
        prompt_cache_retention: Literal["in-memory", "24h"] | None = None,
        safety_identifier: str | None = None,
        user: str | None = None,
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
    ) -> ResponsesResponse | AsyncStream[OpenAiResponseStreamEvent]: ...

    async def create(
        self,
        model: str,
        *,
        input: str | Iterable[InputItem | Mapping[str, Any]] | None = None,
        instructions: str | None = None,
        tools: Iterable[ToolParam | Mapping[str, Any]] | None = None,
        tool_choice: str | Mapping[str, Any] | None = None,
        stream: bool | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        max_output_tokens: int | None = None,
        reasoning: ReasoningParam | Mapping[str, Any] | None = None,
        text: ResponseTextConfigParam | Mapping[str, Any] | None = None,
        metadata: Mapping[str, str] | None = None,
        previous_response_id: str | None = None,
        include: Iterable[str] | None = None,
        store: bool | None = None,
        truncation: Literal["auto", "disabled"] | None = None,
        parallel_tool_calls: bool | None = None,
        max_tool_calls: int | None = None,
        background: bool | None = None,
        conversation: str | Mapping[str, Any] | None = None,
        prompt: PromptParam | Mapping[str, Any] | None = None,
        service_tier: Literal["auto", "default", "flex", "scale", "priority"] | None = None,
        stream_options: StreamOptionsParam | Mapping[str, Any] | None = None,
        top_logprobs: int | None = None,
        prompt_cache_key: str | None = None,
        prompt_cache_retention: Literal["in-memory", "24h"] | None = None,
        safety_identifier: str | None = None,
        user: str | None = None,
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
    ) -> ResponsesResponse | AsyncStream[OpenAiResponseStreamEvent]:
        """
        Create a response, or a stream of events with ``stream=True``.

        To answer ``function_call`` output items, send ``function_call_output`` items (same
        ``call_id``) as `input` with ``previous_response_id=<the response's id>``: only the new
        items are needed.

        Args:
            model: The provider's model name; in Dual-LLM mode ``"planner,quarantined"`` names two.
            input: A string, or a list of input items (dicts or typed items such as
                `InputMessageParam`, `FunctionCallOutputParam`); items of other types are sent
                unchanged. Required unless `previous_response_id` is given.
            instructions: System (developer) instructions.
            tools: Tools the model may call; function tools are flat
                (``{"type": "function", "name": ..., "parameters": {...}}``).
            tool_choice: ``"none"``, ``"auto"``, ``"required"`` or ``{"type": "function", "name"}``.
            stream: Return an `AsyncStream` of `OpenAiResponseStreamEvent` instead of one response.
            temperature: Sampling temperature.
            top_p: Nucleus-sampling mass.
            max_output_tokens: Cap on generated tokens (reasoning included).
            reasoning: ``{"effort": ..., "generate_summary": ...}``.
            text: Output format: ``{"format": {"type": "json_schema", "name", "schema"}}``...
            metadata: String key/value pairs stored with the response.
            previous_response_id: Continue from this response (its context is kept server-side).
            include: Extra output data to include (``"reasoning.encrypted_content"``...).
            store: Whether the provider stores the response.
            truncation: ``"auto"`` or ``"disabled"``.
            parallel_tool_calls: Allow several tool calls at once.
            max_tool_calls: Cap on built-in tool calls.
            background: Run in the background.
            conversation: A conversation id or ``{"id": ...}``.
            prompt: A stored prompt template ``{"id", "variables"}``.
            service_tier: ``"auto"``, ``"default"``, ``"flex"``, ``"scale"`` or ``"priority"``.
            stream_options: ``{"include_usage": bool}``.
            top_logprobs: Most likely tokens to return per position (0 to 20).
            prompt_cache_key: Cache key for similar requests.
            prompt_cache_retention: ``"in-memory"`` or ``"24h"``.
            safety_identifier: A stable id of your end user, for abuse detection.
            user: Deprecated end-user id.
            provider: ``openai``, ``sequrity_azure``, or `None` for the default route; not given
                uses the client's `ControlConfig`. Other providers do not serve this API.
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
            timeout: Deadlines for this HTTP request: seconds (total) or a `Timeout`. Never put
                in the body (the official SDK's bug).
            retry: Retry policy for this call: a `RetryPolicy`, a number of retries, or `None`.
            extra_body: Extra top-level JSON keys, for parameters this SDK does not model yet.

        Returns:
            A `ResponsesResponse` (with `session_id`), or an `AsyncStream` of events ending with
            ``response.completed``, ``response.failed`` or ``response.incomplete`` (see
            `sequrity.types.responses.accumulate_response` for the final response).

        Raises:
            SequrityValidationError: invalid arguments, or a provider that does not serve the
                Responses API; nothing was sent.
            SequrityAPIError: the server answered with an error status (a typed subclass).
            SequrityConnectionError: no usable answer (a `SequrityTimeoutError` for deadlines).
            SequrityDecodeError: the answer is not a response.
            SequrityStreamError: the stream carried an ``error`` event or ended early.
        """
        params = {
            "input": input,
            "instructions": instructions,
            "tools": tools,
            "tool_choice": tool_choice,
            "stream": stream,
            "temperature": temperature,
            "top_p": top_p,
            "max_output_tokens": max_output_tokens,
            "reasoning": reasoning,
            "text": text,
            "metadata": metadata,
            "previous_response_id": previous_response_id,
            "include": include,
            "store": store,
            "truncation": truncation,
            "parallel_tool_calls": parallel_tool_calls,
            "max_tool_calls": max_tool_calls,
            "background": background,
            "conversation": conversation,
            "prompt": prompt,
            "service_tier": service_tier,
            "stream_options": stream_options,
            "top_logprobs": top_logprobs,
            "prompt_cache_key": prompt_cache_key,
            "prompt_cache_retention": prompt_cache_retention,
            "safety_identifier": safety_identifier,
            "user": user,
        }
        body = build_responses_body(model, params, extra_body)
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

    return blocking_twin(__name__, name, {"ResponsesResource": "ResponsesResource"})
