"""``POST /control/policy-gen[/{provider}]/v1/generate``: SQRT policies from a plain description."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Unpack

from ..._converter import dumps
from ..._core._raw import raw_async
from ..._core._wire import ApiRequest
from ..._sentinel import NOT_GIVEN
from .._options import KeyOptions, refuse_unknown, spread_signature
from .._plain_request import build_plain_request
from .._policy_urls import policy_gen_url
from .._request import ClientState
from ..types.policy_gen import PolicyGenRequest, PolicyGenResponse, policy_gen_body
from ._base import AsyncResource

__all__ = ["AsyncPolicyResource", "AsyncPolicyWithRawResponse", "build_policy_gen_request"]

_KEYS = KeyOptions.__optional_keys__


def build_policy_gen_request(
    state: ClientState,
    request: PolicyGenRequest | Mapping[str, Any],
    **options: Unpack[KeyOptions],
) -> ApiRequest:
    """
    Validate a policy-generation request and build the `ApiRequest` (pure): the URL follows the
    request's ``type``; no session or configuration header is sent.

    Raises:
        SequrityValidationError: the request is invalid (see `policy_gen_body`).
    """
    typed, body = policy_gen_body(request)
    return build_plain_request(
        state,
        "POST",
        policy_gen_url(state.base_url, typed.type),
        dumps(body),
        llm_api_key=options.get("llm_api_key", NOT_GIVEN),
        custom_headers=options.get("custom_headers"),
        timeout=options.get("timeout", NOT_GIVEN),
    )


class AsyncPolicyResource(AsyncResource):
    """
    Policy generation (``client.control.policy``).
    """

    @property
    def with_raw_response(self) -> AsyncPolicyWithRawResponse:
        """`generate` returning a `RawResponse` (status, headers, retries...) around its result."""
        return AsyncPolicyWithRawResponse(self)

    @spread_signature(KeyOptions)
    async def generate(
        self,
        request: PolicyGenRequest | Mapping[str, Any],
        **options: Unpack[KeyOptions],
    ) -> PolicyGenResponse:
        """
        Generate a SQRT security policy for an agent's tools from a plain-language description.

        The request's ``type`` names the tools' format and picks the route: ``oai_chat_completion``
        goes to OpenAI, ``anthropic_messages`` to Anthropic, the ``sequrity_azure_*`` types to
        Sequrity Azure and ``openrouter_chat_completion`` to the default route (OpenRouter).
        Unlike the official async client, no ``X-Session-ID`` is ever sent (nor ``X-Features``,
        ``X-Policy`` or ``X-Config``), whatever the client's session or `ControlConfig`.

        Args:
            request: A `PolicyGenRequest` variant, or a dict with ``type``, ``model``,
                ``description`` and optionally ``tools``, ``policy_lang`` (``"sqrt"``),
                ``n_retries`` (default 3), ``internal_tool_names``.
            **options: `KeyOptions`: ``llm_api_key`` (``X-Api-Key``; not given uses the
                client's `ControlConfig`, `None` sends none), ``custom_headers``, ``timeout``,
                ``retry``.

        Returns:
            The `PolicyGenResponse` with the SQRT source in `policies` and the token `usage`.

        Raises:
            SequrityValidationError: an unknown type, or ``oai_responses`` (modelled, but not
                supported by the server yet), a missing field, an unknown key or a negative
                ``n_retries``; nothing was sent.
            SequrityAPIError: the server answered with an error status (a typed subclass).
            SequrityConnectionError: no usable answer (a `SequrityTimeoutError` for deadlines).
            SequrityDecodeError: the answer is not a generated policy.
        """
        refuse_unknown("policy.generate", options, _KEYS)
        exchange = self._exchange
        api_request = build_policy_gen_request(exchange.state, request, **options)
        retry = options.get("retry", NOT_GIVEN)
        return await exchange.request(api_request, PolicyGenResponse, retry=retry)


class AsyncPolicyWithRawResponse:
    """``policy.with_raw_response``: `generate` returning a `RawResponse` around its result."""

    def __init__(self, policy: AsyncPolicyResource) -> None:
        self.generate = raw_async(policy.generate)


def __getattr__(name: str) -> Any:
    """The official SDK's name of the blocking class (loaded on first use)."""
    from ..._lazy import blocking_twin

    return blocking_twin(__name__, name, {"PolicyResource": "PolicyResource"})
