"""
One-shot chat-completion functions under the chat-completion reference's import path
(``sequrity.control.chat_completion``). They open a client, send one request and close it; for more
than one request, keep a `SequrityClient` or `AsyncSequrityClient` instead (it pools connections).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .._sentinel import NOT_GIVEN, NotGiven
from ..types.chat_completion.request import Message
from ..types.chat_completion.response import ChatCompletionResponse

__all__ = ["create_chat_completion", "create_chat_completion_sync"]


def _client_kwargs(api_key: str | None, base_url: str | None, timeout: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"api_key": api_key, "base_url": base_url}
    if timeout is not NOT_GIVEN:
        kwargs["timeout"] = timeout
    return kwargs


def create_chat_completion_sync(
    messages: Iterable[Message | Mapping[str, Any]],
    model: str,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    service_provider: str | None | NotGiven = NOT_GIVEN,
    timeout: Any = NOT_GIVEN,
    **kwargs: Any,
) -> ChatCompletionResponse:
    """
    Send one chat completion from blocking code and return the response.

    Args:
        messages: The conversation (dicts or typed messages).
        model: The provider's model name.
        api_key: Sequrity API key; defaults to ``$SEQURITY_API_KEY``.
        base_url: Defaults to ``$SEQURITY_BASE_URL``, else the public endpoint.
        service_provider: The provider route (``openai``, ``openrouter``, ...); `None` for the
            server's default provider.
        timeout: Deadlines for the request (seconds or a `sequrity.Timeout`).
        **kwargs: Any other keyword of ``client.control.chat.create`` (``llm_api_key``,
            ``features``, ``security_policy``, ``fine_grained_config``, ``session_id``, ...),
            except ``stream``.

    Returns:
        The `ChatCompletionResponse`.
    """
    from .._sync_client import SequrityClient

    _refuse_stream(kwargs)
    if service_provider is not NOT_GIVEN:
        kwargs["provider"] = service_provider
    with SequrityClient(**_client_kwargs(api_key, base_url, timeout)) as client:
        response: ChatCompletionResponse = client.control.chat.create(messages, model, **kwargs)
        return response


async def create_chat_completion(
    messages: Iterable[Message | Mapping[str, Any]],
    model: str,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    service_provider: str | None | NotGiven = NOT_GIVEN,
    timeout: Any = NOT_GIVEN,
    **kwargs: Any,
) -> ChatCompletionResponse:
    """
    The async twin of `create_chat_completion_sync` (same arguments).
    """
    from .._client import AsyncSequrityClient

    _refuse_stream(kwargs)
    if service_provider is not NOT_GIVEN:
        kwargs["provider"] = service_provider
    async with AsyncSequrityClient(**_client_kwargs(api_key, base_url, timeout)) as client:
        response: ChatCompletionResponse = await client.control.chat.create(
            messages, model, **kwargs
        )
        return response


def _refuse_stream(kwargs: Mapping[str, Any]) -> None:
    if kwargs.get("stream"):
        from .._exceptions import SequrityValidationError

        raise SequrityValidationError(
            "the one-shot functions do not stream (the client would close under the stream); "
            "use client.control.chat.create(..., stream=True)"
        )
