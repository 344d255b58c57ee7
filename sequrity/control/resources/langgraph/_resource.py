"""
``client.control.langgraph``: run a LangGraph ``StateGraph`` (or a `GraphSpec`) under Sequrity's
policies. The server runs the compiled program in Dual-LLM mode; each node runs here, on the
server's request, as a tool call of the ``lang-graph`` endpoint.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import aclosing
from typing import TYPE_CHECKING, Any, Literal, Unpack, overload

from ...._exceptions import SequrityValidationError
from ._runner import Senders, drive, prepare
from ._types import LangGraphEvent, LangGraphOptions, LangGraphResult, NodeFinished, RunFinished

if TYPE_CHECKING:
    from ..._config import ControlConfig

__all__ = ["AsyncLangGraphResource"]


async def _updates(events: AsyncIterator[LangGraphEvent]) -> AsyncIterator[dict[str, Any]]:
    async with aclosing(events):  # type: ignore[type-var]
        async for event in events:
            if isinstance(event, NodeFinished):
                yield event.as_update()


class AsyncLangGraphResource:
    """
    LangGraph state graphs run under Sequrity's policies (``client.control.langgraph``).

    The graph is compiled into a program the ``lang-graph`` endpoint runs in Dual-LLM mode; every
    node (and router) is a tool the server calls, run here with your function: coroutine
    functions awaited, plain ones on worker threads. Each request goes through the same
    ``chat.create`` (or, for provider ``anthropic``, ``messages.create``) as any other call, so
    retries, deadlines, typed errors and the rate-limit gate apply. Every run starts its own
    session. Your header objects are never changed: ``X-Config`` is sent with
    ``fsm.disable_rllm=true`` set on a copy.

    `run` returns the final state dict, as the official SDK does; `execute` returns the whole
    `LangGraphResult`; `stream` yields events as nodes run.
    """

    def __init__(self, senders: Senders, config: ControlConfig) -> None:
        self._senders = senders
        self._config = config

    async def run(
        self,
        graph: Any,
        initial_state: Mapping[str, Any],
        model: str,
        **options: Unpack[LangGraphOptions],
    ) -> dict[str, Any]:
        """
        Run the graph and return its final state (what ``graph.compile().invoke(initial_state)``
        returns), with the official SDK's signature.

        Example:
            >>> state = await client.control.langgraph.run(
            ...     graph, {"query": "Read the document"}, "openai/gpt-5-mini"
            ... )

        Args:
            graph: A LangGraph ``StateGraph`` (or its compiled graph), or a `GraphSpec`.
            initial_state: The input state (never modified).
            model: The model name(s) of the Dual-LLM planner.
            **options: See `LangGraphOptions`: ``max_exec_steps``, ``node_functions``,
                ``features``, ``security_policy``, ``fine_grained_config``, ``provider``, ...

        Returns:
            The final state, merged through the graph's reducers.

        Raises:
            SequrityValidationError: bad arguments or an unsupported graph (nothing sent).
            LangGraphPolicyDeniedError: a policy denied a node call (with the partial state).
            LangGraphNodeError: a node raised (reported to the server first).
            LangGraphStepLimitError: the graph did not end within ``max_exec_steps``.
            LangGraphExecutionError: the server failed the run otherwise.
            SequrityAPIError: a request failed (after retries).
        """
        result = await self.execute(graph, initial_state, model, **options)
        return result.state

    async def execute(
        self,
        graph: Any,
        initial_state: Mapping[str, Any],
        model: str,
        **options: Unpack[LangGraphOptions],
    ) -> LangGraphResult:
        """
        Run the graph and return the whole result: final state, the server's final value, the
        session id, every node call and the number of requests.

        Args:
            graph: A LangGraph ``StateGraph`` (or its compiled graph), or a `GraphSpec`.
            initial_state: The input state (never modified).
            model: The model name(s) of the Dual-LLM planner.
            **options: See `LangGraphOptions`.

        Returns:
            A `LangGraphResult`.

        Raises:
            SequrityValidationError: bad arguments or an unsupported graph (nothing sent).
            LangGraphError: the run stopped early (see `run` for the subclasses).
            SequrityAPIError: a request failed (after retries).
        """
        plan = prepare(self._config, graph, initial_state, model, options)
        async with aclosing(drive(self._senders, plan)) as events:  # type: ignore[type-var]
            async for event in events:
                if isinstance(event, RunFinished):
                    return event.result
        raise AssertionError("a LangGraph run ended without a result")  # pragma: no cover

    @overload
    def stream(
        self,
        graph: Any,
        initial_state: Mapping[str, Any],
        model: str,
        *,
        stream_mode: Literal["events"] = "events",
        **options: Unpack[LangGraphOptions],
    ) -> AsyncIterator[LangGraphEvent]: ...

    @overload
    def stream(
        self,
        graph: Any,
        initial_state: Mapping[str, Any],
        model: str,
        *,
        stream_mode: Literal["updates"],
        **options: Unpack[LangGraphOptions],
    ) -> AsyncIterator[dict[str, Any]]: ...

    def stream(
        self,
        graph: Any,
        initial_state: Mapping[str, Any],
        model: str,
        *,
        stream_mode: Literal["events", "updates"] = "events",
        **options: Unpack[LangGraphOptions],
    ) -> AsyncIterator[Any]:
        """
        Run the graph, yielding as nodes run.

        With ``stream_mode="events"``: `NodeStarted`, `NodeFinished` (with the node's update)
        per node visit, then `RunFinished` with the `LangGraphResult`. With
        ``stream_mode="updates"``: ``{node_name: update}`` per node, the shape of LangGraph's own
        ``graph.compile().stream(initial_state, stream_mode="updates")``.

        Leaving the loop early or cancelling it stops the run; no connection stays in use between
        events (close the iterator to end the run at once).

        Example:
            >>> async for update in client.control.langgraph.stream(
            ...     graph, state, model, stream_mode="updates"
            ... ):
            ...     print(update)

        Args:
            graph: A LangGraph ``StateGraph`` (or its compiled graph), or a `GraphSpec`.
            initial_state: The input state (never modified).
            model: The model name(s) of the Dual-LLM planner.
            stream_mode: ``"events"`` (typed events) or ``"updates"`` (LangGraph's shape).
            **options: See `LangGraphOptions`.

        Returns:
            An async iterator of events, or of ``{node: update}`` dicts.

        Raises:
            SequrityValidationError: bad arguments or an unsupported graph (raised at once).
            LangGraphError: from the iterator, when the run stops early.
        """
        if stream_mode not in ("events", "updates"):
            raise SequrityValidationError(
                f"stream_mode must be 'events' or 'updates', got {stream_mode!r}"
            )
        plan = prepare(self._config, graph, initial_state, model, options)
        events = drive(self._senders, plan)
        return _updates(events) if stream_mode == "updates" else events
