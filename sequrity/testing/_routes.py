"""
The route table. To serve a new API (Messages, Responses, policy generation), write a handler
``async def handler(ctx: Context) -> Outcome`` in its own module and add its `RouteSpec`s in
`default_routes`; the app, auth, recording, faults and listing pick them up.
"""

from __future__ import annotations

from sequrity.control._urls import API_PROVIDERS, CHAT_COMPLETIONS, ENDPOINT_TYPES

from ._chat import chat_completions
from ._context import RouteSpec
from ._utility import health, list_routes, validate_headers

__all__ = ["chat_routes", "default_routes", "legacy_routes", "utility_routes"]


def chat_routes() -> list[RouteSpec]:
    """
    ``POST /control/{endpoint_type}[/{provider}]/v1/chat/completions`` for every endpoint type
    and every provider that serves Chat Completions (§1.5).
    """
    routes: list[RouteSpec] = []
    for endpoint_type in ENDPOINT_TYPES:
        for provider in API_PROVIDERS[CHAT_COMPLETIONS]:
            segment = f"/{provider}" if provider else ""
            routes.append(
                RouteSpec(
                    method="POST",
                    path=f"/control/{endpoint_type}{segment}/v1/{CHAT_COMPLETIONS}",
                    handler=chat_completions,
                    params={"endpoint_type": endpoint_type, "provider": provider},
                )
            )
    return routes


def legacy_routes() -> list[RouteSpec]:
    """
    The v0.3 layout (§1.8): ``/control[/{provider}]/v1/chat/completions``, served as the ``chat``
    endpoint type.
    """
    return [
        RouteSpec(
            method="POST",
            path=f"/control{'/' + provider if provider else ''}/v1/{CHAT_COMPLETIONS}",
            handler=chat_completions,
            params={"endpoint_type": "chat", "provider": provider, "legacy": True},
        )
        for provider in API_PROVIDERS[CHAT_COMPLETIONS]
    ]


def utility_routes() -> list[RouteSpec]:
    """
    Health checks, the route listing and header validation (no authentication needed).
    """
    return [
        RouteSpec(method="GET", path="/health", handler=health, auth=False),
        RouteSpec(method="GET", path="/control/health", handler=health, auth=False),
        RouteSpec(method="GET", path="/control/", handler=list_routes, auth=False),
        RouteSpec(
            method="POST", path="/control/v1/validate-headers", handler=validate_headers, auth=False
        ),
    ]


def default_routes() -> list[RouteSpec]:
    """
    Every route the emulator serves by default.
    """
    return [*utility_routes(), *chat_routes(), *legacy_routes()]
