"""
`LangGraphExecutor` at the official SDK's import path: the compiled program, the tools and a way to
run one tool call, for code written against the official executor.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable, Mapping
from typing import Any

from ...._exceptions import SequrityValidationError
from ._adapter import load_graph
from ._compile import compile_graph

__all__ = ["LangGraphExecutor"]


def _is_messages(rest_api_type: Any) -> bool:
    value = getattr(rest_api_type, "value", rest_api_type)
    if value not in ("chat_completions", "messages"):
        raise SequrityValidationError(
            f"rest_api_type must be 'chat_completions' or 'messages', got {rest_api_type!r}"
        )
    return bool(value == "messages")


class LangGraphExecutor:
    """
    A graph compiled for the ``lang-graph`` endpoint (the official SDK's executor).

    Unlike the official one it finds the node functions of a ``StateGraph`` by itself, names
    tools and program calls after the nodes, supports conditional edges to ``END`` and cycles, and
    lists its tools in a fixed order. `client.control.langgraph` runs graphs; this class is for
    inspecting what is sent.

    Args:
        graph: A LangGraph ``StateGraph`` (or its compiled graph), or a `GraphSpec`.
        node_functions: Node or router name -> function, replacing the graph's.
        internal_node_mapping: Node name -> a tool the server runs itself.
        max_exec_steps: The bound of the program's loop (node visits).

    Attributes:
        graph: The graph as given.
        node_functions: Tool name -> the local function (nodes and routers).
        internal_node_mapping: Node name -> server-side tool.
        external_nodes: The tool names, in the order they are sent (nodes, then routers).
        generated_code: The ``user_provided_program``.

    Raises:
        LangGraphUnavailableError: a ``StateGraph`` was given but ``langgraph`` is missing.
        SequrityValidationError: an unsupported graph.
    """

    def __init__(
        self,
        graph: Any,
        node_functions: Mapping[str, Callable[..., Any]] | None = None,
        internal_node_mapping: Mapping[str, str] | None = None,
        *,
        max_exec_steps: int = 20,
    ) -> None:
        spec = load_graph(graph, node_functions, internal_node_mapping)
        self._compiled = compile_graph(spec, max_steps=max_exec_steps)
        self.graph = graph
        self.node_functions: dict[str, Callable[..., Any]] = {
            t.name: t.function for t in self._compiled.tools
        }
        self.internal_node_mapping: dict[str, str] = dict(spec.internal)
        self.external_nodes: tuple[str, ...] = tuple(t.name for t in self._compiled.tools)
        self.generated_code: str = self._compiled.program

    def build_tool_definitions(
        self, rest_api_type: Any = "chat_completions"
    ) -> list[dict[str, Any]]:
        """
        Give the tool definitions sent with every request.

        Args:
            rest_api_type: ``"chat_completions"`` or ``"messages"`` (or the official enum).

        Returns:
            One definition per tool, in a fixed order.
        """
        if _is_messages(rest_api_type):
            return self._compiled.messages_tools()
        return self._compiled.chat_tools()

    def execute_tool_call(
        self, tool_call: Mapping[str, Any], rest_api_type: Any = "chat_completions"
    ) -> Any:
        """
        Run the function of one tool call on the state it carries.

        Args:
            tool_call: ``{"function": {"name", "arguments"}}`` (Chat) or ``{"name", "input"}``
                (Messages).
            rest_api_type: ``"chat_completions"`` or ``"messages"``.

        Returns:
            What the function returned.

        Raises:
            SequrityValidationError: no function for the tool, or an async function called from a
                running event loop (use ``client.control.langgraph`` there).
        """
        if _is_messages(rest_api_type):
            name, arguments = tool_call.get("name"), tool_call.get("input") or {}
        else:
            function = tool_call.get("function") or {}
            name = function.get("name")
            try:
                arguments = json.loads(function.get("arguments") or "{}")
            except ValueError:
                arguments = {}
        fn = self.node_functions.get(str(name))
        if fn is None:
            raise SequrityValidationError(f"no function for the tool {name!r}")
        state = arguments.get("state", {}) if isinstance(arguments, dict) else {}
        result = fn(state)
        if inspect.isawaitable(result):
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                return asyncio.run(_await(result))
            raise SequrityValidationError(
                f"{name!r} is async and an event loop is running; use client.control.langgraph"
            )
        return result


async def _await(awaitable: Any) -> Any:
    return await awaitable
