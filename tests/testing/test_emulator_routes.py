"""Tests for the emulator's routing: chat routes, utility routes, 404 and 405."""

from __future__ import annotations

import aiohttp
import pytest
from emulator_helpers import AUTH, body, post

from sequrity.control._urls import API_PROVIDERS, CHAT_COMPLETIONS, ENDPOINT_TYPES
from sequrity.testing import Emulator
from sequrity.testing._routes import default_routes

pytestmark = pytest.mark.anyio

CHAT_PATHS = [
    f"/control/{endpoint_type}{'/' + provider if provider else ''}/v1/chat/completions"
    for endpoint_type in ENDPOINT_TYPES
    for provider in API_PROVIDERS[CHAT_COMPLETIONS]
]


@pytest.mark.parametrize("path", CHAT_PATHS)
async def test_every_chat_route_answers(
    http: aiohttp.ClientSession, emu: Emulator, path: str
) -> None:
    """Every endpoint type x chat provider route answers a chat completion."""
    status, data, headers = await post(http, emu, body("hi"), path=path)

    assert status == 200
    assert data["object"] == "chat.completion"
    assert headers["X-Session-ID"]


@pytest.mark.parametrize("path", ["/health", "/control/health"])
async def test_health_routes(http: aiohttp.ClientSession, emu: Emulator, path: str) -> None:
    """Both health routes answer 200 {"status": "ok"} without auth."""
    async with http.get(emu.base_url + path) as resp:
        assert resp.status == 200
        assert await resp.json() == {"status": "ok"}


async def test_route_listing(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """GET /control/ lists every served route with its method."""
    async with http.get(emu.base_url + "/control/") as resp:
        routes = (await resp.json())["routes"]

    assert {"method": "POST", "path": "/control/chat/v1/chat/completions"} in routes
    assert {"method": "POST", "path": "/control/v1/validate-headers"} in routes
    assert {"method": "GET", "path": "/health"} in routes
    served = {(spec.method, spec.path) for spec in default_routes()}
    assert {(r["method"], r["path"]) for r in routes} == served
    assert len(routes) == len(served)


async def test_unknown_path_is_404(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """An unknown path answers 404 {"detail": "Not Found"}, even without auth."""
    async with http.post(emu.base_url + "/control/nope/v1/chat/completions", json={}) as resp:
        assert resp.status == 404
        assert await resp.json() == {"detail": "Not Found"}
        assert resp.headers["X-Request-ID"].startswith("req_")


async def test_anthropic_chat_route_is_404(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Anthropic does not serve Chat Completions, so its chat route does not exist."""
    status, data, _ = await post(
        http, emu, body(), path="/control/chat/anthropic/v1/chat/completions"
    )

    assert (status, data) == (404, {"detail": "Not Found"})


async def test_wrong_method_is_405(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """GET on a chat route answers 405 with an Allow header."""
    async with http.get(emu.base_url + "/control/chat/v1/chat/completions", headers=AUTH) as resp:
        assert resp.status == 405
        assert await resp.json() == {"detail": "Method Not Allowed"}
        assert resp.headers["Allow"] == "POST"


@pytest.mark.parametrize(
    "path", ["/control/v1/chat/completions", "/control/openai/v1/chat/completions"]
)
async def test_legacy_routes_answer_like_chat(
    http: aiohttp.ClientSession, emu: Emulator, path: str
) -> None:
    """The v0.3 routes answer exactly as the current chat route would."""
    status, data, _ = await post(http, emu, body("what is 2 + 3"), path=path)

    assert status == 200
    assert data["choices"][0]["message"]["content"] == "5"


async def test_responses_carry_request_and_session_ids(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """Every response carries X-Request-ID (req_<hex>) and X-Session-ID."""
    async with http.get(emu.base_url + "/health") as resp:
        request_id = resp.headers["X-Request-ID"]

        assert request_id.startswith("req_")
        int(request_id[4:], 16)
        assert len(resp.headers["X-Session-ID"]) == 36
