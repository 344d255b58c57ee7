"""
The typed errors of a LangGraph run. Each carries the state reached so far and what the server said.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ...._exceptions import SequrityError

if TYPE_CHECKING:
    from ...types.results import ResponseContentJsonSchema
    from ._types import NodeCall

__all__ = [
    "LangGraphError",
    "LangGraphExecutionError",
    "LangGraphNodeError",
    "LangGraphPolicyDeniedError",
    "LangGraphStepLimitError",
    "LangGraphUnavailableError",
]


class LangGraphError(SequrityError):
    """
    A LangGraph run stopped before the graph reached its end.

    Attributes:
        state: The client's state when the run stopped (every update made so far merged in).
        node_calls: The node and router calls made, in order.
        session_id: The server session of the run.
        steps: Requests sent.
        envelope: The server's final result envelope, when it sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        state: dict[str, Any],
        node_calls: Sequence[NodeCall],
        session_id: str | None,
        steps: int,
        envelope: ResponseContentJsonSchema | None = None,
    ) -> None:
        super().__init__(message)
        self.state = state
        self.node_calls = tuple(node_calls)
        self.session_id = session_id
        self.steps = steps
        self.envelope = envelope


class LangGraphPolicyDeniedError(LangGraphError):
    """
    A security policy denied a node (or router) call; ``envelope.error`` says why.

    Attributes:
        node: The node or router the graph was about to run, when known.
    """

    def __init__(self, message: str, *, node: str | None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.node = node


class LangGraphNodeError(LangGraphError):
    """
    A node or router raised (its exception is the ``__cause__``) or returned something a graph
    cannot use. The error was reported to the server as the tool result before this was raised.

    Attributes:
        node: The node or router that failed.
    """

    def __init__(self, message: str, *, node: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.node = node


class LangGraphStepLimitError(LangGraphError):
    """
    The graph did not reach its end within ``max_exec_steps`` (like LangGraph's
    ``GraphRecursionError``).
    """


class LangGraphExecutionError(LangGraphError):
    """
    The server ended the run with a failure that is not a policy denial, or its answers did not
    follow the program (a call the graph does not expect, an unreadable result).
    """


class LangGraphUnavailableError(SequrityError, RuntimeError):
    """
    A LangGraph ``StateGraph`` was given but the ``langgraph`` package is not installed.
    """
