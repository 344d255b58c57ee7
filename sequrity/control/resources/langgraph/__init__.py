"""
LangGraph state graphs run under Sequrity's policies: ``client.control.langgraph`` (`run`,
`execute`, `stream`), the framework-free `GraphSpec`, the compiler, results, events and errors.
Importing this package never imports ``langgraph``; only passing a ``StateGraph`` needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._compile import CompiledGraph as CompiledGraph
from ._compile import compile_graph as compile_graph
from ._errors import LangGraphError as LangGraphError
from ._errors import LangGraphExecutionError as LangGraphExecutionError
from ._errors import LangGraphNodeError as LangGraphNodeError
from ._errors import LangGraphPolicyDeniedError as LangGraphPolicyDeniedError
from ._errors import LangGraphStepLimitError as LangGraphStepLimitError
from ._errors import LangGraphUnavailableError as LangGraphUnavailableError
from ._executor import LangGraphExecutor as LangGraphExecutor
from ._graph import END as END
from ._graph import START as START
from ._graph import BranchSpec as BranchSpec
from ._graph import GraphSpec as GraphSpec
from ._resource import AsyncLangGraphResource as AsyncLangGraphResource
from ._types import LangGraphEvent as LangGraphEvent
from ._types import LangGraphOptions as LangGraphOptions
from ._types import LangGraphResult as LangGraphResult
from ._types import NodeCall as NodeCall
from ._types import NodeFinished as NodeFinished
from ._types import NodeStarted as NodeStarted
from ._types import RunFinished as RunFinished

if TYPE_CHECKING:
    from ...._sync.control.resources.langgraph._resource import (
        LangGraphResource as LangGraphResource,
    )

__all__ = [
    "END",
    "START",
    "AsyncLangGraphResource",
    "BranchSpec",
    "CompiledGraph",
    "GraphSpec",
    "LangGraphError",
    "LangGraphEvent",
    "LangGraphExecutionError",
    "LangGraphExecutor",
    "LangGraphNodeError",
    "LangGraphOptions",
    "LangGraphPolicyDeniedError",
    "LangGraphResource",
    "LangGraphResult",
    "LangGraphStepLimitError",
    "LangGraphUnavailableError",
    "NodeCall",
    "NodeFinished",
    "NodeStarted",
    "RunFinished",
    "compile_graph",
]


def __getattr__(name: str) -> object:
    # The blocking twin imports this package, so it is loaded on first use.
    if name == "LangGraphResource":
        from ...._sync.control.resources.langgraph._resource import LangGraphResource

        return LangGraphResource
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | {"LangGraphResource"})
