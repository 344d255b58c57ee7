"""``POST /control/{endpoint_type}[/anthropic]/v1/messages``: the Anthropic Messages API style."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypedDict, Unpack, overload

from ..._converter import dumps, get_converter, get_fast_converter, structure_or_raise
from ..._core._raw import raw_async
from ..._core._sse import ServerSentEvent
from ..._core._stream import AsyncStream
from ..._exceptions import SequrityValidationError
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
from .._options import CreateOptions, split_options, spread_signature
from .._request import check_model
from .._urls import MESSAGES
from ._base import AsyncCreateResource, event_object

__all__ = [
    "AsyncMessagesResource",
    "AsyncMessagesWithRawResponse",
    "MessagesCreateOptions",
    "MessagesParams",
    "build_messages_body",
    "decode_message_event",
]


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
        if value is None:
            continue
        if key == "tools" or (key == "system" and not isinstance(value, str)):
            value = list(value)
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


class MessagesParams(TypedDict, total=False):
    """
    The body parameters of `AsyncMessagesResource.create` besides messages, model, max_tokens
    and stream (all optional; not given or `None` sends nothing).

    Attributes:
        system: System prompt: a string or a list of text blocks.
        temperature: Sampling temperature (0 to 1).
        top_p: Nucleus-sampling mass.
        top_k: Sample only from the top K tokens.
        tools: Client tools (`ToolParam` or dicts with ``name`` and ``input_schema``) and server
            tools (dicts with their own ``type``, sent unchanged).
        tool_choice: ``{"type": "auto" | "any" | "tool" | "none", ...}``.
        thinking: Extended thinking: ``{"type": "enabled", "budget_tokens": n}``,
            ``{"type": "disabled"}`` or ``{"type": "adaptive"}``.
        reasoning_effort: ``"none"`` to ``"xhigh"`` (a Sequrity extension).
        stop_sequences: Strings that end generation.
        output_config: Structured output: ``{"format": {"type": "json_schema", "schema":
            {...}}}`` (sent as ``schema``).
        metadata: ``{"user_id": ...}``.
        service_tier: ``"auto"`` or ``"standard_only"``.
    """

    system: str | Iterable[TextBlockParam | Mapping[str, Any]] | None
    temperature: float | None
    top_p: float | None
    top_k: int | None
    tools: Iterable[ToolParam | Mapping[str, Any]] | None
    tool_choice: ToolChoiceParam | Mapping[str, Any] | None
    thinking: ThinkingConfigParam | Mapping[str, Any] | None
    reasoning_effort: ReasoningEffort | None
    stop_sequences: list[str] | None
    output_config: OutputConfigParam | Mapping[str, Any] | None
    metadata: MetadataParam | Mapping[str, Any] | None
    service_tier: Literal["auto", "standard_only"] | None


class MessagesCreateOptions(MessagesParams, CreateOptions, total=False):
    """Every keyword of ``messages.create`` but ``stream``: `MessagesParams` and `CreateOptions`."""


_PARAMS = MessagesParams.__optional_keys__


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

    @property
    def with_raw_response(self) -> AsyncMessagesWithRawResponse:
        """`create` returning a `RawResponse` (status, headers, retries...) around its result."""
        return AsyncMessagesWithRawResponse(self)

    @overload
    async def create(
        self,
        messages: Iterable[MessageParam | Mapping[str, Any]],
        model: str,
        max_tokens: int,
        *,
        stream: Literal[False] | None = None,
        **options: Unpack[MessagesCreateOptions],
    ) -> AnthropicMessageResponse: ...

    @overload
    async def create(
        self,
        messages: Iterable[MessageParam | Mapping[str, Any]],
        model: str,
        max_tokens: int,
        *,
        stream: Literal[True],
        **options: Unpack[MessagesCreateOptions],
    ) -> AsyncStream[AnthropicStreamEvent]: ...

    @overload
    async def create(
        self,
        messages: Iterable[MessageParam | Mapping[str, Any]],
        model: str,
        max_tokens: int,
        *,
        stream: bool | None = None,
        **options: Unpack[MessagesCreateOptions],
    ) -> AnthropicMessageResponse | AsyncStream[AnthropicStreamEvent]: ...

    @spread_signature(MessagesCreateOptions)
    async def create(
        self,
        messages: Iterable[MessageParam | Mapping[str, Any]],
        model: str,
        max_tokens: int,
        *,
        stream: bool | None = None,
        **options: Unpack[MessagesCreateOptions],
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
            stream: Return an `AsyncStream` of `AnthropicStreamEvent` (ending with
                ``message_stop``) instead of one message. `accumulate_message_async` (from
                `sequrity.types.messages`) turns it into the final message.
            **options: The body parameters (`MessagesParams`: ``system``, ``temperature``,
                ``top_p``, ``top_k``, ``tools``, ``tool_choice``, ``thinking``,
                ``reasoning_effort``, ``stop_sequences``, ``output_config``, ``metadata``,
                ``service_tier``) and the request options (`CreateOptions`). Of the providers,
                only ``anthropic`` (or `None`, the server's default) serves Messages; others are
                refused before sending. Unlike the official SDK, ``timeout`` is never put into
                the JSON body.

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
        params, control = split_options("messages.create", options, _PARAMS)
        if stream is not None:
            params["stream"] = stream
        body = build_messages_body(messages, model, max_tokens, params, control.get("extra_body"))
        return self._observed(await self._send(body, bool(stream), control))


class AsyncMessagesWithRawResponse:
    """``messages.with_raw_response``: `create` returning a `RawResponse` around its result."""

    def __init__(self, messages: AsyncMessagesResource) -> None:
        self.create = raw_async(messages.create)


def __getattr__(name: str) -> Any:
    """The official SDK's name of the blocking class (loaded on first use)."""
    from ..._lazy import blocking_twin

    return blocking_twin(__name__, name, {"MessagesResource": "MessagesResource"})
