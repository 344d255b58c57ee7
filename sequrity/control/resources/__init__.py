"""
Async services of the Control API, one module per endpoint group (mirrors the URL tree). The
resource classes, async and blocking, are also here under the official SDK's names (loaded on
first use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_attributes as _lazy_attributes

if TYPE_CHECKING:
    from ..._sync.control.resources.chat import ChatResource as ChatResource
    from ..._sync.control.resources.messages import MessagesResource as MessagesResource
    from ..._sync.control.resources.policy import PolicyResource as PolicyResource
    from ..._sync.control.resources.responses import ResponsesResource as ResponsesResource
    from .chat import AsyncChatResource as AsyncChatResource
    from .messages import AsyncMessagesResource as AsyncMessagesResource
    from .policy import AsyncPolicyResource as AsyncPolicyResource
    from .responses import AsyncResponsesResource as AsyncResponsesResource

__all__ = [
    "AsyncChatResource",
    "AsyncMessagesResource",
    "AsyncPolicyResource",
    "AsyncResponsesResource",
    "ChatResource",
    "MessagesResource",
    "PolicyResource",
    "ResponsesResource",
]

__getattr__, __dir__ = _lazy_attributes(
    globals(),
    {
        "AsyncChatResource": "sequrity.control.resources.chat",
        "AsyncMessagesResource": "sequrity.control.resources.messages",
        "AsyncPolicyResource": "sequrity.control.resources.policy",
        "AsyncResponsesResource": "sequrity.control.resources.responses",
        "ChatResource": "sequrity._sync.control.resources.chat",
        "MessagesResource": "sequrity._sync.control.resources.messages",
        "PolicyResource": "sequrity._sync.control.resources.policy",
        "ResponsesResource": "sequrity._sync.control.resources.responses",
    },
)
