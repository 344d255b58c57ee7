"""
`ChatSequrity`: a LangChain chat model on the Sequrity Control API. ``ainvoke``, ``astream``
and ``abatch`` run on `AsyncSequrityClient`; ``invoke``, ``stream`` and ``batch`` on the blocking
`SequrityClient`. Needs ``pip install 'sequrity[langchain]'``.

The model keeps no conversation state. A request continues a session when its history carries
Dual-LLM ``tc-`` tool-call ids (the server reads them), or when the call names one:
``model.invoke(messages, session_id=...)``, ``model.bind(session_id=...)``, or
``config={"configurable": {"sequrity_session_id": ...}}`` (which LangGraph passes to the
nodes of a run). Every answer has ``response_metadata["session_id"]``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import Any

from .. import AsyncSequrityClient, SequrityClient
from ..control import (
    ControlConfig,
    FeaturesHeader,
    FineGrainedConfigHeader,
    SecurityPolicyHeader,
)
from ._extras import missing_extra
from ._langchain_clients import ClientCache, tool_choice_of
from ._langchain_messages import ChunkConverter, ai_message, wire_messages

try:
    from langchain_core.callbacks import (
        AsyncCallbackManagerForLLMRun,
        CallbackManagerForLLMRun,
    )
    from langchain_core.language_models import BaseChatModel, LanguageModelInput
    from langchain_core.language_models.base import LangSmithParams
    from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
    from langchain_core.runnables import Runnable, RunnableConfig, ensure_config
    from langchain_core.tools import BaseTool
    from langchain_core.utils import secret_from_env
    from langchain_core.utils.function_calling import convert_to_openai_tool
    from pydantic import ConfigDict, Field, PrivateAttr, SecretStr
except ImportError as exc:  # pragma: no cover - the extra is installed where this runs
    raise missing_extra("langchain", exc) from exc

__all__ = ["SESSION_KEY", "ChatSequrity"]

#: The ``configurable`` key that names the session of a run.
SESSION_KEY = "sequrity_session_id"

#: Call keywords that are options of ``chat.create`` rather than body parameters.
_CALL_OPTIONS = (
    "features",
    "security_policy",
    "fine_grained_config",
    "feature_overrides",
    "policy_overrides",
    "config_overrides",
    "provider",
    "llm_api_key",
    "endpoint_type",
    "custom_headers",
    "timeout",
    "retry",
)


class ChatSequrity(BaseChatModel):
    """
    A LangChain chat model that talks to the Sequrity Control API (Chat Completions).

    Dual-LLM answers arrive unwrapped (the program's value as the message text); a failure
    envelope, such as a policy denial, raises `PolicyViolationError`, whose ``session_id``
    continues the session. Streams hold an envelope back until it is complete, and stream tool
    calls as ``tool_call_chunks``.

    Example:
        >>> model = ChatSequrity(model="openai/gpt-5-mini", features=FeaturesHeader.dual_llm())
        >>> model.bind_tools([get_weather]).invoke("Weather in Paris?")

    Attributes:
        model: The model name(s) (``"planner,quarantined"`` for two in Dual-LLM mode).
        api_key: Your Sequrity API key (default ``$SEQURITY_API_KEY``).
        base_url: Default ``$SEQURITY_BASE_URL``, else the public endpoint.
        provider: The LLM provider route (``openai``, ``openrouter``...); `None` for the
            server's default.
        endpoint_type: ``chat`` (default), ``code``, ``agent`` or ``lang-graph``.
        llm_api_key: Your provider key (``X-Api-Key``).
        features: ``X-Features``.
        security_policy: ``X-Policy``.
        fine_grained_config: ``X-Config``.
        temperature: Sampling temperature.
        max_tokens: Cap on generated tokens (sent as ``max_completion_tokens``).
        top_p: Nucleus-sampling mass.
        stop: Stop sequences.
        reasoning_effort: ``none`` to ``xhigh``.
        timeout: Seconds per request (total); `None` keeps the client's default.
        max_retries: Retries per request; `None` keeps the client's default.
        default_headers: Headers added to every request.
        streaming: Make ``invoke`` stream under the hood (LangChain's convention).
        async_client: An `AsyncSequrityClient` to send with (you keep ownership; it serves
            one event loop). Without it the model builds one per event loop; call `aclose`
            before that loop ends (a client left open when its loop ends is dropped, and
            aiohttp warns about its unclosed connections).
        client: A `SequrityClient` for the blocking methods (you keep ownership). Without it
            the model builds one (`close`).
    """

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, populate_by_name=True)

    model: str
    api_key: SecretStr | None = Field(
        default_factory=secret_from_env("SEQURITY_API_KEY", default=None)
    )
    base_url: str | None = None
    provider: str | None = None
    endpoint_type: str = "chat"
    llm_api_key: SecretStr | None = None
    features: FeaturesHeader | None = None
    security_policy: SecurityPolicyHeader | None = None
    fine_grained_config: FineGrainedConfigHeader | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    top_p: float | None = None
    stop: list[str] | None = None
    reasoning_effort: str | None = None
    timeout: float | None = None
    max_retries: int | None = None
    default_headers: dict[str, str] | None = None
    streaming: bool = False
    async_client: AsyncSequrityClient | None = Field(default=None, exclude=True)
    client: SequrityClient | None = Field(default=None, exclude=True)

    _clients: ClientCache = PrivateAttr(default_factory=ClientCache)

    # -- LangChain metadata -------------------------------------------------------------------

    @property
    def _llm_type(self) -> str:
        return "sequrity-chat"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": self.model, "provider": self.provider, "endpoint_type": self.endpoint_type}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = super()._get_ls_params(stop=stop, **kwargs)
        params["ls_provider"] = "sequrity"
        return params

    @classmethod
    def is_lc_serializable(cls) -> bool:
        """Whether LangChain may serialise the model (`dumpd`/`load`): yes."""
        return True

    @classmethod
    def get_lc_namespace(cls) -> list[str]:
        """The module path LangChain's `load` imports the class from."""
        return ["sequrity", "integrations", "langchain"]

    @property
    def lc_secrets(self) -> dict[str, str]:
        """Secret fields and the environment variables `load` reads them from."""
        return {"api_key": "SEQURITY_API_KEY", "llm_api_key": "SEQURITY_LLM_API_KEY"}

    # -- clients ------------------------------------------------------------------------------

    def _client_options(self) -> dict[str, Any]:
        control = ControlConfig(
            llm_api_key=self.llm_api_key.get_secret_value() if self.llm_api_key else None,
            provider=self.provider,
            endpoint_type=self.endpoint_type,
            features=self.features,
            security_policy=self.security_policy,
            fine_grained_config=self.fine_grained_config,
        )
        options: dict[str, Any] = {
            "api_key": self.api_key.get_secret_value() if self.api_key else None,
            "base_url": self.base_url,
            "control": control,
            "default_headers": self.default_headers,
        }
        if self.timeout is not None:
            options["timeout"] = self.timeout
        if self.max_retries is not None:
            options["retry"] = self.max_retries
        return options

    def _blocking(self) -> SequrityClient:
        if self.client is not None:
            return self.client
        clients = self._clients
        with clients.lock:
            if clients.blocking is None:
                clients.blocking = SequrityClient(**self._client_options())
            return clients.blocking

    def _async(self) -> AsyncSequrityClient:
        if self.async_client is not None:
            return self.async_client
        return self._clients.for_loop(
            asyncio.get_running_loop(), lambda: AsyncSequrityClient(**self._client_options())
        )

    async def aclose(self) -> None:
        """Close the async client this model built for the running event loop, if any."""
        with self._clients.lock:
            found = self._clients.by_loop.pop(asyncio.get_running_loop(), None)
        if found is not None:
            await found.aclose()

    def close(self) -> None:
        """Close the blocking client this model built, if any."""
        with self._clients.lock:
            found, self._clients.blocking = self._clients.blocking, None
        if found is not None:
            found.close()

    # -- sessions (official-style subclasses keep one) ----------------------------------------

    def _default_session(self) -> str | None:
        return None

    def _offer(self, sent: str | None, received: str | None) -> None:
        return None

    @staticmethod
    def _with_session(config: RunnableConfig | None, kwargs: dict[str, Any]) -> dict[str, Any]:
        if "session_id" in kwargs:
            return kwargs
        session = (ensure_config(config).get("configurable") or {}).get(SESSION_KEY)
        return {**kwargs, "session_id": session} if session else kwargs

    def invoke(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> AIMessage:
        """`BaseChatModel.invoke`, with the session of ``configurable["sequrity_session_id"]``."""
        return super().invoke(input, config, stop=stop, **self._with_session(config, kwargs))

    async def ainvoke(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> AIMessage:
        """`BaseChatModel.ainvoke`, with the session of ``configurable["sequrity_session_id"]``."""
        kwargs = self._with_session(config, kwargs)
        return await super().ainvoke(input, config, stop=stop, **kwargs)

    def stream(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> Iterator[AIMessageChunk]:
        """`BaseChatModel.stream`, with the session of ``configurable["sequrity_session_id"]``."""
        return super().stream(input, config, stop=stop, **self._with_session(config, kwargs))

    def astream(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[AIMessageChunk]:
        """`BaseChatModel.astream`, with the session of ``configurable["sequrity_session_id"]``."""
        return super().astream(input, config, stop=stop, **self._with_session(config, kwargs))

    # -- requests -----------------------------------------------------------------------------

    def _request(
        self, messages: list[BaseMessage], stop: list[str] | None, kwargs: Mapping[str, Any]
    ) -> dict[str, Any]:
        options = {k: v for k, v in kwargs.items() if not k.startswith("ls_") and k != "stream"}
        session = options.pop("session_id", None)
        request: dict[str, Any] = {
            "messages": wire_messages(messages),
            "model": options.pop("model", self.model),
            "temperature": options.pop("temperature", self.temperature),
            "top_p": options.pop("top_p", self.top_p),
            "max_completion_tokens": options.pop("max_tokens", self.max_tokens),
            "stop": stop or self.stop or None,
            "tools": options.pop("tools", None),
            "tool_choice": options.pop("tool_choice", None),
            "response_format": options.pop("response_format", None),
            "reasoning_effort": options.pop("reasoning_effort", self.reasoning_effort),
            "seed": options.pop("seed", None),
            "session_id": session if session is not None else self._default_session(),
        }
        for key in _CALL_OPTIONS:
            if key in options:
                request[key] = options.pop(key)
        if options:
            request["extra_body"] = options
        return request

    @staticmethod
    def _result(message: AIMessage) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        request = self._request(messages, stop, kwargs)
        response = self._blocking().control.chat.create(**request, stream=False)
        self._offer(request["session_id"], response.session_id)
        return self._result(ai_message(response))

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        request = self._request(messages, stop, kwargs)
        response = await self._async().control.chat.create(**request, stream=False)
        self._offer(request["session_id"], response.session_id)
        return self._result(ai_message(response))

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        request = self._request(messages, stop, kwargs)
        with self._blocking().control.chat.create(**request, stream=True) as stream:
            self._offer(request["session_id"], stream.session_id)
            converter = ChunkConverter(stream.session_id, stream.request_id)
            for chunk in stream:
                message = converter.convert(chunk)
                if message is not None:
                    yield self._emit(message, run_manager)
            tail = converter.close(request["model"])
            if tail is not None:
                yield self._emit(tail, run_manager)

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        request = self._request(messages, stop, kwargs)
        stream = await self._async().control.chat.create(**request, stream=True)
        async with stream:
            self._offer(request["session_id"], stream.session_id)
            converter = ChunkConverter(stream.session_id, stream.request_id)
            async for chunk in stream:
                message = converter.convert(chunk)
                if message is not None:
                    generation = ChatGenerationChunk(message=message)
                    if run_manager is not None and isinstance(message.content, str):
                        await run_manager.on_llm_new_token(message.content, chunk=generation)
                    yield generation
            tail = converter.close(request["model"])
            if tail is not None:
                yield ChatGenerationChunk(message=tail)

    @staticmethod
    def _emit(
        message: AIMessageChunk, run_manager: CallbackManagerForLLMRun | None
    ) -> ChatGenerationChunk:
        generation = ChatGenerationChunk(message=message)
        if run_manager is not None and isinstance(message.content, str):
            run_manager.on_llm_new_token(message.content, chunk=generation)
        return generation

    # -- tools --------------------------------------------------------------------------------

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | bool | dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """
        Bind tools (LangChain tools, functions, pydantic classes or JSON schemas).

        Args:
            tools: The tools.
            tool_choice: ``"auto"``, ``"none"``, ``"any"``/``"required"``/`True` (some tool),
                a tool name, or an OpenAI ``tool_choice`` object.
            **kwargs: Other call keywords to bind (``session_id``, ``parallel_tool_calls``...).

        Returns:
            The model with the tools bound.
        """
        formatted = [convert_to_openai_tool(tool) for tool in tools]
        choice = tool_choice_of(tool_choice)
        if choice is not None:
            kwargs["tool_choice"] = choice
        return super().bind(tools=formatted, **kwargs)
