"""URL building for the Control API (pure): ``{base}/control/{endpoint_type}[/{provider}]/v1/{suffix}``."""

from __future__ import annotations

import functools
from typing import Final
from urllib.parse import urlsplit

from .._exceptions import SequrityValidationError

__all__ = [
    "API_PROVIDERS",
    "CHAT_COMPLETIONS",
    "ENDPOINT_TYPES",
    "MESSAGES",
    "PROVIDERS",
    "RESPONSES",
    "control_url",
    "normalize_base_url",
]

CHAT_COMPLETIONS: Final = "chat/completions"
MESSAGES: Final = "messages"
RESPONSES: Final = "responses"

ENDPOINT_TYPES: Final = ("chat", "code", "agent", "lang-graph")
PROVIDERS: Final = ("openai", "openrouter", "anthropic", "sequrity_azure", "llama")

#: Which providers each API style serves (`None` = the provider-less default route).
#: `llama` is undocumented; it was added to the official enum last and speaks the OpenAI chat
#: format, so we route it for Chat Completions only.
API_PROVIDERS: Final[dict[str, tuple[str | None, ...]]] = {
    CHAT_COMPLETIONS: (None, "openai", "openrouter", "sequrity_azure", "llama"),
    MESSAGES: (None, "anthropic"),
    RESPONSES: (None, "openai", "sequrity_azure"),
}


def _has_userinfo(url: str) -> bool:
    # The authority ends at the first "/", "?" or "#" after "scheme://"; "@" inside it means
    # "user[:password]@host".
    authority = url.partition("://")[2] or url
    for end in "/?#":
        authority = authority.partition(end)[0]
    return "@" in authority


def normalize_base_url(url: str) -> str:
    """
    Validate a base URL and strip trailing slashes and a trailing ``/control``.

    Every route starts with ``/control``, and the REST reference names the API root
    ``https://api.sequrity.ai/control``; that spelling is accepted and means the same as
    ``https://api.sequrity.ai`` (otherwise every request would go to ``/control/control/...``
    and get a bare 404).

    Raises:
        SequrityValidationError: not an ``http://`` or ``https://`` URL with a host, or a URL with
            credentials (``user:password@``; the message never repeats them).
    """
    if not isinstance(url, str):
        raise SequrityValidationError(f"base_url must be a string, got {type(url).__name__}")
    if _has_userinfo(url):
        raise SequrityValidationError(
            "base_url must not contain credentials (user:password@host): they would be sent to "
            "the server and shown in errors and logs; pass the API key as api_key=... instead"
        )
    stripped = url.strip().rstrip("/")
    if stripped.endswith("/control") and "://" in stripped[: -len("/control")]:
        stripped = stripped[: -len("/control")].rstrip("/")
    scheme, sep, rest = stripped.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or not rest or rest.startswith("/"):
        raise SequrityValidationError(
            f"base_url must be an http:// or https:// URL with a host, got {url!r}"
        )
    try:
        parts = urlsplit(stripped)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port outside 0..65535
    except ValueError as exc:  # e.g. an unbalanced "[" in an IPv6 host, or port 99999
        raise SequrityValidationError(f"base_url is not a valid URL ({exc}): {url!r}") from None
    if not host:
        raise SequrityValidationError(f"base_url has no host: {url!r}")
    if any(c in stripped for c in "\r\n\t ?#"):
        raise SequrityValidationError(
            f"base_url must not contain whitespace, a query or a fragment: {url!r}"
        )
    return stripped


def _value(x: object) -> str | None:
    # Enum members (StrEnum) format to their value; plain strings pass through.
    return None if x is None else str(getattr(x, "value", x))


@functools.lru_cache(maxsize=256)
def _route(endpoint_type: str, provider: str | None, suffix: str) -> str:
    if endpoint_type not in ENDPOINT_TYPES:
        raise SequrityValidationError(
            f"unknown endpoint_type {endpoint_type!r}; expected one of "
            + ", ".join(repr(e) for e in ENDPOINT_TYPES)
        )
    if provider is not None and provider not in PROVIDERS:
        raise SequrityValidationError(
            f"unknown provider {provider!r}; expected one of "
            + ", ".join(repr(p) for p in PROVIDERS)
            + " or None for the default route"
        )
    served = API_PROVIDERS.get(suffix)
    if served is not None and provider not in served:
        names = ", ".join("None (default)" if p is None else repr(p) for p in served)
        raise SequrityValidationError(
            f"provider {provider!r} does not serve /{suffix}; that route is served by: {names}"
        )
    segment = f"/{provider}" if provider else ""
    return f"/control/{endpoint_type}{segment}/v1/{suffix}"


def control_url(base_url: str, endpoint_type: object, provider: object, suffix: str) -> str:
    """
    Build the URL of a Control API route.

    Args:
        base_url: Normalised base URL (no trailing slash).
        endpoint_type: ``chat``, ``code``, ``agent`` or ``lang-graph`` (string or enum).
        provider: A provider name or enum, or `None` (or ``""``) for the default route.
        suffix: ``chat/completions``, ``messages`` or ``responses``.

    Raises:
        SequrityValidationError: unknown endpoint type or provider, or a provider the API style
            does not serve (the message lists those that do).
    """
    return base_url + _route(_value(endpoint_type) or "", _value(provider) or None, suffix)
