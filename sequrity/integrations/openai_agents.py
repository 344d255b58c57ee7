"""
The OpenAI Agents SDK on the Sequrity Control API: `SequrityProvider` (a ``ModelProvider``) and
its models, `SequrityChatModel` (Chat Completions) and `SequrityResponsesModel` (Responses).

Our client sends every request (the OpenAI SDK's HTTP stack is not used); the Agents SDK's
converters translate its items, tools and stream events. Needs ``pip install 'sequrity[agents]'``.

Sessions are per call, never per object: tool calls carry their session in their ``tc-`` ids,
and a run names one with ``ModelSettings(extra_headers={"X-Session-ID": ...})`` (or
``extra_args={"session_id": ...}``). Dual-LLM result envelopes become the answer's text; a
failure envelope raises `PolicyViolationError`, whose ``session_id`` continues the session.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any, Literal

from .. import AsyncSequrityClient
from ..control import ControlConfig
from ..types import to_dict
from ._agents_responses import SequrityResponsesModel
from ._agents_stream import chat_events
from ._extras import missing_extra
from ._results import SessionSlot, unwrap_text

try:
    from agents import RunConfig
    from agents.agent_output import AgentOutputSchemaBase
    from agents.exceptions import ModelBehaviorError, UserError
    from agents.handoffs import Handoff
    from agents.items import ModelResponse, TResponseInputItem, TResponseStreamEvent
    from agents.model_settings import ModelSettings
    from agents.models import get_default_model
    from agents.models.chatcmpl_converter import Converter
    from agents.models.interface import Model, ModelProvider, ModelTracing
    from agents.tool import Tool
    from agents.tracing import generation_span
    from openai.types.chat import ChatCompletionMessage
    from openai.types.responses.response_prompt_param import ResponsePromptParam
except ImportError as exc:  # pragma: no cover - the extra is installed where this runs
    raise missing_extra("agents", exc) from exc

from ._agents_request import chat_request, usage_of

__all__ = ["SequrityChatModel", "SequrityProvider", "SequrityResponsesModel"]

#: Set (unless already set) when a provider is built with ``tracing=False``.
TRACING_ENV = "OPENAI_AGENTS_DISABLE_TRACING"


class SequrityChatModel(Model):
    """
    An Agents SDK `Model` that sends Chat Completions through ``client.control.chat``.

    Args:
        model: The model name(s) (``"planner,quarantined"`` for two in Dual-LLM mode).
        client: The client that sends (its `ControlConfig` supplies headers and provider).
        session: Internal: the official-style object whose one conversation the model follows
            (`SessionSlot`); `None` (the default) keeps no session between calls.
    """

    def __init__(
        self, model: str, client: AsyncSequrityClient, *, session: SessionSlot | None = None
    ) -> None:
        self.model = model
        self.client = client
        self._session = session

    def _default_session(self) -> str | None:
        return None if self._session is None else self._session.id

    def _offer(self, sent: Any, received: str | None) -> None:
        if self._session is not None:
            self._session.offer(sent, received)

    @staticmethod
    def _refuse_server_state(previous_response_id: str | None, conversation_id: str | None) -> None:
        if previous_response_id is not None or conversation_id is not None:
            raise UserError(
                "Chat Completions keep no server-side conversation: drop previous_response_id "
                "and conversation_id, or use SequrityProvider(api='responses')"
            )

    async def get_response(
        self,
        system_instructions: str | None,
        input: str | list[TResponseInputItem],
        model_settings: ModelSettings,
        tools: list[Tool],
        output_schema: AgentOutputSchemaBase | None,
        handoffs: list[Handoff[Any, Any]],
        tracing: ModelTracing,
        *,
        previous_response_id: str | None = None,
        conversation_id: str | None = None,
        prompt: ResponsePromptParam | None = None,
    ) -> ModelResponse:
        """
        Send one chat request and give its answer as Responses output items.

        Raises:
            PolicyViolationError: The Dual-LLM run ended with ``status: "failure"``.
            SequrityError: The request failed (a typed subclass).
        """
        self._refuse_server_state(previous_response_id, conversation_id)
        request = chat_request(
            self.model,
            system_instructions,
            input,
            model_settings,
            tools,
            output_schema,
            handoffs,
            default_session=self._default_session(),
        )
        with generation_span(model=self.model, disabled=tracing.is_disabled()) as span:
            response = await self.client.control.chat.create(**request, stream=False)
            session_id = response.session_id
            self._offer(request["session_id"], session_id)
            payload = to_dict(response)
            choices = payload.get("choices") or []
            if not choices:
                raise ModelBehaviorError("the chat completion has no choices")
            message = dict(choices[0]["message"])
            if not message.get("tool_calls"):
                message["content"], _ = unwrap_text(message.get("content"), session_id=session_id)
            usage = usage_of(payload.get("usage"))
            span.span_data.usage = {
                "input_tokens": usage.input_tokens,
                "output_tokens": usage.output_tokens,
            }
            if tracing.include_data():
                span.span_data.input = request["messages"]
                span.span_data.output = [message]
        items = Converter.message_to_output_items(ChatCompletionMessage.model_construct(**message))
        return ModelResponse(
            output=items, usage=usage, response_id=None, request_id=response.request_id
        )

    async def stream_response(
        self,
        system_instructions: str | None,
        input: str | list[TResponseInputItem],
        model_settings: ModelSettings,
        tools: list[Tool],
        output_schema: AgentOutputSchemaBase | None,
        handoffs: list[Handoff[Any, Any]],
        tracing: ModelTracing,
        *,
        previous_response_id: str | None = None,
        conversation_id: str | None = None,
        prompt: ResponsePromptParam | None = None,
    ) -> AsyncIterator[TResponseStreamEvent]:
        """
        Stream one chat request as Responses stream events (text deltas as they arrive; a
        Dual-LLM envelope, written once the program has finished, as one unwrapped delta).

        Raises:
            PolicyViolationError: The Dual-LLM run ended with ``status: "failure"``.
            SequrityError: The request or the stream failed (a typed subclass).
        """
        self._refuse_server_state(previous_response_id, conversation_id)
        request = chat_request(
            self.model,
            system_instructions,
            input,
            model_settings,
            tools,
            output_schema,
            handoffs,
            default_session=self._default_session(),
        )
        if model_settings.include_usage:
            extra = dict(request.get("extra_body") or {})
            request["extra_body"] = {**extra, "stream_options": {"include_usage": True}}
        with generation_span(model=self.model, disabled=tracing.is_disabled()):
            stream = await self.client.control.chat.create(**request, stream=True)
            self._offer(request["session_id"], stream.session_id)
            async with stream:
                async for event in chat_events(self.model, stream, model_settings):
                    yield event


def _quiet_tracing() -> None:
    # The Agents SDK exports traces to OpenAI by default. Default the switch to "off" unless
    # the user already set it; an explicit `agents.set_tracing_disabled(...)` still wins.
    os.environ.setdefault(TRACING_ENV, "1")


class SequrityProvider(ModelProvider):
    """
    An Agents SDK `ModelProvider` whose models talk to the Sequrity Control API.

    Example:
        >>> provider = SequrityProvider(control=ControlConfig(features=FeaturesHeader.dual_llm()))
        >>> result = await Runner.run(agent, "Hi", run_config=provider.run_config())

    Args:
        client: The client to send with; you keep ownership. Without one, the provider builds
            one from `client_options` (``api_key``, ``base_url``, ``control``, ``retry``...,
            else ``$SEQURITY_API_KEY``/``$SEQURITY_BASE_URL``) and `aclose` closes it.
        api: ``"chat"`` (Chat Completions, the Dual-LLM tool protocol) or ``"responses"``.
        default_model: The model for an agent that names none (default: the Agents SDK's).
        tracing: Leave the Agents SDK's trace export as it is. By default (False) building a
            provider sets ``OPENAI_AGENTS_DISABLE_TRACING=1`` unless that variable is already
            set, so runs send no traces to anyone; ``agents.set_tracing_disabled(False)``,
            the variable set to ``0``, or ``tracing=True`` keep tracing on.
        control: Shorthand for ``client_options["control"]``.
        client_options: Keyword arguments of `AsyncSequrityClient` (without `client`).
    """

    def __init__(
        self,
        client: AsyncSequrityClient | None = None,
        *,
        api: Literal["chat", "responses"] = "chat",
        default_model: str | None = None,
        tracing: bool = False,
        control: ControlConfig | None = None,
        **client_options: Any,
    ) -> None:
        if api not in ("chat", "responses"):
            raise ValueError(f"api must be 'chat' or 'responses', got {api!r}")
        if client is not None and (client_options or control is not None):
            raise ValueError("pass either a client or options to build one, not both")
        if control is not None:
            client_options["control"] = control
        self._owns_client = client is None
        self.client = client if client is not None else AsyncSequrityClient(**client_options)
        self.api = api
        self.default_model = default_model
        self.tracing = tracing
        self._session: SessionSlot | None = None
        self._models: dict[str, Model] = {}
        if not tracing:
            _quiet_tracing()

    def get_model(self, model_name: str | None) -> Model:
        """
        Give the model for `model_name` (cached per name; models keep no conversation state).

        Args:
            model_name: The agent's model, or `None` for `default_model`.

        Returns:
            A `SequrityChatModel` or `SequrityResponsesModel`.
        """
        name = model_name or self.default_model or get_default_model()
        found = self._models.get(name)
        if found is None:
            kind = SequrityChatModel if self.api == "chat" else SequrityResponsesModel
            found = self._models[name] = kind(name, self.client, session=self._session)
        return found

    def run_config(self, **options: Any) -> RunConfig:
        """
        Give an Agents SDK ``RunConfig`` that uses this provider, with tracing off unless this
        provider was built with ``tracing=True``.

        Args:
            **options: Other ``RunConfig`` fields (``model``, ``model_settings``...).

        Returns:
            The ``RunConfig``.
        """
        options.setdefault("tracing_disabled", not self.tracing)
        return RunConfig(model_provider=self, **options)

    async def aclose(self) -> None:
        """Close the client when this provider built it (a client you passed stays open)."""
        if self._owns_client:
            await self.client.aclose()
