"""``POST /control/{endpoint_type}[/{provider}]/v1/chat/completions``: OpenAI-compatible chat."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableSequence
from typing import TYPE_CHECKING, Any, Literal, TypedDict, Unpack, cast, overload

from ..._converter import dumps, get_fast_converter, structure_fast, structure_or_raise
from ..._core import _json
from ..._core._raw import raw_async
from ..._core._sse import ServerSentEvent
from ..._core._stream import AsyncStream
from ..._exceptions import SequrityValidationError
from ..._sentinel import NOT_GIVEN
from ...types._fast_chat import fast_body, fast_completion
from ...types._fast_chunk import fast_chunk, fast_chunks
from ...types.chat_completion.response import ChatCompletionResponse
from ...types.chat_completion.stream import ChatCompletionChunk
from .._options import CreateOptions, refuse_unknown, split_options, spread_signature
from .._request import check_model
from .._urls import CHAT_COMPLETIONS
from ._base import GENERIC_EVENT_NAMES, AsyncCreateResource

if TYPE_CHECKING:
    # Loaded when first needed: a call that takes the fast path never builds the request models,
    # and a program that never runs the tool loop never loads it.
    from ...types.chat_completion.request import (
        FunctionTool,
        Message,
        ReasoningEffort,
        ResponseFormat,
    )
    from .._tool_loop import ToolFunction, ToolLoopResult

__all__ = [
    "AsyncChatResource",
    "AsyncChatWithRawResponse",
    "ChatCreateOptions",
    "ChatParams",
    "ChatSampling",
    "RunToolsOptions",
    "build_chat_body",
    "decode_chat_chunk",
    "decode_chat_data",
]


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
    if type(messages) is not list and (
        isinstance(messages, str | bytes | Mapping) or not isinstance(messages, Iterable)
    ):
        raise _bad("messages must be a list of messages (dicts or typed message objects)")
    check_model(model)
    message_list = list(messages)
    plain = fast_body(message_list, model, params)
    if plain is not None:
        if extra_body:
            plain.update(extra_body)
            return dumps(plain)
        return dumps(plain, plain=_plain_floats(plain))
    from ...types.chat_completion.request import ChatCompletionRequest

    data: dict[str, Any] = {"messages": message_list, "model": model}
    for key, value in params.items():
        if value is not None:
            data[key] = list(value) if key == "tools" else value
    request = structure_or_raise(data, ChatCompletionRequest, "request")
    if not request.messages:
        raise _bad("messages must not be empty")
    body: dict[str, Any] = get_fast_converter().unstructure(request)
    if extra_body:
        body.update(extra_body)
    return dumps(body)


def _plain_floats(body: Mapping[str, Any]) -> bool:
    """Whether orjson writes the floats of a shortcut body (temperature, top_p) as json does."""
    if "temperature" not in body and "top_p" not in body:
        return True
    return _json.safe_float(body.get("temperature") or 0.0) and _json.safe_float(
        body.get("top_p") or 0.0
    )


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
    data = _json.loads(event.data)
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    if "error" in data and "choices" not in data:
        raise stream.in_band_error(data, event.data)
    return fast_chunk(data) or structure_fast(data, ChatCompletionChunk)


def decode_chat_data(
    stream: AsyncStream[ChatCompletionChunk], raw: bytes
) -> ChatCompletionChunk | None:
    """
    `decode_chat_chunk` for the data of a plain unnamed event, given as bytes (the stream's fast
    path): the same chunk, or the same failure.
    """
    data = _json.loads_event(raw)
    chunk = fast_chunk(data)
    if chunk is not None:
        return chunk
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    if "error" in data and "choices" not in data:
        raise stream.in_band_error(data, raw.decode("utf-8", "replace"))
    result: ChatCompletionChunk = structure_fast(data, ChatCompletionChunk)
    return result


def decode_chat_batch(
    stream: AsyncStream[ChatCompletionChunk],
    raws: list[bytes],
    start: int,
    out: MutableSequence[ChatCompletionChunk],
) -> int:
    """
    `decode_chat_data` of ``raws[start:]`` into `out`, in order, while each is a chunk decoded
    without a failure; returns the index of the first one left to `decode_chat_data` (which gives
    its chunk or its failure), or ``len(raws)``. The stream's path for a whole network read.
    """
    values = _json.loads_events(raws, start)
    done = 0
    while done < len(values):
        chunks = fast_chunks(values[done:] if done else values)
        out.extend(chunks)
        done += len(chunks)
        if done < len(values):
            # A shape the shortcut declines (a tool call, usage...): the converter's, unless it
            # is an in-band error or fails, which `decode_chat_data` reports.
            data = values[done]
            if type(data) is not dict or ("error" in data and "choices" not in data):
                break
            try:
                out.append(structure_fast(data, ChatCompletionChunk))
            except Exception:
                break
            done += 1
    return start + done


class ChatSampling(TypedDict, total=False):
    """
    The body parameters of a chat completion besides its messages, model, tools and stream (all
    optional; not given or `None` sends nothing).

    Attributes:
        temperature: Sampling temperature (0 to 2).
        top_p: Nucleus-sampling mass.
        seed: Seed for deterministic sampling, where the provider supports it.
        reasoning_effort: ``"none"`` to ``"xhigh"``.
        response_format: Text, JSON object or JSON Schema output.
        tool_choice: ``"auto"``, ``"none"``, ``"required"`` or a specific tool.
        max_completion_tokens: Cap on generated tokens.
        stop: Stop sequence(s).
    """

    temperature: float | None
    top_p: float | None
    seed: int | None
    reasoning_effort: ReasoningEffort | None
    response_format: ResponseFormat | Mapping[str, Any] | None
    tool_choice: str | Mapping[str, Any] | None
    max_completion_tokens: int | None
    stop: str | list[str] | None


class ChatParams(ChatSampling, total=False):
    """
    The body parameters of `AsyncChatResource.create` besides messages, model and stream.

    Attributes:
        tools: Function tools the model may call (dicts or `FunctionTool`).
    """

    tools: Iterable[FunctionTool | Mapping[str, Any]] | None


class ChatCreateOptions(ChatParams, CreateOptions, total=False):
    """Every keyword of ``chat.create`` but ``stream``: `ChatParams` and `CreateOptions`."""


class RunToolsOptions(ChatSampling, CreateOptions, total=False):
    """The keywords ``chat.run_tools`` passes on to ``chat.create``."""


_PARAMS = ChatParams.__optional_keys__
_RUN_TOOLS_KEYS = RunToolsOptions.__optional_keys__


class AsyncChatResource(AsyncCreateResource[ChatCompletionResponse]):
    """
    Chat Completions through the Control API (``client.control.chat``).
    """

    _create_name = "chat.create"
    _suffix = CHAT_COMPLETIONS
    _response_type = ChatCompletionResponse
    _fast = staticmethod(fast_completion)
    _decode_event = staticmethod(decode_chat_chunk)
    _decode_data = staticmethod(decode_chat_batch)
    _terminator = "[DONE]"

    @property
    def with_raw_response(self) -> AsyncChatWithRawResponse:
        """`create` returning a `RawResponse` (status, headers, retries...) around its result."""
        return AsyncChatWithRawResponse(self)

    @overload
    async def create(
        self,
        messages: Iterable[Message | Mapping[str, Any]],
        model: str,
        *,
        stream: Literal[False] | None = None,
        **options: Unpack[ChatCreateOptions],
    ) -> ChatCompletionResponse: ...

    @overload
    async def create(
        self,
        messages: Iterable[Message | Mapping[str, Any]],
        model: str,
        *,
        stream: Literal[True],
        **options: Unpack[ChatCreateOptions],
    ) -> AsyncStream[ChatCompletionChunk]: ...

    @overload
    async def create(
        self,
        messages: Iterable[Message | Mapping[str, Any]],
        model: str,
        *,
        stream: bool | None = None,
        **options: Unpack[ChatCreateOptions],
    ) -> ChatCompletionResponse | AsyncStream[ChatCompletionChunk]: ...

    @spread_signature(ChatCreateOptions)
    async def create(
        self,
        messages: Iterable[Message | Mapping[str, Any]],
        model: str,
        *,
        stream: bool | None = None,
        **options: Unpack[ChatCreateOptions],
    ) -> ChatCompletionResponse | AsyncStream[ChatCompletionChunk]:
        """
        Create a chat completion, or a stream of chunks with ``stream=True``.

        Args:
            messages: The conversation: dicts (``{"role": "user", "content": "..."}``) or typed
                message objects. Unknown keys in dicts are sent unchanged.
            model: The provider's model name; in Dual-LLM mode ``"planner,quarantined"`` names two.
            stream: Return an `AsyncStream` of `ChatCompletionChunk` instead of one response.
            **options: The body parameters (`ChatParams`: ``temperature``, ``top_p``, ``tools``,
                ``seed``, ``reasoning_effort``, ``response_format``, ``tool_choice``,
                ``max_completion_tokens``, ``stop``) and the request options (`CreateOptions`:
                ``provider``, ``llm_api_key``, ``endpoint_type``, ``features``,
                ``security_policy``, ``fine_grained_config``, the ``*_overrides``,
                ``session_id``, ``custom_headers``, ``timeout``, ``retry``, ``extra_body``).

        Returns:
            A `ChatCompletionResponse` (with `session_id`), or an `AsyncStream` of `ChatCompletionChunk`.

        Raises:
            SequrityValidationError: invalid arguments (an unknown keyword too); nothing was sent.
            SequrityAPIError: the server answered with an error status (a typed subclass).
            SequrityConnectionError: no usable answer (a `SequrityTimeoutError` for deadlines).
            SequrityDecodeError: the answer is not a chat completion.
        """
        params, control = split_options("chat.create", options, _PARAMS)
        if stream is not None:
            params["stream"] = stream
        body = build_chat_body(messages, model, params, control.get("extra_body"))
        return self._observed(await self._send(body, bool(stream), control))

    async def run_tools(
        self,
        messages: Iterable[Message | Mapping[str, Any]],
        model: str,
        *,
        tools: Iterable[FunctionTool | Mapping[str, Any]],
        functions: Mapping[str, ToolFunction],
        max_steps: int = 10,
        tool_timeout: float | None = 60.0,
        **options: Unpack[RunToolsOptions],
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
            **options: Any other keyword of `create` but ``stream`` (`RunToolsOptions`).

        Returns:
            A `ToolLoopResult` with the final response, the transcript and every tool call.

        Raises:
            SequrityValidationError: bad arguments (nothing sent).
            SequrityAPIError: the server answered with an error status.
        """
        from .._tool_loop import ToolCallRecord, ToolLoopResult, execute_all

        given = cast(dict[str, Any], options)
        if given.pop("stream", None):
            raise SequrityValidationError("run_tools does not stream; drop stream=True")
        refuse_unknown("chat.run_tools", given, _RUN_TOOLS_KEYS)
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
        session_id = given.pop("session_id", NOT_GIVEN)
        records: list[ToolCallRecord] = []
        for step in range(1, max_steps + 1):
            response: ChatCompletionResponse = await self.create(
                history, model, tools=tool_list, session_id=session_id, **given
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


class AsyncChatWithRawResponse:
    """``chat.with_raw_response``: `create` returning a `RawResponse` around its usual result."""

    def __init__(self, chat: AsyncChatResource) -> None:
        self.create = raw_async(chat.create)


def __getattr__(name: str) -> Any:
    """The official SDK's name of the blocking class (loaded on first use)."""
    from ..._lazy import blocking_twin

    return blocking_twin(__name__, name, {"ChatResource": "ChatResource"})
