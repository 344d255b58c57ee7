"""
Utility endpoints (§1.7, §2.11): ``GET /control/health``, ``GET /control/`` (route listing) and
``POST /control/v1/validate-headers``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Unpack

from ..._converter import dumps
from ..._core._raw import raw_async
from ..._core._wire import ApiRequest, Timeout
from ..._exceptions import SequrityValidationError
from ..._sentinel import NOT_GIVEN, NotGiven
from .._options import CallOptions, HeaderCheckOptions, refuse_unknown, spread_signature
from .._plain_request import build_plain_request
from .._request import ClientState
from ..types._header_json import render_header
from ..types.headers import FeaturesHeader, FineGrainedConfigHeader, SecurityPolicyHeader
from ..types.utility import HeaderValidationReport, HealthStatus, RouteListing
from ._base import AsyncResource

__all__ = [
    "HEALTH_PATH",
    "ROUTES_PATH",
    "VALIDATE_HEADERS_PATH",
    "AsyncUtilityResource",
    "AsyncUtilityWithRawResponse",
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
    state: ClientState, **options: Unpack[HeaderCheckOptions]
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
            options.get("features", NOT_GIVEN),
            FeaturesHeader,
            cfg.features,
            options.get("feature_overrides"),
            "feature_overrides",
        ),
        "x_policy": _one_header(
            "security_policy",
            options.get("security_policy", NOT_GIVEN),
            SecurityPolicyHeader,
            cfg.security_policy,
            options.get("policy_overrides"),
            "policy_overrides",
        ),
        "x_config": _one_header(
            "fine_grained_config",
            options.get("fine_grained_config", NOT_GIVEN),
            FineGrainedConfigHeader,
            cfg.fine_grained_config,
            options.get("config_overrides"),
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


_CALL_KEYS = CallOptions.__optional_keys__
_CHECK_KEYS = HeaderCheckOptions.__optional_keys__


class AsyncUtilityResource(AsyncResource):
    """
    Health, route listing and header validation (``client.control.utility``).
    """

    @property
    def with_raw_response(self) -> AsyncUtilityWithRawResponse:
        """The methods returning a `RawResponse` (status, headers, retries...) around their result."""
        return AsyncUtilityWithRawResponse(self)

    async def _get(self, name: str, path: str, cls: type[Any], options: CallOptions) -> Any:
        refuse_unknown(f"utility.{name}", options, _CALL_KEYS)
        exchange = self._exchange
        request = build_get_request(exchange.state, path, options.get("timeout", NOT_GIVEN))
        return await exchange.request(request, cls, retry=options.get("retry", NOT_GIVEN))

    @spread_signature(CallOptions)
    async def health(self, **options: Unpack[CallOptions]) -> HealthStatus:
        """
        Check that the Control API is up (``GET /control/health``).

        Args:
            **options: `CallOptions`: ``timeout``, ``retry``.

        Returns:
            A `HealthStatus`; `HealthStatus.is_ok` tells whether the server reported ``"ok"``.

        Raises:
            SequrityAPIError: the server answered with an error status (a typed subclass).
            SequrityConnectionError: no usable answer (a `SequrityTimeoutError` for deadlines).
            SequrityDecodeError: the answer is not a JSON object.
        """
        status: HealthStatus = await self._get("health", HEALTH_PATH, HealthStatus, options)
        return status

    @spread_signature(CallOptions)
    async def list_routes(self, **options: Unpack[CallOptions]) -> RouteListing:
        """
        List the routes the server serves (``GET /control/``).

        Args:
            **options: `CallOptions`: ``timeout``, ``retry``.

        Returns:
            A `RouteListing` of `RouteInfo` (method and path).

        Raises:
            SequrityAPIError: the server answered with an error status (a typed subclass).
            SequrityConnectionError: no usable answer (a `SequrityTimeoutError` for deadlines).
            SequrityDecodeError: the answer is not a route listing.
        """
        routes: RouteListing = await self._get("list_routes", ROUTES_PATH, RouteListing, options)
        return routes

    @spread_signature(HeaderCheckOptions)
    async def validate_headers(
        self, **options: Unpack[HeaderCheckOptions]
    ) -> HeaderValidationReport:
        """
        Ask the server whether configuration headers are valid (``POST /control/v1/validate-headers``).

        Each header is rendered exactly as a chat call would send it and validated independently.

        Args:
            **options: `HeaderCheckOptions`: ``features``, ``security_policy`` and
                ``fine_grained_config`` to check (a header object or the header string itself;
                `None` skips it; not given checks the client's `ControlConfig` default), the
                ``*_overrides`` (header objects only), ``timeout``, ``retry``.

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
        refuse_unknown("utility.validate_headers", options, _CHECK_KEYS)
        exchange = self._exchange
        state = exchange.state
        body = validate_headers_body(state, **options)
        request = build_validate_headers_request(state, body, options.get("timeout", NOT_GIVEN))
        return await exchange.request(
            request, HeaderValidationReport, retry=options.get("retry", NOT_GIVEN)
        )


class AsyncUtilityWithRawResponse:
    """``utility.with_raw_response``: the methods returning a `RawResponse` around their result."""

    def __init__(self, utility: AsyncUtilityResource) -> None:
        self.health = raw_async(utility.health)
        self.list_routes = raw_async(utility.list_routes)
        self.validate_headers = raw_async(utility.validate_headers)
