"""
`OpenAIClientAdapter`: an ``AsyncOpenAI``-shaped object (``chat.completions.create``,
``responses.create``, ``with_options``, ``copy``, ``close``) whose requests our client sends.

For code written against the OpenAI SDK's client, such as the Agents SDK's
``OpenAIChatCompletionsModel``. It speaks the wire as it is: answers are OpenAI objects built
from the server's JSON, Dual-LLM envelopes included (use `SequrityProvider` for agents that
should see unwrapped answers and raised denials). Needs ``openai`` (``pip install
'sequrity[agents]'``), not the Agents SDK.
"""

from __future__ import annotations

import copy as _copy
import inspect
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

from .. import AsyncSequrityClient, AsyncStream, SequrityValidationError
from ..types import to_dict
from ._extras import missing_extra
from ._openai_events import stream_event
from ._results import SessionSlot, session_from_headers

try:
    from openai import NotGiven, Omit
    from openai.types.chat import ChatCompletion, ChatCompletionChunk
    from openai.types.responses import Response
except ImportError as exc:  # pragma: no cover - the extra is installed where this runs
    raise missing_extra("agents", exc) from exc

__all__ = ["OpenAIClientAdapter", "OpenAIStream"]

_ADAPTER_ONLY = ("extra_headers", "extra_body", "extra_query", "timeout")


def _parameters(method: Callable[..., Any]) -> frozenset[str]:
    return frozenset(inspect.signature(method).parameters)


class OpenAIStream:
    """
    An OpenAI-style async stream over one of our streams: iterate it for OpenAI objects;
    ``close()`` (or ``async with``) releases the connection.

    Attributes:
        session_id: The stream's ``X-Session-ID``.
        response: Always `None` (there is no httpx response).
    """

    def __init__(self, stream: AsyncStream[Any], convert: Callable[[Any], Any | None]) -> None:
        self._stream = stream
        self._convert = convert
        self.session_id = stream.session_id
        self.response = None

    def __aiter__(self) -> OpenAIStream:
        return self

    async def __anext__(self) -> Any:
        while True:
            converted = self._convert(await self._stream.__anext__())
            if converted is not None:
                return converted

    async def close(self) -> None:
        """Release the connection (idempotent)."""
        await self._stream.aclose()

    aclose = close

    async def __aenter__(self) -> OpenAIStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class _Completions:
    def __init__(self, owner: OpenAIClientAdapter) -> None:
        self._owner = owner

    async def create(self, **kwargs: Any) -> Any:
        """
        ``chat.completions.create`` with the OpenAI SDK's keywords (``messages``, ``model``,
        ``tools``, ``stream``, ``extra_headers``...); keywords our client does not know go
        into the JSON body.

        Returns:
            An OpenAI ``ChatCompletion``, or an `OpenAIStream` of ``ChatCompletionChunk``.
        """
        chat = self._owner.client.control.chat
        request = self._owner._request(kwargs, _parameters(chat.create))
        if not request.get("stream"):
            answer = await chat.create(**request)
            self._owner._offer(request["session_id"], answer.session_id)
            return ChatCompletion.model_construct(**to_dict(answer))
        stream = await chat.create(**request)
        self._owner._offer(request["session_id"], stream.session_id)
        return OpenAIStream(stream, lambda c: ChatCompletionChunk.model_construct(**to_dict(c)))


class _Chat:
    def __init__(self, owner: OpenAIClientAdapter) -> None:
        self.completions = _Completions(owner)


class _Responses:
    def __init__(self, owner: OpenAIClientAdapter) -> None:
        self._owner = owner

    async def create(self, **kwargs: Any) -> Any:
        """
        ``responses.create`` with the OpenAI SDK's keywords; unknown keywords go into the body.

        Returns:
            An OpenAI ``Response``, or an `OpenAIStream` of Responses stream events.
        """
        responses = self._owner.client.control.responses
        request = self._owner._request(kwargs, _parameters(responses.create))
        if not request.get("stream"):
            answer = await responses.create(**request)
            self._owner._offer(request["session_id"], answer.session_id)
            return Response.model_construct(**to_dict(answer))
        stream = await responses.create(**request)
        self._owner._offer(request["session_id"], stream.session_id)
        return OpenAIStream(stream, lambda event: stream_event(to_dict(event)))


class OpenAIClientAdapter:
    """
    An ``AsyncOpenAI``-shaped client over `AsyncSequrityClient`.

    Args:
        client: The client that sends; you keep ownership. Without one, the adapter builds
            one from `client_options` (``api_key``, ``base_url``, ``control``...) and `close`
            closes it.
        max_retries: Retries per request (the OpenAI SDK's name); `None` keeps the client's.
        timeout: Seconds (total) per request; `None` keeps the client's.
        default_headers: Headers added to every request.
        track_session: Keep one conversation, as the official SDK's client does: the first
            session id answered is sent with every later request until `reset_session`.
            Off by default: a request continues a session only when it says so
            (``extra_headers={"X-Session-ID": ...}``) or its history carries ``tc-`` ids.
        client_options: Keyword arguments of `AsyncSequrityClient`.
    """

    def __init__(
        self,
        client: AsyncSequrityClient | None = None,
        *,
        max_retries: int | None = None,
        timeout: float | None = None,
        default_headers: Mapping[str, str] | None = None,
        track_session: bool = False,
        **client_options: Any,
    ) -> None:
        if client is not None and client_options:
            raise TypeError("pass either a client or options to build one, not both")
        self._owns_client = client is None
        self.client = client if client is not None else AsyncSequrityClient(**client_options)
        self.max_retries = max_retries
        self.timeout = timeout
        self.default_headers: dict[str, str] = dict(default_headers or {})
        self._slot = SessionSlot() if track_session else None
        self.chat = _Chat(self)
        self.responses = _Responses(self)

    @property
    def base_url(self) -> str:
        """The base URL requests go to (never the OpenAI API's)."""
        return self.client.base_url

    # -- sessions (only with ``track_session=True``) ------------------------------------------

    @property
    def session_id(self) -> str | None:
        """The tracked session id (always `None` without ``track_session=True``)."""
        return None if self._slot is None else self._slot.id

    def set_session_id(self, session_id: str | None) -> None:
        """Continue `session_id` from the next request on (`None` starts a new session)."""
        if self._slot is None:
            self._slot = SessionSlot()
        self._slot.set(session_id)

    def reset_session(self) -> None:
        """Start a new session with the next request."""
        if self._slot is not None:
            self._slot.set(None)

    def _offer(self, sent: str | None, received: str | None) -> None:
        """Record the session a request ended in (see `SessionSlot.offer`)."""
        if self._slot is not None:
            self._slot.offer(sent, received)

    # -- requests -----------------------------------------------------------------------------

    def _request(self, kwargs: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
        """
        Translate OpenAI SDK keywords into ours (pure apart from reading the adapter).

        Args:
            kwargs: The keywords given to ``create``.
            known: The keywords our ``create`` takes.

        Returns:
            Our keyword arguments, with ``session_id`` always set.

        Raises:
            SequrityValidationError: ``extra_query`` is given.
        """
        out: dict[str, Any] = {}
        body: dict[str, Any] = {}
        headers = dict(self.default_headers)
        for key, value in kwargs.items():
            if value is None or isinstance(value, Omit | NotGiven):
                continue
            if key == "extra_headers":
                headers.update({k: str(v) for k, v in value.items()})
            elif key == "extra_body":
                body.update(value)
            elif key == "extra_query":
                raise SequrityValidationError("extra_query is not supported: drop it")
            elif key in known and key not in _ADAPTER_ONLY:
                out[key] = value
            elif key != "timeout":
                body[key] = value
        if isinstance(kwargs.get("timeout"), int | float):
            out["timeout"] = kwargs["timeout"]
        elif self.timeout is not None:
            out["timeout"] = self.timeout
        if self.max_retries is not None:
            out.setdefault("retry", self.max_retries)
        session = session_from_headers(headers)
        custom = {k: v for k, v in headers.items() if k.lower() != "x-session-id"}
        if custom:
            out["custom_headers"] = custom
        if body:
            out["extra_body"] = body
        out.setdefault("session_id", session if session is not None else self.session_id)
        return out

    # -- OpenAI client surface ----------------------------------------------------------------

    def with_options(
        self,
        *,
        max_retries: int | None = None,
        timeout: float | None = None,
        default_headers: Mapping[str, str] | None = None,
        **unsupported: Any,
    ) -> OpenAIClientAdapter:
        """
        Give a copy with other options that shares this one's client and session (the Agents
        SDK calls ``with_options(max_retries=0)`` when it retries by itself).

        Args:
            max_retries: Retries per request.
            timeout: Seconds (total) per request.
            default_headers: Headers that replace this adapter's.
            **unsupported: Other OpenAI client options (none are supported).

        Returns:
            The copy (of the same class); closing it does not close the shared client.

        Raises:
            TypeError: An option this adapter does not support.
        """
        if unsupported:
            raise TypeError(f"unsupported client options: {', '.join(sorted(unsupported))}")
        clone = _copy.copy(self)
        clone._owns_client = False
        if max_retries is not None:
            clone.max_retries = max_retries
        if timeout is not None:
            clone.timeout = timeout
        if default_headers is not None:
            clone.default_headers = dict(default_headers)
        clone.chat = _Chat(clone)
        clone.responses = _Responses(clone)
        return clone

    copy = with_options

    async def close(self) -> None:
        """Close the client when this adapter built it (a client you passed stays open)."""
        if self._owns_client:
            await self.client.aclose()

    aclose = close

    async def __aenter__(self) -> OpenAIClientAdapter:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
