"""
Building requests that carry no session or configuration headers (pure): policy generation and the
utility endpoints.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from .._core._wire import ApiRequest, Timeout
from .._sentinel import NOT_GIVEN, NotGiven
from ._request import ClientState, check_header_value, merge_headers, new_idempotency_key

__all__ = ["SESSION_AND_CONFIG_HEADERS", "build_plain_request"]

#: Never sent by these requests, even when the client's default headers name them.
SESSION_AND_CONFIG_HEADERS: Final = frozenset(
    {"x-session-id", "x-features", "x-policy", "x-config"}
)


def build_plain_request(
    state: ClientState,
    method: str,
    url: str,
    body: bytes | None,
    *,
    llm_api_key: str | None | NotGiven = None,
    custom_headers: Mapping[str, str] | None = None,
    timeout: Timeout | float | None | NotGiven = NOT_GIVEN,
) -> ApiRequest:
    """
    Build a request with the client's base headers (Authorization, User-Agent, defaults) and
    ``Accept: application/json``, but no ``X-Session-ID``, ``X-Features``, ``X-Policy`` or
    ``X-Config``.

    Args:
        state: The client's shared state.
        method: ``GET`` or ``POST``.
        url: The full URL.
        body: The JSON body, or `None` (then no ``Content-Type`` is sent).
        llm_api_key: ``X-Api-Key``; not given takes the client's `ControlConfig` key, `None` none.
        custom_headers: Extra headers, merged case-insensitively (they win, and may add anything).
        timeout: Deadlines for this call; not given takes the client's.

    Raises:
        SequrityValidationError: a header value or name that cannot be sent.
    """
    headers = {
        k: v for k, v in state.base_headers.items() if k.lower() not in SESSION_AND_CONFIG_HEADERS
    }
    headers["Accept"] = "application/json"
    if body is None:
        headers.pop("Content-Type", None)
    else:
        headers["Content-Type"] = "application/json"
        headers["Idempotency-Key"] = new_idempotency_key()
    key = state.config.llm_api_key if llm_api_key is NOT_GIVEN else llm_api_key
    if key:
        headers["X-Api-Key"] = check_header_value("X-Api-Key", key)
    if custom_headers:
        merge_headers(headers, custom_headers)
    t = state.timeout if timeout is NOT_GIVEN else Timeout.coerce(timeout, state.timeout)
    return ApiRequest(method, url, headers, body, t, limits=state.limits)
