"""`AsyncControl`: the ``client.control`` namespace, grouping the Control API's resources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._core._stream import AsyncStream
from .._sentinel import NOT_GIVEN, NotGiven
from ..types.chat_completion.request import Message
from ..types.chat_completion.response import ChatCompletionResponse
from ..types.chat_completion.stream import ChatCompletionChunk
from .resources.chat import AsyncChatResource
from .sessions import AsyncSession, SessionBinding

if TYPE_CHECKING:
    from .._client import AsyncSequrityClient

__all__ = ["AsyncControl"]


class AsyncControl:
    """
    The Control API (``client.control``).

    Sessions are explicit: every result carries `session_id`; pass it back with ``session_id=...``
    or use a handle from `session()`. The client itself remembers a session only if you set one
    (`set_session_id`) or opted into official-SDK-style tracking (``track_sessions=True`` on the
    client), where every answer's session id is reused by the next call.

    Attributes:
        chat: Chat Completions.
    """

    chat: AsyncChatResource

    def __init__(self, client: AsyncSequrityClient, *, track_sessions: bool = False) -> None:
        self._client = client
        self._binding = SessionBinding(None, track=track_sessions)
        self.chat = AsyncChatResource(client)

    def session(self, session_id: str | None = None) -> AsyncSession:
        """
        Start (or, with `session_id`, resume) a conversation handle with its own session state.

        Args:
            session_id: An existing session to continue; `None` starts a new one on first use.

        Returns:
            An `AsyncSession` whose resources (``.chat``) send and record its session id.
        """
        return AsyncSession(self._client, session_id)

    @property
    def session_id(self) -> str | None:
        """The client-level session id sent when a call passes no ``session_id``."""
        return self._binding.id

    def set_session_id(self, session_id: str | None) -> None:
        """Set (or, with `None`, clear) the client-level session id."""
        self._binding.id = session_id

    def reset_session(self) -> None:
        """Clear the client-level session id: the next call starts a new session."""
        self._binding.id = None

    async def create_chat_completion(
        self,
        messages: Iterable[Message | Mapping[str, Any]],
        model: str,
        *,
        service_provider: str | None | NotGiven = NOT_GIVEN,
        **kwargs: Any,
    ) -> ChatCompletionResponse | AsyncStream[ChatCompletionChunk]:
        """
        The getting-started guide's spelling of `chat.create`: ``service_provider`` is the
        ``provider``; every other keyword is passed to `chat.create` unchanged.
        """
        if service_provider is not NOT_GIVEN:
            kwargs["provider"] = service_provider
        result: ChatCompletionResponse | AsyncStream[ChatCompletionChunk] = await self.chat.create(
            messages, model, **kwargs
        )
        return result
