"""
The official SDK's integration names, at their official paths: `SequrityAsyncOpenAI` and
`create_sequrity_openai_agents_sdk_client` (OpenAI Agents SDK, ``.openai_agents_sdk``),
`LangGraphChatSequrityAI` and `create_sequrity_langgraph_client` (LangChain/LangGraph,
``.langgraph``). They are thin adapters over `sequrity.integrations`.

Importing this package or its submodules needs no extra; building one of these objects without
its extra raises `MissingExtraError`, naming it (``pip install 'sequrity[agents]'``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_attributes as _lazy_attributes

__all__ = [
    "LangGraphChatSequrityAI",
    "SequrityAsyncOpenAI",
    "create_sequrity_langgraph_client",
    "create_sequrity_openai_agents_sdk_client",
]

if TYPE_CHECKING:
    from .langgraph import LangGraphChatSequrityAI as LangGraphChatSequrityAI
    from .langgraph import create_sequrity_langgraph_client as create_sequrity_langgraph_client
    from .openai_agents_sdk import SequrityAsyncOpenAI as SequrityAsyncOpenAI
    from .openai_agents_sdk import (
        create_sequrity_openai_agents_sdk_client as create_sequrity_openai_agents_sdk_client,
    )

__getattr__, __dir__ = _lazy_attributes(
    globals(),
    {
        "SequrityAsyncOpenAI": "sequrity.control.integrations.openai_agents_sdk",
        "create_sequrity_openai_agents_sdk_client": (
            "sequrity.control.integrations.openai_agents_sdk"
        ),
        "LangGraphChatSequrityAI": "sequrity.control.integrations.langgraph",
        "create_sequrity_langgraph_client": "sequrity.control.integrations.langgraph",
    },
)
