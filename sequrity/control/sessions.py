"""
Explicit, concurrency-safe session handles: ``client.control.session()`` returns an `AsyncSession`
whose resources send its id and record the id the server answers with. Nothing is shared between
handles, so concurrent conversations on one client never cross.
"""

from __future__ import annotations

import functools
from types import TracebackType
from typing import TYPE_CHECKING

from .._exceptions import SequrityValidationError
from ._binding import SessionBinding
from .resources.chat import AsyncChatResource

if TYPE_CHECKING:
    from .._core._exchange import AsyncExchange
    from ._request import ClientState
    from .resources.messages import AsyncMessagesResource
    from .resources.responses import AsyncResponsesResource

__all__ = ["AsyncSession", "SessionBinding"]


class AsyncSession:
    """
    One conversation with the Control API.

    The first call starts a session (unless created with an id); every later call through this
    handle continues it. Use one handle per conversation; create as many as you like on one client.

    Example:
        >>> async with client.control.session() as conversation:
        ...     await conversation.chat.create(messages, model)
        ...     print(conversation.id)

    Attributes:
        chat: Chat Completions within this session.
        messages: Anthropic Messages within this session.
        responses: OpenAI Responses API within this session.
    """

    chat: AsyncChatResource

    def __init__(self, exchange: AsyncExchange[ClientState], session_id: str | None = None) -> None:
        if session_id is not None and (not isinstance(session_id, str) or not session_id):
            raise SequrityValidationError("session_id must be a non-empty string or None")
        self._binding = SessionBinding(session_id)
        self._exchange = exchange
        self.chat = AsyncChatResource(exchange, self._binding)

    @functools.cached_property
    def messages(self) -> AsyncMessagesResource:
        """Anthropic Messages within this session."""
        from .resources.messages import AsyncMessagesResource

        return AsyncMessagesResource(self._exchange, self._binding)

    @functools.cached_property
    def responses(self) -> AsyncResponsesResource:
        """OpenAI Responses API within this session."""
        from .resources.responses import AsyncResponsesResource

        return AsyncResponsesResource(self._exchange, self._binding)

    @property
    def id(self) -> str | None:
        """The current session id (`None` until the server assigned one)."""
        return self._binding.id

    def reset(self) -> None:
        """Forget the id: the next call through this handle starts a new session."""
        self._binding.id = None

    def __enter__(self) -> AsyncSession:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.reset()

    async def __aenter__(self) -> AsyncSession:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.reset()

    def __repr__(self) -> str:
        return f"<AsyncSession id={self._binding.id!r}>"
