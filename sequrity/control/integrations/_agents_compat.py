"""
The official OpenAI Agents SDK classes, as thin adapters over `sequrity.integrations`: the
official constructors build our client, adapter, provider and model; nothing else is new.
"""

from __future__ import annotations

from typing import Any, cast

from ... import AsyncSequrityClient
from ...integrations.openai_agents import SequrityChatModel, SequrityProvider
from ...integrations.openai_client import OpenAIClientAdapter
from .. import ControlConfig, EndpointType, LlmServiceProvider
from ..types.headers import FeaturesHeader, FineGrainedConfigHeader, SecurityPolicyHeader

try:
    from agents.models.interface import Model
    from agents.models.openai_chatcompletions import OpenAIChatCompletionsModel
except ImportError as exc:  # pragma: no cover - the openai_agents import above fails first
    from ...integrations._extras import missing_extra

    raise missing_extra("agents", exc) from exc

__all__ = ["SequrityAsyncOpenAI", "SequrityModel", "SequrityModelProvider"]

#: The official provider's model when an agent names none.
DEFAULT_MODEL = "gpt-5-mini"

#: ``AsyncOpenAI`` options the adapter honours (others are refused, not silently dropped).
_OPTIONS = ("max_retries", "default_headers")


class SequrityAsyncOpenAI(OpenAIClientAdapter):
    """
    The official ``AsyncOpenAI``-style client for the Sequrity Control API.

    It is an `OpenAIClientAdapter` (not an ``AsyncOpenAI`` subclass): our client sends, so
    ``with_options(...)`` and ``copy()`` work, and no ``httpx`` client is involved. Like the
    official one it keeps one conversation: the first session id answered is sent with every
    later request (copies from ``with_options`` share it) until `reset_session` or
    `set_session_id`. For independent conversations, use one object per conversation or
    `sequrity.integrations.openai_agents.SequrityProvider`, which keeps no session.

    Args:
        sequrity_api_key: Your Sequrity API key.
        features: ``X-Features``.
        security_policy: ``X-Policy``.
        fine_grained_config: ``X-Config``.
        service_provider: The LLM provider route (default ``openrouter``).
        llm_api_key: Your provider key (``X-Api-Key``).
        base_url: Default ``$SEQURITY_BASE_URL``, else the public endpoint.
        endpoint_type: ``chat`` (default), ``code``, ``agent`` or ``lang-graph``.
        timeout: Seconds per request (default 60, as in the official SDK).
        **kwargs: ``max_retries`` and ``default_headers`` (``AsyncOpenAI``'s names), and
            ``retry`` (a `RetryPolicy`); other ``AsyncOpenAI`` options raise `TypeError`.
    """

    def __init__(
        self,
        sequrity_api_key: str,
        features: FeaturesHeader | None = None,
        security_policy: SecurityPolicyHeader | None = None,
        fine_grained_config: FineGrainedConfigHeader | None = None,
        service_provider: LlmServiceProvider | str = LlmServiceProvider.OPENROUTER,
        llm_api_key: str | None = None,
        base_url: str | None = None,
        endpoint_type: EndpointType | str = EndpointType.CHAT,
        timeout: float = 60.0,
        **kwargs: Any,
    ) -> None:
        retry = kwargs.pop("retry", None)
        unsupported = sorted(set(kwargs) - set(_OPTIONS))
        if unsupported:
            raise TypeError(f"unsupported AsyncOpenAI options: {', '.join(unsupported)}")
        max_retries = kwargs.get("max_retries")
        control = ControlConfig(
            llm_api_key=llm_api_key,
            provider=service_provider,
            endpoint_type=endpoint_type,
            features=features,
            security_policy=security_policy,
            fine_grained_config=fine_grained_config,
        )
        options: dict[str, Any] = {"base_url": base_url, "timeout": timeout, "control": control}
        if retry is not None or max_retries is not None:
            options["retry"] = retry if retry is not None else max_retries
        client = AsyncSequrityClient(sequrity_api_key, **options)
        super().__init__(client, default_headers=kwargs.get("default_headers"), track_session=True)
        self._owns_client = True


class SequrityModel(SequrityChatModel):
    """
    The official model class: a `SequrityChatModel` named after `base_model`, following the
    conversation of `openai_client`.

    Args:
        base_model: Any object with a ``model`` name (officially an
            ``OpenAIChatCompletionsModel``); only its name is used.
        openai_client: The `SequrityAsyncOpenAI` whose client and session the model uses.
    """

    def __init__(self, base_model: Any, openai_client: SequrityAsyncOpenAI) -> None:
        super().__init__(str(base_model.model), openai_client.client, session=openai_client._slot)
        self.base_model = base_model
        self.openai_client = openai_client


class SequrityModelProvider(SequrityProvider):
    """
    The official provider: a `SequrityProvider` over a `SequrityAsyncOpenAI`, whose one
    conversation its models follow (``session_id``, ``set_session_id``, ``reset_session``).

    During a run every model call sends the held session; the first session the server
    answers with is kept. Concurrent runs on one provider share that conversation, as with the
    official SDK; `SequrityProvider` keeps none.

    Args:
        openai_client: The client; `aclose` closes it.
    """

    def __init__(self, openai_client: SequrityAsyncOpenAI) -> None:
        super().__init__(openai_client.client, default_model=DEFAULT_MODEL)
        self.openai_client = openai_client
        self._session = openai_client._slot

    def get_model(self, model_name: str | None) -> Model:
        """
        Give the `SequrityModel` for `model_name` (default ``gpt-5-mini``), cached per name; its
        ``base_model`` is an ``OpenAIChatCompletionsModel`` over the client, as officially.

        Args:
            model_name: The agent's model, or `None`.

        Returns:
            The model.
        """
        name = model_name or DEFAULT_MODEL
        found = self._models.get(name)
        if found is None:
            base = OpenAIChatCompletionsModel(name, openai_client=cast(Any, self.openai_client))
            found = self._models[name] = SequrityModel(base, self.openai_client)
        return found

    @property
    def chat(self) -> Any:
        """``chat.completions.create(...)`` of the client (OpenAI objects, envelopes as sent)."""
        return self.openai_client.chat

    @property
    def session_id(self) -> str | None:
        """The session the next request continues, or `None`."""
        return self.openai_client.session_id

    def set_session_id(self, session_id: str | None) -> None:
        """Continue `session_id` from the next request on (`None` starts a new session)."""
        self.openai_client.set_session_id(session_id)

    def reset_session(self) -> None:
        """Start a new session with the next request."""
        self.openai_client.reset_session()

    async def aclose(self) -> None:
        """Close the client."""
        await self.openai_client.close()
