"""
Utility endpoints (§1.7, §2.11): ``GET /control/health``, ``GET /control/`` (route listing) and
``POST /control/v1/validate-headers``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..._converter import dumps
from ..._core._retry import RetryPolicy
from ..._core._wire import ApiRequest, Timeout
from ..._exceptions import SequrityValidationError
from ..._sentinel import NOT_GIVEN, NotGiven
from .._plain_request import build_plain_request
from .._request import ClientState
from ..types._header_json import render_header
from ..types.headers import FeaturesHeader, FineGrainedConfigHeader, SecurityPolicyHeader
from ..types.utility import HeaderValidationReport, HealthStatus, RouteListing
from ._base import AsyncResource

if TYPE_CHECKING:
    pass

__all__ = [
    "HEALTH_PATH",
    "ROUTES_PATH",
    "VALIDATE_HEADERS_PATH",
    "AsyncUtilityResource",
    "build_get_request",
    "build_validate_headers_request",
    "validate_headers_body",
]

HEALTH_PATH = "/control/health"
ROUTES_PATH = "/control/"
VALIDATE_HEADERS_PATH = "/control/v1/validate-headers"


def build_get_request(
    state: ClientState, path: str, timeout: Timeout | float | None | NotGiven = NOT_GIVEN
) -> ApiRequest:
    """
    Build a ``GET`` of `path` with the client's base headers and no body (pure).
    """
    return build_plain_request(state, "GET", state.base_url + path, None, timeout=timeout)


def _one_header(
    name: str,
    value: Any,
    cls: type[Any],
    default: Any,
    overrides: Mapping[str, Any] | None,
    overrides_name: str,
) -> str | None:
    if value is NOT_GIVEN:
        value = default
    if isinstance(value, str):
        if overrides:
            raise SequrityValidationError(
                f"{overrides_name} cannot be combined with a header string for {name}; "
                "pass a header object instead"
            )
        return value
    if value is not None and not isinstance(value, cls):
        raise SequrityValidationError(
            f"{name} must be a {cls.__name__}, a header string or None, got {type(value).__name__}"
        )
    return render_header(value, overrides)


def validate_headers_body(
    state: ClientState,
    *,
    features: FeaturesHeader | str | None | NotGiven = NOT_GIVEN,
    security_policy: SecurityPolicyHeader | str | None | NotGiven = NOT_GIVEN,
    fine_grained_config: FineGrainedConfigHeader | str | None | NotGiven = NOT_GIVEN,
    feature_overrides: Mapping[str, Any] | None = None,
    policy_overrides: Mapping[str, Any] | None = None,
    config_overrides: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """
    Render the header strings to validate, keyed ``x_features``, ``x_policy``, ``x_config`` (pure);
    a header that would not be sent is left out.

    Raises:
        SequrityValidationError: a value of the wrong type, or overrides with a header string.
    """
    cfg = state.config
    rendered = {
        "x_features": _one_header(
            "features",
            features,
            FeaturesHeader,
            cfg.features,
            feature_overrides,
            "feature_overrides",
        ),
        "x_policy": _one_header(
            "security_policy",
            security_policy,
            SecurityPolicyHeader,
            cfg.security_policy,
            policy_overrides,
            "policy_overrides",
        ),
        "x_config": _one_header(
            "fine_grained_config",
            fine_grained_config,
            FineGrainedConfigHeader,
            cfg.fine_grained_config,
            config_overrides,
            "config_overrides",
        ),
    }
    return {k: v for k, v in rendered.items() if v is not None}


def build_validate_headers_request(
    state: ClientState, body: Mapping[str, str], timeout: Timeout | float | None | NotGiven
) -> ApiRequest:
    """
    Build the ``POST /control/v1/validate-headers`` request for rendered header strings (pure).
    """
    url = state.base_url + VALIDATE_HEADERS_PATH
    return build_plain_request(state, "POST", url, dumps(dict(body)), timeout=timeout)


class AsyncUtilityResource(AsyncResource):
    """
    Health, route listing and header validation (``client.control.utility``).
    """

    async def health(
        self,
        *,
        timeout: Timeout | float | None | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | int | None | NotGiven = NOT_GIVEN,
    ) -> HealthStatus:
        """
        Check that the Control API is up (``GET /control/health``).

        Args:
            timeout: Deadlines for this call: seconds (total) or a `Timeout`.
            retry: Retry policy for this call: a `RetryPolicy`, a number of retries, or `None`.

        Returns:
            A `HealthStatus`; `HealthStatus.is_ok` tells whether the server reported ``"ok"``.

        Raises:
            SequrityAPIError: the server answered with an error status (a typed subclass).
            SequrityConnectionError: no usable answer (a `SequrityTimeoutError` for deadlines).
            SequrityDecodeError: the answer is not a JSON object.
        """
        request = build_get_request(self._client._state, HEALTH_PATH, timeout)
        return await self._client._request(request, HealthStatus, retry)

    async def list_routes(
        self,
        *,
        timeout: Timeout | float | None | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | int | None | NotGiven = NOT_GIVEN,
    ) -> RouteListing:
        """
        List the routes the server serves (``GET /control/``).

        Args:
            timeout: Deadlines for this call: seconds (total) or a `Timeout`.
            retry: Retry policy for this call: a `RetryPolicy`, a number of retries, or `None`.

        Returns:
            A `RouteListing` of `RouteInfo` (method and path).

        Raises:
            SequrityAPIError: the server answered with an error status (a typed subclass).
            SequrityConnectionError: no usable answer (a `SequrityTimeoutError` for deadlines).
            SequrityDecodeError: the answer is not a route listing.
        """
        request = build_get_request(self._client._state, ROUTES_PATH, timeout)
        return await self._client._request(request, RouteListing, retry)

    async def validate_headers(
        self,
        *,
        features: FeaturesHeader | str | None | NotGiven = NOT_GIVEN,
        security_policy: SecurityPolicyHeader | str | None | NotGiven = NOT_GIVEN,
        fine_grained_config: FineGrainedConfigHeader | str | None | NotGiven = NOT_GIVEN,
        feature_overrides: Mapping[str, Any] | None = None,
        policy_overrides: Mapping[str, Any] | None = None,
        config_overrides: Mapping[str, Any] | None = None,
        timeout: Timeout | float | None | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | int | None | NotGiven = NOT_GIVEN,
    ) -> HeaderValidationReport:
        """
        Ask the server whether configuration headers are valid (``POST /control/v1/validate-headers``).

        Each header is rendered exactly as a chat call would send it and validated independently.

        Args:
            features: ``X-Features`` to check: a `FeaturesHeader` or the header string itself;
                `None` skips it; not given checks the client's `ControlConfig` default.
            security_policy: ``X-Policy`` to check, likewise.
            fine_grained_config: ``X-Config`` to check, likewise.
            feature_overrides: JSON deep-merged into ``X-Features`` (header objects only).
            policy_overrides: JSON deep-merged into ``X-Policy`` (header objects only).
            config_overrides: JSON deep-merged into ``X-Config`` (header objects only).
            timeout: Deadlines for this call: seconds (total) or a `Timeout`.
            retry: Retry policy for this call: a `RetryPolicy`, a number of retries, or `None`.

        Returns:
            A `HeaderValidationReport` with one `HeaderCheck` per header sent (`None` for the
            others).

        Raises:
            SequrityValidationError: a value of the wrong type, or overrides given with a header
                string; nothing was sent.
            SequrityAPIError: the server answered with an error status (a typed subclass).
            SequrityConnectionError: no usable answer (a `SequrityTimeoutError` for deadlines).
            SequrityDecodeError: the answer is not a validation report.
        """
        state = self._client._state
        body = validate_headers_body(
            state,
            features=features,
            security_policy=security_policy,
            fine_grained_config=fine_grained_config,
            feature_overrides=feature_overrides,
            policy_overrides=policy_overrides,
            config_overrides=config_overrides,
        )
        request = build_validate_headers_request(state, body, timeout)
        return await self._client._request(request, HeaderValidationReport, retry)
