"""
The route table. To serve a new API (Messages, Responses, policy generation), write a handler
``async def handler(ctx: Context) -> Outcome`` in its own module and add its `RouteSpec`s in
`default_routes`; the app, auth, recording, faults and listing pick them up.
"""

from __future__ import annotations

from sequrity.control._policy_urls import POLICY_GEN_ROUTE_PROVIDERS
from sequrity.control._urls import API_PROVIDERS, CHAT_COMPLETIONS, ENDPOINT_TYPES, MESSAGES

from ._chat import chat_completions
from ._context import RouteSpec
from ._utility import health, list_routes, validate_headers

__all__ = [
    "chat_only_routes",
    "chat_routes",
    "default_routes",
    "legacy_routes",
    "messages_routes",
    "policy_gen_routes",
    "utility_routes",
]


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


def messages_routes() -> list[RouteSpec]:
    """
    ``POST /control/{endpoint_type}[/anthropic]/v1/messages`` for every endpoint type and every
    provider that serves Messages (§1.5).
    """
    from ._messages import messages  # loaded with the routes that serve it

    return [
        RouteSpec(
            method="POST",
            path=f"/control/{endpoint_type}{'/' + provider if provider else ''}/v1/{MESSAGES}",
            handler=messages,
            params={"endpoint_type": endpoint_type, "provider": provider},
        )
        for endpoint_type in ENDPOINT_TYPES
        for provider in API_PROVIDERS[MESSAGES]
    ]


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


def policy_gen_routes() -> list[RouteSpec]:
    """
    ``POST /control/policy-gen[/{provider}]/v1/generate`` for the default route and each provider
    of §1.5 (the handler checks that the request's ``type`` belongs to the route).
    """
    from ._policy_gen import policy_gen

    return [
        RouteSpec(
            method="POST",
            path=f"/control/policy-gen{'/' + provider if provider else ''}/v1/generate",
            handler=policy_gen,
            params={"endpoint_type": "policy-gen", "provider": provider},
        )
        for provider in POLICY_GEN_ROUTE_PROVIDERS
    ]


def chat_only_routes() -> list[RouteSpec]:
    """
    The utility routes and every Chat Completions route (the legacy layout included): what
    ``sequrity chat`` needs from its embedded emulator, without loading the Messages, Responses
    and policy-generation models.
    """
    return [*utility_routes(), *chat_routes(), *legacy_routes()]


def default_routes() -> list[RouteSpec]:
    """
    Every route the emulator serves by default.
    """
    from ._responses import responses_routes

    return [
        *utility_routes(),
        *chat_routes(),
        *messages_routes(),
        *legacy_routes(),
        *policy_gen_routes(),
        *responses_routes(),
    ]
