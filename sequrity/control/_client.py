"""`AsyncControl`: the ``client.control`` namespace, grouping the Control API's resources."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Unpack

from .._sentinel import NOT_GIVEN, NotGiven
from ._binding import SessionBinding
from ._options import CallOptions, HeaderCheckOptions, spread_signature
from .resources.chat import AsyncChatResource, ChatCreateOptions
from .sessions import AsyncSession

if TYPE_CHECKING:
    from .._core._exchange import AsyncExchange
    from .._core._stream import AsyncStream
    from ..types.chat_completion.request import Message
    from ..types.chat_completion.response import ChatCompletionResponse
    from ..types.chat_completion.stream import ChatCompletionChunk
    from ._request import ClientState
    from .resources.langgraph._resource import AsyncLangGraphResource
    from .resources.messages import AsyncMessagesResource
    from .resources.policy import AsyncPolicyResource
    from .resources.responses import AsyncResponsesResource
    from .resources.utility import AsyncUtilityResource
    from .types.utility import HeaderValidationReport, HealthStatus, RouteListing

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
        langgraph: LangGraph state graphs run under Sequrity's policies.
        messages: Anthropic Messages.
        policy: Policy generation.
        responses: OpenAI Responses API.
        utility: Health, route listing and header validation (also as `health`,
            `list_routes` and `validate_headers` here).
    """

    chat: AsyncChatResource

    def __init__(
        self, exchange: AsyncExchange[ClientState], *, track_sessions: bool = False
    ) -> None:
        self._exchange = exchange
        self._binding = SessionBinding(None, track=track_sessions)
        self.chat = AsyncChatResource(exchange, self._binding)

    # The other resources (and their many types) load on first use: `import sequrity` stays
    # cheap for programs that only chat.

    @functools.cached_property
    def messages(self) -> AsyncMessagesResource:
        """Anthropic Messages."""
        from .resources.messages import AsyncMessagesResource

        return AsyncMessagesResource(self._exchange, self._binding)

    @functools.cached_property
    def langgraph(self) -> AsyncLangGraphResource:
        """LangGraph state graphs run under Sequrity's policies."""
        from .resources.langgraph._resource import AsyncLangGraphResource

        return AsyncLangGraphResource(self, self._exchange.state.config)

    @functools.cached_property
    def policy(self) -> AsyncPolicyResource:
        """Policy generation."""
        from .resources.policy import AsyncPolicyResource

        return AsyncPolicyResource(self._exchange, self._binding)

    @functools.cached_property
    def responses(self) -> AsyncResponsesResource:
        """OpenAI Responses API."""
        from .resources.responses import AsyncResponsesResource

        return AsyncResponsesResource(self._exchange, self._binding)

    @functools.cached_property
    def utility(self) -> AsyncUtilityResource:
        """Health, route listing and header validation."""
        from .resources.utility import AsyncUtilityResource

        return AsyncUtilityResource(self._exchange, self._binding)

    def session(self, session_id: str | None = None) -> AsyncSession:
        """
        Start (or, with `session_id`, resume) a conversation handle with its own session state.

        Args:
            session_id: An existing session to continue; `None` starts a new one on first use.

        Returns:
            An `AsyncSession` whose resources (``.chat``) send and record its session id.
        """
        return AsyncSession(self._exchange, session_id)

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

    def to_openai_agents_provider(self, **overrides: Any) -> Any:
        """
        Build the official OpenAI Agents SDK provider (`SequrityModelProvider`) with this
        client's key, base URL and defaults; keyword arguments (``service_provider``,
        ``llm_api_key``, ``features``...) override them. Needs the ``agents`` extra.
        """
        return _official_factory("openai_agents_provider")(self._exchange.state, **overrides)

    def to_langgraph_client(self, model: str = "gpt-4", **overrides: Any) -> Any:
        """
        Build the official LangChain chat model (`LangGraphChatSequrityAI`) for `model` with this
        client's key, base URL and defaults; keyword arguments override them. Needs the
        ``langchain`` extra.
        """
        return _official_factory("langgraph_client")(self._exchange.state, model, **overrides)

    @spread_signature(ChatCreateOptions)
    async def create_chat_completion(
        self,
        messages: Iterable[Message | Mapping[str, Any]],
        model: str,
        *,
        service_provider: str | None | NotGiven = NOT_GIVEN,
        stream: bool | None = None,
        **options: Unpack[ChatCreateOptions],
    ) -> ChatCompletionResponse | AsyncStream[ChatCompletionChunk]:
        """
        The getting-started guide's spelling of `chat.create`: ``service_provider`` is the
        ``provider``; every other keyword is passed to `chat.create` unchanged.
        """
        if service_provider is not NOT_GIVEN:
            options["provider"] = service_provider
        return await self.chat.create(messages, model, stream=stream, **options)

    @spread_signature(CallOptions)
    async def health(self, **options: Unpack[CallOptions]) -> HealthStatus:
        """
        Check that the Control API is up; the same as `utility.health`.

        Args:
            **options: `CallOptions`: ``timeout``, ``retry``.

        Returns:
            A `HealthStatus`.
        """
        return await self.utility.health(**options)

    @spread_signature(CallOptions)
    async def list_routes(self, **options: Unpack[CallOptions]) -> RouteListing:
        """
        List the routes the server serves; the same as `utility.list_routes`.

        Args:
            **options: `CallOptions`: ``timeout``, ``retry``.

        Returns:
            A `RouteListing`.
        """
        return await self.utility.list_routes(**options)

    @spread_signature(HeaderCheckOptions)
    async def validate_headers(
        self, **options: Unpack[HeaderCheckOptions]
    ) -> HeaderValidationReport:
        """
        Ask the server whether configuration headers are valid; the same as
        `utility.validate_headers` (not given checks the client's `ControlConfig` defaults).

        Args:
            **options: `HeaderCheckOptions`: the headers to check (``features``,
                ``security_policy``, ``fine_grained_config``: header objects, header strings, or
                `None` to skip), the ``*_overrides``, ``timeout``, ``retry``.

        Returns:
            A `HeaderValidationReport`.
        """
        return await self.utility.validate_headers(**options)


def _official_factory(name: str) -> Callable[..., Any]:
    # The integrations sit above the client layer (they build clients), so the control layer
    # names them instead of importing them: loaded on first use, like any optional extra.
    factories = importlib.import_module("sequrity.control.integrations._factories")
    factory: Callable[..., Any] = getattr(factories, name)
    return factory


#: The official SDK's names of the Control classes (the blocking one loads on first use).
AsyncControlClient = AsyncControl


def __getattr__(name: str) -> Any:
    """The official SDK's name of the blocking class (loaded on first use)."""
    from .._lazy import blocking_twin

    return blocking_twin(__name__, name, {"ControlClient": "Control"})
