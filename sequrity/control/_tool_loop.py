"""
The Dual-LLM tool loop (protocol §5.3) run for the caller: send, execute the returned tool calls with
local Python callables (concurrently), append their results with the right ids, repeat until a final
answer or the step limit.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import anyio
import attrs

from .._converter import get_fast_converter
from ..types.chat_completion.response import ChatCompletionResponse, ResponseToolCall
from .types.results import ResponseContentJsonSchema, parse_result

__all__ = ["ToolCallRecord", "ToolLoopResult", "execute_tool_call", "tool_output_text"]

ToolFunction = Callable[..., Any] | Callable[..., Awaitable[Any]]


@attrs.frozen(kw_only=True)
class ToolCallRecord:
    """
    One tool call the loop executed.

    Attributes:
        id: The tool-call id the server gave (``tc-<session>-<call>`` in Dual-LLM mode).
        name: The tool's name.
        arguments: The decoded arguments (or the raw string when they were not JSON).
        output: The text sent back as the tool message.
        error: The exception's ``"Type: message"`` when the call failed, else `None`.
    """

    id: str
    name: str
    arguments: Any
    output: str
    error: str | None = None


@attrs.frozen(kw_only=True)
class ToolLoopResult:
    """
    The outcome of `run_tools`.

    Attributes:
        response: The last response (the final answer when `finished`).
        messages: The whole transcript, as sent plus the final assistant message.
        tool_calls: Every executed tool call, in order.
        steps: How many requests were sent.
        finished: False when the step limit stopped the loop before a final answer.
        session_id: The conversation's session id.
    """

    response: ChatCompletionResponse
    messages: list[dict[str, Any]]
    tool_calls: list[ToolCallRecord]
    steps: int
    finished: bool
    session_id: str | None

    @property
    def content(self) -> str | None:
        """The final assistant content."""
        return self.response.content

    @property
    def result(self) -> ResponseContentJsonSchema:
        """The Dual-LLM result envelope parsed from the final content (never raises)."""
        return parse_result(self.response.content)


def tool_output_text(value: Any) -> str:
    """Turn a tool's return value into tool-message content: strings as they are, else JSON."""
    if isinstance(value, str):
        return value
    if attrs.has(type(value)):
        value = get_fast_converter().unstructure(value)
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


async def execute_tool_call(
    call: ResponseToolCall,
    functions: Mapping[str, ToolFunction],
    timeout: float | None,
) -> ToolCallRecord:
    """
    Run one tool call; every failure (unknown tool, bad arguments, exception, timeout) becomes a
    tool result that says so, so the server's planner can react instead of the loop hanging.
    """
    name = call.function.name
    raw = call.function.arguments
    try:
        arguments: Any = json.loads(raw) if raw else {}
    except ValueError:
        return _failed(call, raw, f"ValueError: arguments are not valid JSON: {raw[:200]!r}")
    fn = functions.get(name)
    if fn is None:
        known = ", ".join(sorted(functions)) or "none"
        return _failed(
            call, arguments, f"LookupError: no local function for tool {name!r} (known: {known})"
        )
    try:
        with anyio.fail_after(timeout):
            value = await _invoke(fn, arguments)
    except TimeoutError:
        return _failed(
            call, arguments, f"TimeoutError: tool {name!r} ran longer than {timeout:g} s"
        )
    except Exception as exc:
        return _failed(call, arguments, f"{type(exc).__name__}: {exc}")
    return ToolCallRecord(
        id=call.id, name=name, arguments=arguments, output=tool_output_text(value)
    )


async def _invoke(fn: ToolFunction, arguments: Any) -> Any:
    args, kwargs = ((), arguments) if isinstance(arguments, dict) else ((arguments,), {})
    if inspect.iscoroutinefunction(fn):
        return await fn(*args, **kwargs)

    def call() -> Any:
        return fn(*args, **kwargs)

    result = await anyio.to_thread.run_sync(call, abandon_on_cancel=True)
    if inspect.isawaitable(result):
        return await result
    return result


def _failed(call: ResponseToolCall, arguments: Any, error: str) -> ToolCallRecord:
    return ToolCallRecord(
        id=call.id,
        name=call.function.name,
        arguments=arguments,
        output=f"Error: {error}",
        error=error,
    )


async def execute_all(
    calls: list[ResponseToolCall], functions: Mapping[str, ToolFunction], timeout: float | None
) -> list[ToolCallRecord]:
    """Run the calls of one step concurrently; results keep the server's order."""
    records: list[ToolCallRecord | None] = [None] * len(calls)

    async def run(i: int, call: ResponseToolCall) -> None:
        records[i] = await execute_tool_call(call, functions, timeout)

    async with anyio.create_task_group() as tg:
        for i, call in enumerate(calls):
            tg.start_soon(run, i, call)
    return [r for r in records if r is not None]
