"""``POST /control/{endpoint_type}[/{provider}]/v1/responses``: the OpenAI Responses API style."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypedDict, Unpack, overload

from ..._converter import dumps, get_fast_converter, structure_fast, structure_or_raise
from ..._core._raw import raw_async
from ..._core._sse import ServerSentEvent
from ..._core._stream import AsyncStream
from ..._exceptions import SequrityValidationError
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
from .._options import CreateOptions, split_options, spread_signature
from .._request import check_model
from .._urls import RESPONSES
from ._base import AsyncCreateResource, event_object

__all__ = [
    "AsyncResponsesResource",
    "AsyncResponsesWithRawResponse",
    "ResponsesCreateOptions",
    "ResponsesParams",
    "build_responses_body",
    "decode_response_event",
]

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


class ResponsesParams(TypedDict, total=False):
    """
    The body parameters of `AsyncResponsesResource.create` besides model and stream (all
    optional; not given or `None` sends nothing).

    Attributes:
        input: A string, or a list of input items (dicts or typed items such as
            `InputMessageParam`, `FunctionCallOutputParam`); items of other types are sent
            unchanged. Required unless `previous_response_id` is given.
        instructions: System (developer) instructions.
        tools: Tools the model may call; function tools are flat
            (``{"type": "function", "name": ..., "parameters": {...}}``).
        tool_choice: ``"none"``, ``"auto"``, ``"required"`` or ``{"type": "function", "name"}``.
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
    """

    input: str | Iterable[InputItem | Mapping[str, Any]] | None
    instructions: str | None
    tools: Iterable[ToolParam | Mapping[str, Any]] | None
    tool_choice: str | Mapping[str, Any] | None
    temperature: float | None
    top_p: float | None
    max_output_tokens: int | None
    reasoning: ReasoningParam | Mapping[str, Any] | None
    text: ResponseTextConfigParam | Mapping[str, Any] | None
    metadata: Mapping[str, str] | None
    previous_response_id: str | None
    include: Iterable[str] | None
    store: bool | None
    truncation: Literal["auto", "disabled"] | None
    parallel_tool_calls: bool | None
    max_tool_calls: int | None
    background: bool | None
    conversation: str | Mapping[str, Any] | None
    prompt: PromptParam | Mapping[str, Any] | None
    service_tier: Literal["auto", "default", "flex", "scale", "priority"] | None
    stream_options: StreamOptionsParam | Mapping[str, Any] | None
    top_logprobs: int | None
    prompt_cache_key: str | None
    prompt_cache_retention: Literal["in-memory", "24h"] | None
    safety_identifier: str | None
    user: str | None


class ResponsesCreateOptions(ResponsesParams, CreateOptions, total=False):
    """Every keyword of ``responses.create`` but ``stream``: `ResponsesParams`, `CreateOptions`."""


_PARAMS = ResponsesParams.__optional_keys__


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

    @property
    def with_raw_response(self) -> AsyncResponsesWithRawResponse:
        """`create` returning a `RawResponse` (status, headers, retries...) around its result."""
        return AsyncResponsesWithRawResponse(self)

    @overload
    async def create(
        self,
        model: str,
        *,
        stream: Literal[False] | None = None,
        **options: Unpack[ResponsesCreateOptions],
    ) -> ResponsesResponse: ...

    @overload
    async def create(
        self,
        model: str,
        *,
        stream: Literal[True],
        **options: Unpack[ResponsesCreateOptions],
    ) -> AsyncStream[OpenAiResponseStreamEvent]: ...

    @overload
    async def create(
        self,
        model: str,
        *,
        stream: bool | None = None,
        **options: Unpack[ResponsesCreateOptions],
    ) -> ResponsesResponse | AsyncStream[OpenAiResponseStreamEvent]: ...

    @spread_signature(ResponsesCreateOptions)
    async def create(
        self,
        model: str,
        *,
        stream: bool | None = None,
        **options: Unpack[ResponsesCreateOptions],
    ) -> ResponsesResponse | AsyncStream[OpenAiResponseStreamEvent]:
        """
        Create a response, or a stream of events with ``stream=True``.

        To answer ``function_call`` output items, send ``function_call_output`` items (same
        ``call_id``) as `input` with ``previous_response_id=<the response's id>``: only the new
        items are needed.

        Args:
            model: The provider's model name; in Dual-LLM mode ``"planner,quarantined"`` names two.
            stream: Return an `AsyncStream` of `OpenAiResponseStreamEvent` instead of one response.
            **options: The body parameters (`ResponsesParams`: ``input``, ``instructions``,
                ``tools``, ``tool_choice``, ``temperature``, ``previous_response_id``, ...) and the
                request options (`CreateOptions`). Of the providers, ``openai``,
                ``sequrity_azure`` and `None` (the default route) serve this API. ``timeout`` is
                never put in the body (the official SDK's bug).

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
        params, control = split_options("responses.create", options, _PARAMS)
        if stream is not None:
            params["stream"] = stream
        body = build_responses_body(model, params, control.get("extra_body"))
        return self._observed(await self._send(body, bool(stream), control))


class AsyncResponsesWithRawResponse:
    """``responses.with_raw_response``: `create` returning a `RawResponse` around its result."""

    def __init__(self, responses: AsyncResponsesResource) -> None:
        self.create = raw_async(responses.create)


def __getattr__(name: str) -> Any:
    """The official SDK's name of the blocking class (loaded on first use)."""
    from ..._lazy import blocking_twin

    return blocking_twin(__name__, name, {"ResponsesResource": "ResponsesResource"})
