"""
Building one Control API request (pure): per-call options resolved against the client's
`ControlConfig` (NOT_GIVEN means "use the default", `None` means "send nothing"), the URL, and the
headers.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Unpack

import attrs

from .._core._limits import DEFAULT_LIMITS, Limits
from .._core._wire import ApiRequest, Timeout
from .._exceptions import SequrityValidationError
from .._lazy import load
from .._sentinel import NOT_GIVEN, NotGiven
from ._config import ControlConfig
from ._urls import control_url

if TYPE_CHECKING:
    from ._options import CreateOptions

__all__ = [
    "ClientState",
    "build_control_request",
    "check_header_name",
    "check_header_value",
    "check_model",
    "merge_headers",
    "new_idempotency_key",
]

_ACCEPT_JSON = "application/json"
_ACCEPT_SSE = "text/event-stream"


def new_idempotency_key() -> str:
    """
    A fresh ``Idempotency-Key``: one per logical request, repeated on every retry so the server
    can deduplicate (128 random bits; ``os.urandom`` is about 4x cheaper than a `uuid.UUID`).
    """
    return "sq-" + os.urandom(16).hex()


#: Control characters a header value may not hold (RFC 9110 allows only HTAB among them).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: An HTTP header name: one or more token characters (RFC 9110, section 5.6.2).
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def check_header_value(name: str, value: str) -> str:
    """
    Refuse header values that would break the HTTP framing or that HTTP forbids: line breaks, NUL
    and every other control character except tab, and anything not ASCII.

    Raises:
        SequrityValidationError: naming the header (its value is never echoed: it may be a secret).
    """
    if not isinstance(value, str):
        raise SequrityValidationError(
            f"header {name!r} must be a string, got {type(value).__name__}"
        )
    if "\r" in value or "\n" in value or "\x00" in value:
        raise SequrityValidationError(f"header {name!r} contains a line break or NUL; refused")
    if _CONTROL.search(value):
        raise SequrityValidationError(
            f"header {name!r} contains a control character (only tab is allowed); refused"
        )
    if not value.isascii():
        raise SequrityValidationError(f"header {name!r} contains non-ASCII characters; refused")
    return value


def check_header_name(name: object) -> str:
    """
    Refuse a header name that is not an HTTP token (letters, digits and ``!#$%&'*+-.^_`|~``).

    Raises:
        SequrityValidationError: naming the offending name.
    """
    if not isinstance(name, str) or not _TOKEN.fullmatch(name):
        raise SequrityValidationError(
            f"invalid header name {name!r}: use letters, digits and !#$%&'*+-.^_`|~ only"
        )
    return name


def merge_headers(headers: dict[str, str], custom: Mapping[str, str]) -> dict[str, str]:
    """
    Merge `custom` into `headers` case-insensitively: a custom ``authorization`` replaces the
    ``Authorization`` line instead of adding a second one.

    Raises:
        SequrityValidationError: an invalid header name or value.
    """
    lower = {k.lower(): k for k in headers}
    for name, value in custom.items():
        check_header_name(name)
        check_header_value(name, value)
        existing = lower.get(name.lower())
        if existing is not None:
            del headers[existing]
        headers[name] = value
        lower[name.lower()] = name
    return headers


def check_model(model: Any) -> Any:
    """
    Refuse an empty or blank model name, which would be sent and fail upstream. Other types are
    left to the body's converter, which names ``request.model`` in its error.

    Raises:
        SequrityValidationError: naming the ``model`` argument.
    """
    if isinstance(model, str) and not model.strip():
        raise SequrityValidationError(f"model must be a non-empty model name, got {model!r}")
    return model


#: Headers the SDK sets per request, by lower-case name: a default header spelled differently
#: (``accept``) is renamed to this spelling so the per-request value replaces it.
_MANAGED = {
    name.lower(): name
    for name in (
        "Accept",
        "Authorization",
        "Content-Type",
        "User-Agent",
        "X-Api-Key",
        "X-Features",
        "X-Policy",
        "X-Config",
        "X-Session-ID",
        "Idempotency-Key",
    )
}


def canonical_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """
    Copy `headers`, spelling the names of SDK-managed headers canonically (pure).
    """
    return {_MANAGED.get(k.lower(), k): v for k, v in headers.items()}


@attrs.frozen
class ClientState:
    """
    What every request of one client shares: computed once at construction.

    Attributes:
        base_url: Normalised base URL.
        base_headers: Authorization, User-Agent and default headers.
        timeout: The client's default deadlines.
        config: The client's `ControlConfig` defaults.
        limits: The client's response size limits.
    """

    base_url: str
    base_headers: Mapping[str, str] = attrs.field(converter=canonical_headers)
    timeout: Timeout
    config: ControlConfig
    limits: Limits = DEFAULT_LIMITS
    # (suffix, stream) -> the URL and headers of a call that changes no default (see `_prepared`).
    _prepared: dict[tuple[str, bool], tuple[str, dict[str, str]]] = attrs.field(
        init=False, factory=dict, eq=False, repr=False
    )


#: Per header argument: the header class it takes (``"module:Class"``, loaded when a call first
#: has a header to send), and the argument that takes raw JSON instead.
_HEADER_ARGUMENTS: dict[str, tuple[str, str]] = {
    "features": ("sequrity.control.types._features:FeaturesHeader", "feature_overrides"),
    "security_policy": ("sequrity.control.types._policy:SecurityPolicyHeader", "policy_overrides"),
    "fine_grained_config": (
        "sequrity.control.types._fine_grained:FineGrainedConfigHeader",
        "config_overrides",
    ),
}


def _check_header_object(field: str, obj: object) -> None:
    path, overrides = _HEADER_ARGUMENTS[field]
    cls: type[Any] = load(path)
    if not isinstance(obj, cls):
        raise SequrityValidationError(
            f"{field} must be a {cls.__name__} (for example {cls.__name__}.dual_llm()) or None, "
            f"got {type(obj).__name__}; pass raw JSON as {overrides}=... instead"
        )


#: The options a call may give and still use its client's prepared URL and headers.
_PER_CALL = frozenset({"session_id", "retry", "extra_body"})


def _prepared(state: ClientState, suffix: str, stream: bool) -> tuple[str, dict[str, str]]:
    """
    The URL and headers of a call that changes none of its client's defaults, built once per
    client state (which is immutable) and copied per call: the same as the general path builds.
    """
    key = (suffix, stream)
    found = state._prepared.get(key)
    if found is None:
        request = _build(state, suffix, b"", stream, None, {})
        found = state._prepared[key] = (request.url, dict(request.headers))
    return found


def build_control_request(
    state: ClientState,
    suffix: str,
    body: bytes,
    *,
    stream: bool,
    session: str | None | NotGiven = NOT_GIVEN,
    **options: Unpack[CreateOptions],
) -> ApiRequest:
    """
    Build the `ApiRequest` for one call of a Control API resource.

    Every option follows the NOT_GIVEN-vs-None rule: a key left out takes the client default,
    `None` sends nothing (no header, the provider-less route, a new session). `session`, when
    given, is the session the caller resolved (its binding's when the call named none) and wins
    over ``session_id``; ``retry`` and ``extra_body`` are not the request's business.
    """
    if not _PER_CALL.issuperset(options):
        return _build(state, suffix, body, stream, session, options)
    url, prepared = _prepared(state, suffix, stream)
    headers = prepared.copy()
    headers["Idempotency-Key"] = new_idempotency_key()
    sid = options.get("session_id") if session is NOT_GIVEN else session
    if sid:
        headers["X-Session-ID"] = check_header_value("X-Session-ID", sid)
    return ApiRequest("POST", url, headers, body, state.timeout, stream, state.limits)


def _build(
    state: ClientState,
    suffix: str,
    body: bytes,
    stream: bool,
    session: str | None | NotGiven,
    options: Mapping[str, Any],
) -> ApiRequest:
    """`build_control_request`, every option considered."""
    cfg = state.config
    et = options.get("endpoint_type", NOT_GIVEN)
    if et is NOT_GIVEN:
        et = cfg.endpoint_type
    if et is None:
        raise SequrityValidationError(
            "endpoint_type cannot be None; use 'chat', 'code', 'agent' or 'lang-graph'"
        )
    provider = options.get("provider", NOT_GIVEN)
    url = control_url(
        state.base_url, et, cfg.provider if provider is NOT_GIVEN else provider, suffix
    )

    headers = dict(state.base_headers)
    headers["Accept"] = _ACCEPT_SSE if stream else _ACCEPT_JSON
    headers["Idempotency-Key"] = new_idempotency_key()
    key = options.get("llm_api_key", NOT_GIVEN)
    if key is NOT_GIVEN:
        key = cfg.llm_api_key
    if key:
        headers["X-Api-Key"] = check_header_value("X-Api-Key", key)
    _render_config_headers(headers, cfg, options)
    sid = options.get("session_id") if session is NOT_GIVEN else session
    if sid is NOT_GIVEN:
        sid = None
    if sid:
        headers["X-Session-ID"] = check_header_value("X-Session-ID", sid)
    custom = options.get("custom_headers")
    if custom:
        merge_headers(headers, custom)
    timeout = options.get("timeout", NOT_GIVEN)
    t = state.timeout if timeout is NOT_GIVEN else Timeout.coerce(timeout, state.timeout)
    return ApiRequest("POST", url, headers, body, t, stream, state.limits)


#: Per header: its name, the option taking the header object, and the one taking raw JSON.
_CONFIG_HEADERS = (
    ("X-Features", "features", "feature_overrides"),
    ("X-Policy", "security_policy", "policy_overrides"),
    ("X-Config", "fine_grained_config", "config_overrides"),
)


def _render_config_headers(
    headers: dict[str, str], cfg: ControlConfig, options: Mapping[str, Any]
) -> None:
    for name, field, overrides_name in _CONFIG_HEADERS:
        obj = options.get(field, NOT_GIVEN)
        if obj is NOT_GIVEN:
            obj = getattr(cfg, field)
        overrides = options.get(overrides_name)
        if obj is None and not overrides:
            continue
        if obj is not None:
            _check_header_object(field, obj)
        from .types._header_json import render_header  # the header models load with it

        value = render_header(obj, overrides)
        if value is not None:
            headers[name] = value
