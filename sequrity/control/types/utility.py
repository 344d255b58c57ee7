"""
Answers of the utility endpoints (§1.7, §2.11): health, the route listing and the server's verdict
on configuration header strings. Unknown keys are kept in `extra`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ..._converter import EMPTY
from ...types._model_methods import ModelMethods

__all__ = ["HeaderCheck", "HeaderValidationReport", "HealthStatus", "RouteInfo", "RouteListing"]

_extra = attrs.field(default=EMPTY, kw_only=True, repr=False)


@attrs.frozen(kw_only=True)
class HealthStatus(ModelMethods):
    """
    The answer of ``GET /control/health``.

    Attributes:
        status: ``"ok"`` when the service is healthy; `None` when the server sent no status.
        session_id: The answer's ``X-Session-ID`` header, if any (no session is involved).
        request_id: The server's request id, if any.
        extra: Any other keys of the answer.
    """

    status: str | None = None
    session_id: str | None = None
    request_id: str | None = None
    extra: Mapping[str, Any] = _extra

    @property
    def is_ok(self) -> bool:
        """Whether the server reported ``"ok"``."""
        return self.status == "ok"


@attrs.frozen(kw_only=True)
class RouteInfo(ModelMethods):
    """
    One route the server serves.

    Attributes:
        method: The HTTP method (``GET``, ``POST``).
        path: The path (``/control/chat/v1/chat/completions``).
        extra: Any other keys.
    """

    method: str
    path: str
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class RouteListing(ModelMethods):
    """
    The answer of ``GET /control/``.

    Attributes:
        routes: Every route served.
        session_id: The answer's ``X-Session-ID`` header, if any (no session is involved).
        request_id: The server's request id, if any.
        extra: Any other keys of the answer.
    """

    routes: list[RouteInfo] = attrs.field(factory=list)
    session_id: str | None = None
    request_id: str | None = None
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class HeaderCheck(ModelMethods):
    """
    The server's verdict on one header string.

    Attributes:
        valid: Whether the header would be accepted.
        normalized: When valid, the parsed header with server defaults filled in.
        errors: When invalid, one message per problem.
        extra: Any other keys.
    """

    valid: bool
    normalized: dict[str, Any] | None = None
    errors: list[str] = attrs.field(factory=list)
    extra: Mapping[str, Any] = _extra


@attrs.frozen(kw_only=True)
class HeaderValidationReport(ModelMethods):
    """
    The answer of ``POST /control/v1/validate-headers``: one verdict per header sent.

    Attributes:
        x_features: The verdict on ``X-Features``; `None` when it was not sent.
        x_policy: The verdict on ``X-Policy``; `None` when it was not sent.
        x_config: The verdict on ``X-Config``; `None` when it was not sent.
        session_id: The answer's ``X-Session-ID`` header, if any (no session is involved).
        request_id: The server's request id, if any.
        extra: Any other keys of the answer.
    """

    x_features: HeaderCheck | None = None
    x_policy: HeaderCheck | None = None
    x_config: HeaderCheck | None = None
    session_id: str | None = None
    request_id: str | None = None
    extra: Mapping[str, Any] = _extra

    @property
    def is_valid(self) -> bool:
        """Whether every header that was sent is valid."""
        checks = (self.x_features, self.x_policy, self.x_config)
        return all(c.valid for c in checks if c is not None)
