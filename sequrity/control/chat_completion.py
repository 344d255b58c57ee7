"""
One-shot chat-completion functions under the chat-completion reference's import path
(``sequrity.control.chat_completion``). They open a client, send one request and close it; for more
than one request, keep a `SequrityClient` or `AsyncSequrityClient` instead (it pools connections).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Unpack, cast

from .._core._runner import blocking
from .._exceptions import SequrityValidationError
from .._sentinel import NOT_GIVEN, NotGiven
from ..types.chat_completion.request import Message
from ..types.chat_completion.response import ChatCompletionResponse
from ._options import spread_signature
from .resources.chat import ChatCreateOptions

__all__ = ["create_chat_completion", "create_chat_completion_sync"]


@spread_signature(ChatCreateOptions)
async def create_chat_completion(
    messages: Iterable[Message | Mapping[str, Any]],
    model: str,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    service_provider: str | None | NotGiven = NOT_GIVEN,
    **options: Unpack[ChatCreateOptions],
) -> ChatCompletionResponse:
    """
    Send one chat completion and return the response (`create_chat_completion_sync` is the same
    function for blocking code).

    Args:
        messages: The conversation (dicts or typed messages).
        model: The provider's model name.
        api_key: Sequrity API key; defaults to ``$SEQURITY_API_KEY``.
        base_url: Defaults to ``$SEQURITY_BASE_URL``, else the public endpoint.
        service_provider: The provider route (``openai``, ``openrouter``, ...); `None` for the
            server's default provider.
        **options: Any other keyword of ``client.control.chat.create`` (``timeout``,
            ``llm_api_key``, ``features``, ``security_policy``, ``fine_grained_config``,
            ``session_id``, ...), except ``stream``.

    Returns:
        The `ChatCompletionResponse`.
    """
    from .._client import AsyncSequrityClient

    if cast(Mapping[str, Any], options).get("stream"):
        raise SequrityValidationError(
            "the one-shot functions do not stream (the client would close under the stream); "
            "use client.control.chat.create(..., stream=True)"
        )
    if service_provider is not NOT_GIVEN:
        options["provider"] = service_provider
    async with AsyncSequrityClient(api_key, base_url=base_url) as client:
        response: ChatCompletionResponse = await client.control.chat.create(
            messages, model, **options
        )
        return response


#: `create_chat_completion` for blocking code (the same arguments).
create_chat_completion_sync = blocking(create_chat_completion)
