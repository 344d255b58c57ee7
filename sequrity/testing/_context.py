"""
The emulator's shared state (kept on the aiohttp app under a `web.AppKey`), the route table entry
type and the per-request context handed to route handlers.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final

import attrs
from aiohttp import web

from ._errors import HttpError
from ._faults import Faults
from ._outcome import Outcome
from ._policy import PolicyEngine, SqrtPolicyEngine
from ._records import RecordedRequest, RequestLog
from ._script import Script
from ._sessions import SessionStore

__all__ = ["STATE", "Context", "EmulatorState", "Handler", "RouteSpec"]


@attrs.define(kw_only=True, eq=False)
class EmulatorState:
    """
    Everything an emulator instance remembers; shared by its handlers and its test-facing API.
    """

    script: Script = attrs.field(factory=Script)
    faults: Faults = attrs.field(factory=Faults)
    sessions: SessionStore = attrs.field(factory=SessionStore)
    requests: RequestLog = attrs.field(factory=RequestLog)
    api_keys: frozenset[str] | None = None
    policy: PolicyEngine = attrs.field(factory=SqrtPolicyEngine)
    routes: tuple[RouteSpec, ...] = ()
    _counter: itertools.count[int] = attrs.field(factory=lambda: itertools.count(1))
    _lock: threading.Lock = attrs.field(factory=threading.Lock)

    def next_number(self) -> int:
        """
        Return the next number of the emulator-wide counter (completion and call ids).
        """
        with self._lock:
            return next(self._counter)

    def reset(self) -> None:
        """
        Forget scripts, faults, sessions and recorded requests (the counter restarts at 1).
        """
        self.script.clear()
        self.faults.clear()
        self.sessions.clear()
        self.requests.clear()
        with self._lock:
            self._counter = itertools.count(1)


#: Key of the `EmulatorState` on the aiohttp application.
STATE: Final = web.AppKey("sequrity_testing_state", EmulatorState)


@attrs.frozen(kw_only=True)
class Context:
    """
    What a route handler receives.

    Attributes:
        request: The aiohttp request (its body is already read: use `record`).
        state: The emulator state.
        route: The matched route.
        record: The recorded request (raw body, headers).
        request_id: The ``X-Request-ID`` of the answer.
    """

    request: web.Request
    state: EmulatorState
    route: RouteSpec
    record: RecordedRequest
    request_id: str

    def json_object(self) -> dict[str, Any]:
        """
        Decode the body as a JSON object, the way FastAPI refuses bad bodies.

        Raises:
            HttpError: ``422`` with a FastAPI-style ``detail`` list when the body is empty, not
                JSON, or not an object.
        """
        body = self.record.body
        if not body.strip():
            raise HttpError(422, [{"type": "missing", "loc": ["body"], "msg": "Field required"}])
        try:
            value = json.loads(body)
        except ValueError as exc:
            pos = getattr(exc, "pos", 0)
            raise HttpError(
                422,
                [
                    {
                        "type": "json_invalid",
                        "loc": ["body", pos],
                        "msg": "JSON decode error",
                        "ctx": {"error": str(exc)},
                    }
                ],
            ) from None
        if not isinstance(value, dict):
            raise HttpError(
                422,
                [
                    {
                        "type": "model_attributes_type",
                        "loc": ["body"],
                        "msg": "Input should be a valid dictionary or object to extract fields from",
                    }
                ],
            )
        return value


#: A route handler: computes the answer of one request.
Handler = Callable[[Context], Awaitable[Outcome]]


@attrs.frozen(kw_only=True)
class RouteSpec:
    """
    One entry of the route table.

    Attributes:
        method: The HTTP method.
        path: The exact path (``/control/chat/openai/v1/chat/completions``).
        handler: The coroutine computing the answer.
        auth: Whether a bearer token is required.
        params: Values the handler reads (``endpoint_type``, ``provider``, ``legacy``...).
    """

    method: str
    path: str
    handler: Handler
    auth: bool = True
    params: Mapping[str, Any] = attrs.field(factory=dict)
