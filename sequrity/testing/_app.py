"""
The aiohttp application: one dispatcher per route of the table, authentication, request
recording, request ids, session headers, request-phase faults, and JSON ``404``/``405``/``500``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Iterable

from aiohttp import web
from aiohttp.typedefs import Handler as AiohttpHandler

from ._context import STATE, Context, EmulatorState, RouteSpec
from ._errors import HttpError
from ._faults import Fault
from ._outcome import Outcome, StreamOutcome, json_error
from ._records import RecordedRequest
from ._sessions import new_session_id
from ._writer import hard_reset, write_json, write_stream

__all__ = ["build_app", "check_auth"]

_log = logging.getLogger("sequrity.testing")


def check_auth(state: EmulatorState, request: web.Request) -> None:
    """
    Require exactly one ``Authorization: Bearer <token>`` header with an accepted token.

    Raises:
        HttpError: ``401`` naming what is wrong.
    """
    challenge = {"WWW-Authenticate": "Bearer"}
    values = request.headers.getall("Authorization", [])
    if not values:
        raise HttpError(
            401,
            "Missing Authorization header; send 'Authorization: Bearer <your Sequrity API key>'",
            challenge,
        )
    if len(values) > 1:
        raise HttpError(401, "Multiple Authorization headers; send exactly one", challenge)
    scheme, _, token = values[0].strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise HttpError(
            401,
            "Malformed Authorization header; expected 'Bearer <your Sequrity API key>'",
            challenge,
        )
    if state.api_keys is not None and token not in state.api_keys:
        raise HttpError(401, "Invalid API key", challenge)


async def _request_fault(
    fault: Fault | None, sleep: Callable[[float], Awaitable[None]]
) -> Outcome | None:
    if fault is None:
        return None
    if fault.kind == "delay":
        await sleep(fault.seconds)
        return None
    if fault.kind == "status":
        return json_error(fault.status, fault.detail, fault.headers)
    return None


async def _serve(
    request: web.Request, route: RouteSpec | None, missing: web.HTTPException | None
) -> web.StreamResponse:
    state = request.app[STATE]
    request_id = f"req_{uuid.uuid4().hex}"
    body = await request.read()
    record = RecordedRequest.build(
        method=request.method,
        path=request.path,
        query_string=request.query_string,
        headers=request.headers,
        body=body,
        request_id=request_id,
    )
    state.requests.append(record)
    fault = state.faults.take(request.path, "request")
    if fault is not None and fault.kind == "reset":
        hard_reset(request)
        return web.Response()
    outcome = await _request_fault(fault, state.faults.sleep)
    if outcome is None:
        outcome = await _answer(request, state, route, missing, record, request_id)
    headers = {"X-Request-ID": request_id}
    if "X-Session-ID" not in outcome.headers:
        headers["X-Session-ID"] = request.headers.get("X-Session-ID") or new_session_id()
    if isinstance(outcome, StreamOutcome):
        return await write_stream(
            request, outcome, headers, state.faults.take(request.path, "stream")
        )
    return await write_json(request, outcome, headers, state.faults.take(request.path, "json"))


async def _answer(
    request: web.Request,
    state: EmulatorState,
    route: RouteSpec | None,
    missing: web.HTTPException | None,
    record: RecordedRequest,
    request_id: str,
) -> Outcome:
    try:
        if route is None:
            if isinstance(missing, web.HTTPMethodNotAllowed):
                allow = ", ".join(sorted(missing.allowed_methods))
                return json_error(405, "Method Not Allowed", {"Allow": allow})
            return json_error(404, "Not Found")
        if route.auth:
            check_auth(state, request)
        ctx = Context(
            request=request, state=state, route=route, record=record, request_id=request_id
        )
        return await route.handler(ctx)
    except HttpError as exc:
        return json_error(exc.status, exc.detail, exc.headers)
    except Exception as exc:  # the emulator must answer, and say what broke
        _log.exception("emulator handler failed")
        return json_error(500, f"Internal emulator error: {type(exc).__name__}: {exc}")


def _dispatcher(route: RouteSpec) -> AiohttpHandler:
    async def dispatch(request: web.Request) -> web.StreamResponse:
        return await _serve(request, route, None)

    return dispatch


@web.middleware
async def _not_found_middleware(
    request: web.Request, handler: AiohttpHandler
) -> web.StreamResponse:
    missing = request.match_info.http_exception
    if missing is not None:
        return await _serve(request, None, missing)
    return await handler(request)


def build_app(state: EmulatorState, routes: Iterable[RouteSpec]) -> web.Application:
    """
    Build the aiohttp application serving `routes` with `state`.

    Args:
        state: The emulator state (its `routes` is set to the table served).
        routes: The route table; see `sequrity.testing._routes.default_routes`.

    Returns:
        The application, not yet started.
    """
    table = tuple(routes)
    state.routes = table
    app = web.Application(middlewares=[_not_found_middleware], client_max_size=64 * 1024 * 1024)
    app[STATE] = state
    for route in table:
        app.router.add_route(route.method, route.path, _dispatcher(route))
    return app
