"""
Utility routes: health checks, the route listing and ``POST /control/v1/validate-headers`` (§2.11).
"""

from __future__ import annotations

from typing import Any, Final

from ._context import Context
from ._errors import HttpError
from ._header_check import check_header
from ._outcome import JsonOutcome, Outcome

__all__ = ["health", "list_routes", "validate_headers"]

_KINDS: Final = ("x_features", "x_policy", "x_config")


async def health(ctx: Context) -> Outcome:
    """
    ``GET /health`` and ``GET /control/health``: ``{"status": "ok"}``.
    """
    return JsonOutcome(body={"status": "ok"})


async def list_routes(ctx: Context) -> Outcome:
    """
    ``GET /control/``: every route served, as ``{"routes": [{"method", "path"}, ...]}``.
    """
    routes = [{"method": r.method, "path": r.path} for r in ctx.state.routes]
    return JsonOutcome(body={"routes": routes})


async def validate_headers(ctx: Context) -> Outcome:
    """
    ``POST /control/v1/validate-headers``: check each given header string independently.

    The body is ``{"x_features"?: str, "x_policy"?: str, "x_config"?: str}`` (other keys are
    ignored); each answer key is `None` when not given, else ``{"valid", "normalized", "errors"}``.
    The checks are those a chat request's headers get (`check_header`), SQRT code included.
    """
    body = ctx.json_object()
    problems: list[dict[str, Any]] = []
    result: dict[str, Any] = {}
    for kind in _KINDS:
        text = body.get(kind)
        if text is None:
            result[kind] = None
        elif not isinstance(text, str):
            problems.append(
                {
                    "type": "string_type",
                    "loc": ["body", kind],
                    "msg": "Input should be a valid string",
                }
            )
        else:
            result[kind] = check_header(kind, text, ctx.state.policy).to_dict()
    if problems:
        raise HttpError(422, problems)
    return JsonOutcome(body=result)
