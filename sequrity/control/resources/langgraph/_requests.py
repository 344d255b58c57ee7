"""
The official SDK's lang-graph request models: a Chat Completions or Messages request with the
program to run (``user_provided_program``) and its predefined variables (``context_vars``).
`client.control.langgraph` sends the same two keys; these classes are for code that builds the
body itself.
"""

from __future__ import annotations

import attrs

from ....types.chat_completion.request import ChatCompletionRequest
from ....types.messages.request import AnthropicMessageRequest
from ...types.results import ValueWithMeta

__all__ = ["LangGraphChatCompletionRequest", "LangGraphMessagesRequest", "LangGraphRequestMixin"]


@attrs.frozen(kw_only=True)
class LangGraphRequestMixin:
    """
    The two lang-graph keys of a request body.

    Attributes:
        user_provided_program: The Python program the server runs (see `compile_graph`).
        context_vars: Predefined variables, each a value with its metadata.
    """

    user_provided_program: str | None = None
    context_vars: dict[str, ValueWithMeta] | None = None


@attrs.frozen(kw_only=True)
class LangGraphChatCompletionRequest(ChatCompletionRequest):
    """A Chat Completions request with the lang-graph keys of `LangGraphRequestMixin`."""

    user_provided_program: str | None = None
    context_vars: dict[str, ValueWithMeta] | None = None


@attrs.frozen(kw_only=True)
class LangGraphMessagesRequest(AnthropicMessageRequest):
    """An Anthropic Messages request with the lang-graph keys of `LangGraphRequestMixin`."""

    user_provided_program: str | None = None
    context_vars: dict[str, ValueWithMeta] | None = None
