"""
`LangGraphChatSequrityAI`: the official LangChain model class, a thin adapter over
`ChatSequrity` that adds the official one-conversation session API.
"""

from __future__ import annotations

from typing import Any

from ...integrations._results import SessionSlot
from ...integrations.langchain import ChatSequrity
from .. import EndpointType, LlmServiceProvider
from ..types.headers import FeaturesHeader, FineGrainedConfigHeader, SecurityPolicyHeader

try:
    from pydantic import PrivateAttr, SecretStr
except ImportError as exc:  # pragma: no cover - pydantic comes with the langchain extra
    from ...integrations._extras import missing_extra

    raise missing_extra("langchain", exc) from exc

__all__ = ["LangGraphChatSequrityAI"]

#: ``ChatOpenAI`` options with no meaning here (session headers are always read).
_IGNORED = ("include_response_headers",)


class LangGraphChatSequrityAI(ChatSequrity):
    """
    The official ``ChatOpenAI``-style model for LangChain and LangGraph, as a `ChatSequrity`.

    Like the official one it keeps one conversation: ``session_id`` is `None` until the first
    answer, which sets it; later calls send it until `reset_session` or `set_session_id`. Unlike
    the official one, concurrent calls cannot flip it: a call sends the id held when it starts,
    and its answer is kept only if nobody changed the id meanwhile (the first session wins).
    A call that names a session (``session_id=...`` or ``configurable``) uses that one and
    leaves the held id alone. For independent conversations on one model, use `ChatSequrity`.

    Args:
        sequrity_api_key: Your Sequrity API key.
        features: ``X-Features``.
        security_policy: ``X-Policy``.
        fine_grained_config: ``X-Config``.
        service_provider: The LLM provider route (default ``openrouter``).
        llm_api_key: Your provider key (``X-Api-Key``).
        base_url: Default ``$SEQURITY_BASE_URL``, else the public endpoint.
        endpoint_type: ``chat`` (default), ``code``, ``agent`` or ``lang-graph``.
        model: The model name (default ``gpt-4``, as in the official SDK).
        **kwargs: Other `ChatSequrity` fields (``temperature``, ``max_tokens``, ``timeout``,
            ``max_retries``, ``default_headers``, ``streaming``...).
    """

    _slot: SessionSlot = PrivateAttr(default_factory=SessionSlot)

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
        model: str = "gpt-4",
        **kwargs: Any,
    ) -> None:
        for name in _IGNORED:
            kwargs.pop(name, None)
        super().__init__(
            api_key=SecretStr(sequrity_api_key),
            features=features,
            security_policy=security_policy,
            fine_grained_config=fine_grained_config,
            provider=str(service_provider),
            llm_api_key=SecretStr(llm_api_key) if llm_api_key is not None else None,
            base_url=base_url,
            endpoint_type=str(endpoint_type),
            model=model,
            **kwargs,
        )

    @classmethod
    def is_lc_serializable(cls) -> bool:
        """Not serialisable: its constructor differs from `ChatSequrity`'s; it holds a session."""
        return False

    @property
    def session_id(self) -> str | None:
        """The session the next call continues, or `None` for a new one."""
        return self._slot.id

    def set_session_id(self, session_id: str | None) -> None:
        """Continue `session_id` from the next call on (`None` starts a new session)."""
        self._slot.set(session_id)

    def reset_session(self) -> None:
        """Start a new session with the next call."""
        self._slot.set(None)

    def _default_session(self) -> str | None:
        return self._slot.id

    def _offer(self, sent: str | None, received: str | None) -> None:
        self._slot.offer(sent, received)
