"""``POST /control/policy-gen[/{provider}]/v1/generate``: SQRT policies from a plain description."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..._converter import dumps
from ..._core._retry import RetryPolicy
from ..._core._wire import ApiRequest, Timeout
from ..._sentinel import NOT_GIVEN, NotGiven
from .._plain_request import build_plain_request
from .._policy_urls import policy_gen_url
from .._request import ClientState
from ..types.policy_gen import PolicyGenRequest, PolicyGenResponse, policy_gen_body
from ._base import AsyncResource

if TYPE_CHECKING:
    pass

__all__ = ["AsyncPolicyResource", "build_policy_gen_request"]


def build_policy_gen_request(
    state: ClientState,
    request: PolicyGenRequest | Mapping[str, Any],
    *,
    llm_api_key: str | None | NotGiven = NOT_GIVEN,
    custom_headers: Mapping[str, str] | None = None,
    timeout: Timeout | float | None | NotGiven = NOT_GIVEN,
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
        llm_api_key=llm_api_key,
        custom_headers=custom_headers,
        timeout=timeout,
    )


class AsyncPolicyResource(AsyncResource):
    """
    Policy generation (``client.control.policy``).
    """

    async def generate(
        self,
        request: PolicyGenRequest | Mapping[str, Any],
        *,
        llm_api_key: str | None | NotGiven = NOT_GIVEN,
        custom_headers: Mapping[str, str] | None = None,
        timeout: Timeout | float | None | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | int | None | NotGiven = NOT_GIVEN,
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
            llm_api_key: Your provider key (BYOK), sent as ``X-Api-Key``; not given uses the
                client's `ControlConfig`, `None` sends none.
            custom_headers: Extra headers, merged case-insensitively (they win).
            timeout: Deadlines for this call: seconds (total) or a `Timeout`.
            retry: Retry policy for this call: a `RetryPolicy`, a number of retries, or `None`.

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
        client = self._client
        api_request = build_policy_gen_request(
            client._state,
            request,
            llm_api_key=llm_api_key,
            custom_headers=custom_headers,
            timeout=timeout,
        )
        return await client._request(api_request, PolicyGenResponse, retry)


def __getattr__(name: str) -> Any:
    """The official SDK's name of the blocking class (loaded on first use)."""
    from ..._lazy import blocking_twin

    return blocking_twin(__name__, name, {"PolicyResource": "PolicyResource"})
