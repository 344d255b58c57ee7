"""``POST /control/{endpoint_type}[/{provider}]/v1/chat/completions``: OpenAI-compatible chat."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, overload

from ..._converter import dumps, get_fast_converter, structure_fast, structure_or_raise
from ..._core._retry import RetryPolicy
from ..._core._sse import ServerSentEvent
from ..._core._stream import AsyncStream
from ..._core._wire import Timeout
from ..._exceptions import SequrityValidationError
from ..._sentinel import NOT_GIVEN, NotGiven
from ...types._fast_chat import fast_body, fast_completion
from ...types._fast_chunk import fast_chunk
from ...types.chat_completion.request import (
    ChatCompletionRequest,
    FunctionTool,
    Message,
    ReasoningEffort,
    ResponseFormat,
)
from ...types.chat_completion.response import ChatCompletionResponse
from ...types.chat_completion.stream import ChatCompletionChunk
from .._request import check_model
from .._tool_loop import ToolCallRecord, ToolFunction, ToolLoopResult, execute_all
from .._urls import CHAT_COMPLETIONS
from ._base import GENERIC_EVENT_NAMES, AsyncCreateResource

if TYPE_CHECKING:
    from ..types.headers import FeaturesHeader, FineGrainedConfigHeader, SecurityPolicyHeader

__all__ = ["AsyncChatResource", "build_chat_body", "decode_chat_chunk"]


def build_chat_body(
    messages: Iterable[Message | Mapping[str, Any]],
    model: str,
    params: Mapping[str, Any],
    extra_body: Mapping[str, Any] | None,
) -> bytes:
    """
    Validate the arguments of `create` and encode the JSON body (pure).

    Raises:
        SequrityValidationError: any argument is invalid; the message names the field.
    """
    if isinstance(messages, str | bytes | Mapping) or not isinstance(messages, Iterable):
        raise _bad("messages must be a list of messages (dicts or typed message objects)")
    check_model(model)
    message_list = list(messages)
    plain = fast_body(message_list, model, params)
    if plain is not None:
        if extra_body:
            plain.update(extra_body)
        return dumps(plain)
    data: dict[str, Any] = {"messages": message_list, "model": model}
    for key, value in params.items():
        if value is not None:
            data[key] = value
    request = structure_or_raise(data, ChatCompletionRequest, "request")
    if not request.messages:
        raise _bad("messages must not be empty")
    body: dict[str, Any] = get_fast_converter().unstructure(request)
    if extra_body:
        body.update(extra_body)
    return dumps(body)


def _bad(message: str) -> Exception:
    return SequrityValidationError(message)


def decode_chat_chunk(
    stream: AsyncStream[ChatCompletionChunk], event: ServerSentEvent
) -> ChatCompletionChunk | None:
    """
    Decode one ``data:`` event of a chat stream; an ``{"error": ...}`` event raises the stream's
    typed error. A named event other than ``message`` or ``error`` (``event: ping``, say) is not a
    chunk: it is skipped and kept in ``stream.unknown_events``.
    """
    name = event.event
    if name is not None and name not in GENERIC_EVENT_NAMES:
        stream.skip(event)
        return None
    data = json.loads(event.data)
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    if "error" in data and "choices" not in data:
        raise stream.in_band_error(data, event.data)
    return fast_chunk(data) or structure_fast(data, ChatCompletionChunk)


class AsyncChatResource(AsyncCreateResource[ChatCompletionResponse]):
    """
    Chat Completions through the Control API (``client.control.chat``).
    """

    _create_name = "chat.create"
    _suffix = CHAT_COMPLETIONS
    _response_type = ChatCompletionResponse
    _fast = staticmethod(fast_completion)
    _decode_event = staticmethod(decode_chat_chunk)
    _terminator = "[DONE]"

    @overload
    async def create(
        self,
        messages: Iterable[Message | Mapping[str, Any]],
        model: str,
        *,
        temperature: float | None = None,
        top_p: float | None = None,
        tools: Iterable[FunctionTool | Mapping[str, Any]] | None = None,
        stream: Literal[False] | None = None,
        seed: int | None = None,
        reasoning_effort: ReasoningEffort | None = None,
        response_format: ResponseFormat | Mapping[str, Any] | None = None,
        tool_choice: str | Mapping[str, Any] | None = None,
        max_completion_tokens: int | None = None,
        stop: str | list[str] | None = None,
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
    ) -> ChatCompletionResponse: ...

    @overload
    async def create(
        self,
        messages: Iterable[Message | Mapping[str, Any]],
        model: str,
        *,
        temperature: float | None = None,
        top_p: float | None = None,
        tools: Iterable[FunctionTool | Mapping[str, Any]] | None = None,
        stream: Literal[True],
        seed: int | None = None,
        reasoning_effort: ReasoningEffort | None = None,
        response_format: ResponseFormat | Mapping[str, Any] | None = None,
        tool_choice: str | Mapping[str, Any] | None = None,
        max_completion_tokens: int | None = None,
        stop: str | list[str] | None = None,
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
    ) -> AsyncStream[ChatCompletionChunk]: ...

    @overload
    async def create(
        self,
        messages: Iterable[Message | Mapping[str, Any]],
        model: str,
        *,
        temperature: float | None = None,
        top_p: float | None = None,
        tools: Iterable[FunctionTool | Mapping[str, Any]] | None = None,
        stream: bool | None = None,
        seed: int | None = None,
        reasoning_effort: ReasoningEffort | None = None,
        response_format: ResponseFormat | Mapping[str, Any] | None = None,
        tool_choice: str | Mapping[str, Any] | None = None,
        max_completion_tokens: int | None = None,
        stop: str | list[str] | None = None,
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
    ) -> ChatCompletionResponse | AsyncStream[ChatCompletionChunk]: ...

    async def create(
        self,
        messages: Iterable[Message | Mapping[str, Any]],
        model: str,
        *,
        temperature: float | None = None,
        top_p: float | None = None,
        tools: Iterable[FunctionTool | Mapping[str, Any]] | None = None,
        stream: bool | None = None,
        seed: int | None = None,
        reasoning_effort: ReasoningEffort | None = None,
        response_format: ResponseFormat | Mapping[str, Any] | None = None,
        tool_choice: str | Mapping[str, Any] | None = None,
        max_completion_tokens: int | None = None,
        stop: str | list[str] | None = None,
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
    ) -> ChatCompletionResponse | AsyncStream[ChatCompletionChunk]:
        """
        Create a chat completion, or a stream of chunks with ``stream=True``.

        Args:
            messages: The conversation: dicts (``{"role": "user", "content": "..."}``) or typed
                message objects. Unknown keys in dicts are sent unchanged.
            model: The provider's model name; in Dual-LLM mode ``"planner,quarantined"`` names two.
            temperature: Sampling temperature (0 to 2).
            top_p: Nucleus-sampling mass.
            tools: Function tools the model may call (dicts or `FunctionTool`).
            stream: Return an `AsyncStream` of `ChatCompletionChunk` instead of one response.
            seed: Seed for deterministic sampling, where the provider supports it.
            reasoning_effort: ``"none"`` to ``"xhigh"``.
            response_format: Text, JSON object or JSON Schema output.
            tool_choice: ``"auto"``, ``"none"``, ``"required"`` or a specific tool.
            max_completion_tokens: Cap on generated tokens.
            stop: Stop sequence(s).
            provider: LLM provider route (``openai``, ``openrouter``, ``sequrity_azure``,
                ``llama``); `None` uses the server's default provider; not given uses the client's
                `ControlConfig`.
            llm_api_key: Your provider key (BYOK), sent as ``X-Api-Key``.
            endpoint_type: ``chat``, ``code``, ``agent`` or ``lang-graph``.
            features: ``X-Features``; `None` sends no header.
            security_policy: ``X-Policy``; `None` sends no header.
            fine_grained_config: ``X-Config``; `None` sends no header.
            feature_overrides: JSON deep-merged into ``X-Features``.
            policy_overrides: JSON deep-merged into ``X-Policy``.
            config_overrides: JSON deep-merged into ``X-Config``.
            session_id: Continue this session (``X-Session-ID``); `None` starts a new one (unless
                the history carries Dual-LLM tool-call ids). Not given: the session of the handle
                this resource belongs to (``client.control.session()``), else the client's
                (`set_session_id`, or the last answer's when tracking was opted into), else none.
            custom_headers: Extra headers, merged case-insensitively (they win).
            timeout: Deadlines for this call: seconds (total) or a `Timeout`.
            retry: Retry policy for this call: a `RetryPolicy`, a number of retries, or `None`
                for no retries. Sent with one ``Idempotency-Key`` on every attempt (pass your
                own in `custom_headers` to control it).
            extra_body: Extra top-level JSON keys, for provider parameters this SDK does not
                model yet.

        Returns:
            A `ChatCompletionResponse` (with `session_id`), or an `AsyncStream` of `ChatCompletionChunk`.

        Raises:
            SequrityValidationError: invalid arguments; nothing was sent.
            SequrityAPIError: the server answered with an error status (a typed subclass).
            SequrityConnectionError: no usable answer (a `SequrityTimeoutError` for deadlines).
            SequrityDecodeError: the answer is not a chat completion.
        """
        params = {
            "temperature": temperature,
            "top_p": top_p,
            "tools": list(tools) if tools is not None else None,
            "stream": stream,
            "seed": seed,
            "reasoning_effort": reasoning_effort,
            "response_format": response_format,
            "tool_choice": tool_choice,
            "max_completion_tokens": max_completion_tokens,
            "stop": stop,
        }
        body = build_chat_body(messages, model, params, extra_body)
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

    async def run_tools(
        self,
        messages: Iterable[Message | Mapping[str, Any]],
        model: str,
        *,
        tools: Iterable[FunctionTool | Mapping[str, Any]],
        functions: Mapping[str, ToolFunction],
        max_steps: int = 10,
        tool_timeout: float | None = 60.0,
        **kwargs: Any,
    ) -> ToolLoopResult:
        """
        Run the Dual-LLM tool protocol for you: send, execute the tool calls the server returns
        with your Python functions, send their results back, and repeat until a final answer.

        Calls of one step run concurrently (plain functions on worker threads, coroutine
        functions on the loop). A failing, unknown or timed-out tool becomes a tool result that
        says so (``"Error: ..."``); the loop never hangs on a tool. The session continues through
        the whole loop.

        Args:
            messages: The conversation so far.
            model: The model name(s).
            tools: The tool definitions (JSON Schema), as for `create`.
            functions: Tool name -> callable taking the decoded arguments as keywords.
            max_steps: Most requests to send before giving up (`finished` is then False).
            tool_timeout: Seconds one tool call may take; `None` for no limit.
            **kwargs: Any other keyword of `create` (not ``stream``).

        Returns:
            A `ToolLoopResult` with the final response, the transcript and every tool call.

        Raises:
            SequrityValidationError: bad arguments (nothing sent).
            SequrityAPIError: the server answered with an error status.
        """
        if kwargs.get("stream"):
            raise SequrityValidationError("run_tools does not stream; drop stream=True")
        kwargs.pop("stream", None)
        if max_steps < 1:
            raise SequrityValidationError(f"max_steps must be >= 1, got {max_steps!r}")
        if not isinstance(functions, Mapping):
            raise SequrityValidationError("functions must map tool names to callables")
        for name, fn in functions.items():
            if not callable(fn):
                raise SequrityValidationError(f"functions[{name!r}] is not callable")
        converter = get_fast_converter()
        history: list[dict[str, Any]] = [
            m if isinstance(m, dict) else converter.unstructure(m) for m in messages
        ]
        tool_list = list(tools)
        session_id = kwargs.pop("session_id", NOT_GIVEN)
        records: list[ToolCallRecord] = []
        for step in range(1, max_steps + 1):
            response: ChatCompletionResponse = await self.create(
                history, model, tools=tool_list, session_id=session_id, **kwargs
            )
            session_id = response.session_id or session_id
            if not response.choices:
                raise SequrityValidationError("the server answered with no choices")
            message = response.choices[0].message
            history.append(converter.unstructure(message))
            calls = message.tool_calls or []
            if not calls:
                return ToolLoopResult(
                    response=response,
                    messages=history,
                    tool_calls=records,
                    steps=step,
                    finished=True,
                    session_id=response.session_id,
                )
            done = await execute_all(calls, functions, tool_timeout)
            records.extend(done)
            history.extend(
                {"role": "tool", "tool_call_id": r.id, "content": r.output} for r in done
            )
        return ToolLoopResult(
            response=response,
            messages=history,
            tool_calls=records,
            steps=max_steps,
            finished=False,
            session_id=response.session_id,
        )


def __getattr__(name: str) -> Any:
    """The official SDK's name of the blocking class (loaded on first use)."""
    from ..._lazy import blocking_twin

    return blocking_twin(__name__, name, {"ChatResource": "ChatResource"})
