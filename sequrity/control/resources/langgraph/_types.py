"""
What a LangGraph run gives back: `LangGraphResult`, one `NodeCall` per node or router run, the
stream events, and the options every entry point accepts (`LangGraphOptions`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

import attrs

from ....types.chat_completion.response import ChatCompletionResponse
from ..._options import ConfigOptions
from ...types.results import ErrorInfo, MetaData, ResponseContentJsonSchema, ValueWithMeta
from ._requests import LangGraphChatCompletionRequest as LangGraphChatCompletionRequest
from ._requests import LangGraphMessagesRequest as LangGraphMessagesRequest
from ._requests import LangGraphRequestMixin as LangGraphRequestMixin

__all__ = [
    "ErrorInfo",
    "LangGraphChatCompletionRequest",
    "LangGraphChatCompletionResponse",
    "LangGraphEvent",
    "LangGraphMessagesRequest",
    "LangGraphOptions",
    "LangGraphRequestMixin",
    "LangGraphResult",
    "MetaData",
    "NodeCall",
    "NodeFinished",
    "NodeStarted",
    "ResponseContentJsonSchema",
    "RunFinished",
    "ValueWithMeta",
]

#: The official SDK's name for the lang-graph chat answer: an ordinary chat completion.
LangGraphChatCompletionResponse = ChatCompletionResponse


@attrs.frozen(kw_only=True)
class NodeCall:
    """
    One node or router the client ran for the server.

    Attributes:
        id: The tool-call id the server gave.
        name: The node's (or router's) name.
        kind: ``"node"`` or ``"router"``.
        output: What the function returned: a node's update, or a router's key.
        error: ``"Type: message"`` when it failed, else `None`.
        step: The request whose answer asked for this call (1-based).
    """

    id: str
    name: str
    kind: Literal["node", "router"]
    output: Any = None
    error: str | None = None
    step: int = 0


@attrs.frozen(kw_only=True)
class LangGraphResult:
    """
    A finished LangGraph run.

    Attributes:
        state: The final state, merged on this side through the graph's reducers (what
            ``graph.compile().invoke(initial_state)`` returns).
        final_value: The server's ``final_return_value`` (its copy of the state, as JSON).
        envelope: The server's whole result envelope.
        session_id: The server session the run used.
        node_calls: Every node and router call, in order.
        steps: Requests sent.
    """

    state: dict[str, Any]
    final_value: Any
    envelope: ResponseContentJsonSchema
    session_id: str | None
    node_calls: tuple[NodeCall, ...]
    steps: int

    @property
    def visited(self) -> list[str]:
        """
        The nodes run, in order (routers left out).

        Returns:
            Node names; a node visited twice appears twice.
        """
        return [c.name for c in self.node_calls if c.kind == "node"]


@attrs.frozen(kw_only=True)
class NodeStarted:
    """
    A node is about to run.

    Attributes:
        node: Its name.
        call_id: The server's tool-call id.
        state: The state it receives (a copy).
    """

    node: str
    call_id: str
    state: dict[str, Any]


@attrs.frozen(kw_only=True)
class NodeFinished:
    """
    A node ran and its update was merged.

    Attributes:
        node: Its name.
        call_id: The server's tool-call id.
        update: What the node returned (as LangGraph's ``stream_mode="updates"`` shows it).
        state: The state after the merge (a copy).
    """

    node: str
    call_id: str
    update: Any
    state: dict[str, Any]

    def as_update(self) -> dict[str, Any]:
        """
        Give this event in LangGraph's ``stream_mode="updates"`` shape.

        Returns:
            ``{node: update}``.
        """
        return {self.node: self.update}


@attrs.frozen(kw_only=True)
class RunFinished:
    """
    The graph reached its end.

    Attributes:
        result: The run's result.
    """

    result: LangGraphResult


LangGraphEvent = NodeStarted | NodeFinished | RunFinished
"""What `stream` yields in its default ``"events"`` mode."""


class LangGraphOptions(ConfigOptions, total=False):
    """
    The keywords of `run`, `execute` and `stream` (all optional; the official SDK's names): the
    request options of `ConfigOptions` (``timeout``, ``retry``, ``llm_api_key``,
    ``custom_headers``, ``provider``, ``features``, ``security_policy``,
    ``fine_grained_config``) and these.

    ``provider="anthropic"`` runs over the Messages API; ``features`` must be Dual-LLM (default:
    `FeaturesHeader.dual_llm()`); ``fine_grained_config`` is sent with ``fsm.disable_rllm=true``
    set on a copy. The timeout and retry policy apply to each request.

    Attributes:
        initial_state_meta: Metadata of the initial state (`MetaData` or its JSON); default
            ``producers=[], consumers=["*"], tags=[]``.
        max_exec_steps: The most requests to send (default 20), also the most node visits the
            program allows; past it `LangGraphStepLimitError` is raised.
        node_functions: Node or router name -> function, replacing the graph's own (the graph's
            functions are used by default).
        internal_node_mapping: Node name -> a tool the server runs itself (e.g.
            ``{"agent": "parse_with_ai"}``).
    """

    initial_state_meta: MetaData | Mapping[str, Any] | None
    max_exec_steps: int
    node_functions: Mapping[str, Callable[..., Any]] | None
    internal_node_mapping: Mapping[str, str] | None
