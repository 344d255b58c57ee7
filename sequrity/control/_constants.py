"""
The official SDK's URL and header helpers (``sequrity.control._constants``), as thin functions over
the URL rules of `sequrity.control._urls` and `sequrity.control._policy_urls`.

Unlike the official helpers, base URLs are normalised first (a trailing ``/`` or ``/control`` does
not produce ``//`` or ``/control/control``), and providers are checked against the API style.
"""

from __future__ import annotations

from typing import Final

from .._client import DEFAULT_BASE_URL
from .._exceptions import SequrityValidationError
from ._enums import LlmServiceProvider, LlmServiceProviderStr, RestApiType
from ._policy_urls import policy_gen_provider
from ._urls import (
    CHAT_COMPLETIONS,
    MESSAGES,
    RESPONSES,
    _route,
    _value,
    control_url,
    normalize_base_url,
)

__all__ = [
    "SEQURITY_API_VERSION",
    "SEQURITY_BASE_URL",
    "build_control_base_url",
    "build_control_url",
    "build_policy_gen_url",
    "build_sequrity_headers",
]

#: The public endpoint.
SEQURITY_BASE_URL: Final = DEFAULT_BASE_URL
#: The API version segment of every route.
SEQURITY_API_VERSION: Final = "v1"

_SUFFIX: Final[dict[str, str]] = {
    RestApiType.CHAT_COMPLETIONS: CHAT_COMPLETIONS,
    RestApiType.MESSAGES: MESSAGES,
    RestApiType.RESPONSES: RESPONSES,
}


def build_policy_gen_url(
    base_url: str, request_type: str, version: str = SEQURITY_API_VERSION
) -> str:
    """
    Return the policy-generation URL for a request type.

    Args:
        base_url: The service's base URL.
        request_type: The request's ``type`` (``oai_chat_completion``, ``anthropic_messages``...);
            ``openrouter_chat_completion`` and unknown types go to the default route.
        version: The API version segment.

    Returns:
        ``{base}/control/policy-gen[/{provider}]/{version}/generate``.
    """
    provider = policy_gen_provider(request_type)
    segment = f"/{provider}" if provider else ""
    return f"{normalize_base_url(base_url)}/control/policy-gen{segment}/{version}/generate"


def _prefix(base_url: str, endpoint_type: object, provider: object, version: str) -> str:
    # `_route` checks the endpoint type and the provider; an empty suffix skips the check of
    # which providers serve an API style.
    route = _route(_value(endpoint_type) or "", _value(provider) or None, "")
    return normalize_base_url(base_url) + route.removesuffix("/v1/") + "/" + version


def build_control_base_url(
    base_url: str,
    endpoint_type: str,
    provider: LlmServiceProvider | LlmServiceProviderStr | None = None,
    version: str = SEQURITY_API_VERSION,
) -> str:
    """
    Return the URL up to the version segment, for clients that append their own API path.

    Args:
        base_url: The service's base URL.
        endpoint_type: ``chat``, ``code``, ``agent`` or ``lang-graph``.
        provider: The provider segment, or `None` for the default route.
        version: The API version segment.

    Returns:
        ``{base}/control/{endpoint_type}[/{provider}]/{version}``.

    Raises:
        SequrityValidationError: An unknown endpoint type or provider.
    """
    return _prefix(base_url, endpoint_type, provider, version)


def build_control_url(
    base_url: str,
    endpoint_type: str,
    rest_api_type: RestApiType | str,
    provider: LlmServiceProvider | LlmServiceProviderStr | None = None,
    version: str = SEQURITY_API_VERSION,
) -> str:
    """
    Return the complete URL of a Control API route.

    Args:
        base_url: The service's base URL.
        endpoint_type: ``chat``, ``code``, ``agent`` or ``lang-graph``.
        rest_api_type: ``chat_completions``, ``messages`` or ``responses``.
        provider: The provider segment, or `None` for the default route.
        version: The API version segment.

    Raises:
        SequrityValidationError: An unknown endpoint type, provider or API style, or a provider
            the API style is not served by.
    """
    suffix = _SUFFIX.get(str(rest_api_type))
    if suffix is None:
        styles = ", ".join(repr(str(s)) for s in _SUFFIX)
        raise SequrityValidationError(
            f"unknown rest_api_type {rest_api_type!r}; expected one of {styles}"
        )
    control_url(normalize_base_url(base_url), endpoint_type, provider, suffix)  # checks
    return f"{_prefix(base_url, endpoint_type, provider, version)}/{suffix}"


def build_sequrity_headers(
    api_key: str,
    *,
    llm_api_key: str | None = None,
    features: str | None = None,
    policy: str | None = None,
    config: str | None = None,
    session_id: str | None = None,
) -> dict[str, str]:
    """
    Return the headers of a Control API request (header values already serialised, e.g. by
    ``dump_for_headers()``); empty values are left out.
    """
    headers = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"}
    optional = {
        "X-Api-Key": llm_api_key,
        "X-Features": features,
        "X-Policy": policy,
        "X-Config": config,
        "X-Session-ID": session_id,
    }
    headers.update({name: value for name, value in optional.items() if value})
    return headers
