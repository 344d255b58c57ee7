"""Tests for request validation: 422 body details, config-header 400s and legacy headers."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest
from emulator_helpers import AUTH, CHAT, DUAL, body, post

from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio


async def _raw(http: aiohttp.ClientSession, emu: Emulator, data: bytes) -> tuple[int, Any]:
    headers = {**AUTH, "Content-Type": "application/json"}
    async with http.post(emu.base_url + CHAT, data=data, headers=headers) as resp:
        return resp.status, await resp.json()


async def test_empty_body_is_422(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """An empty body answers 422 'Field required' at loc ['body']."""
    assert await _raw(http, emu, b"") == (
        422,
        {"detail": [{"type": "missing", "loc": ["body"], "msg": "Field required"}]},
    )


async def test_invalid_json_is_422(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A body that is not JSON answers 422 json_invalid with the error position."""
    status, data = await _raw(http, emu, b'{"model": ')

    assert status == 422
    [problem] = data["detail"]
    assert problem["type"] == "json_invalid"
    assert problem["loc"] == ["body", 10]


async def test_non_object_body_is_422(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A JSON array body answers 422 model_attributes_type."""
    status, data = await _raw(http, emu, b"[1, 2]")

    assert status == 422
    assert data["detail"][0]["type"] == "model_attributes_type"


async def test_schema_violations_have_locations(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Schema errors become FastAPI detail entries with loc paths from the SDK's schema."""
    payload = {
        "model": 3,
        "messages": [{"role": "user", "content": [{"type": "text"}]}, {"role": "robot"}],
        "temperature": "hot",
    }

    status, data, _ = await post(http, emu, payload)

    assert status == 422
    by_loc = {tuple(d["loc"]): d for d in data["detail"]}
    assert by_loc[("body", "model")]["type"] == "type_error"
    assert by_loc[("body", "messages", 0, "content", 0, "text")]["msg"] == "Field required"
    assert "unknown role 'robot'" in by_loc[("body", "messages", 1)]["msg"]
    assert ("body", "temperature") in by_loc


async def test_missing_fields_are_listed(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Missing messages and model are both reported."""
    status, data, _ = await post(http, emu, {})

    assert status == 422
    assert [d["loc"] for d in data["detail"]] == [["body", "messages"], ["body", "model"]]


@pytest.mark.parametrize("key", ["schema", "schema_"])
async def test_json_schema_accepts_schema_alias(
    http: aiohttp.ClientSession, emu: Emulator, key: str
) -> None:
    """response_format.json_schema accepts 'schema' and the official SDK's 'schema_'."""
    response_format = {"type": "json_schema", "json_schema": {"name": "x", key: {"type": "object"}}}

    status, _, _ = await post(http, emu, body(response_format=response_format))

    assert status == 200
    assert emu.requests[-1].json["response_format"]["json_schema"][key] == {"type": "object"}


async def test_json_schema_forbids_unknown_keys(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Unknown keys inside json_schema are refused (extra-forbid on the server)."""
    response_format = {"type": "json_schema", "json_schema": {"name": "x", "bogus": 1}}

    status, data, _ = await post(http, emu, body(response_format=response_format))

    assert status == 422
    assert data["detail"][0]["loc"] == ["body", "response_format", "json_schema", "bogus"]


async def test_unknown_top_level_body_fields_are_ignored(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """Unknown body keys are ignored, as the real server does."""
    status, _, _ = await post(http, emu, body(some_future_field=True))

    assert status == 200


@pytest.mark.parametrize("name", ["X-Features", "X-Policy", "X-Config"])
async def test_invalid_json_header_is_400(
    http: aiohttp.ClientSession, emu: Emulator, name: str
) -> None:
    """A config header that is not JSON answers 400 'Invalid JSON in <header> header'."""
    status, data, _ = await post(http, emu, body(), headers={name: "{not json"})

    assert status == 400
    assert data["detail"].startswith(f"Invalid JSON in {name} header: ")


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("X-Features", {"agent_arch": "triple-llm"}, "agent_arch"),
        ("X-Features", {"nope": 1}, "unknown field"),
        ("X-Policy", {"mode": "ultra-strict"}, "mode"),
        ("X-Config", {"fsm": {"max_n_turns": "five"}}, "max_n_turns"),
        ("X-Config", {"fsm": {"bogus": True}}, "bogus"),
    ],
)
async def test_invalid_header_fields_are_400(
    http: aiohttp.ClientSession, emu: Emulator, name: str, value: Any, fragment: str
) -> None:
    """Invalid config fields answer 400 naming the header and the problem."""
    status, data, _ = await post(http, emu, body(), headers={name: json.dumps(value)})

    assert status == 400
    assert data["detail"].startswith(f"Invalid {name} header: ")
    assert fragment in data["detail"]


async def test_legacy_string_codes_are_accepted(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """X-Policy with codes as a bare string (legacy doc example) is accepted."""
    policy = {"mode": "standard", "codes": 'tool "x" { must allow always; }'}

    status, _, headers = await post(http, emu, body(), headers={"X-Policy": json.dumps(policy)})

    assert status == 200
    assert emu.sessions[headers["X-Session-ID"]].policy["codes"]["language"] == "sqrt"


async def test_legacy_features_header_selects_dual(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """X-Security-Features (array form) is converted: 'Dual LLM' switches to Dual-LLM."""
    legacy = [{"feature_name": "Dual LLM", "config_json": '{"mode": "standard"}'}]

    _, data, _ = await post(
        http, emu, body("what is 2 + 2"), headers={"X-Security-Features": json.dumps(legacy)}
    )

    assert json.loads(data["choices"][0]["message"]["content"])["final_return_value"]["value"] == 4


async def test_legacy_policy_header_is_converted(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """X-Security-Policy is converted to the current X-Policy object."""
    legacy = {"language": "sqrt-lite", "codes": ['tool "x" { must allow always; }']}

    status, _, headers = await post(
        http, emu, body(), headers={"X-Security-Policy": json.dumps(legacy)}
    )

    assert status == 200
    policy = emu.sessions[headers["X-Session-ID"]].policy
    assert policy["codes"] == {"code": 'tool "x" { must allow always; }', "language": "sqrt"}


async def test_invalid_legacy_features_is_400(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """An unknown legacy feature name answers 400 naming X-Security-Features."""
    legacy = [{"feature_name": "Quantum LLM"}]

    status, data, _ = await post(
        http, emu, body(), headers={"X-Security-Features": json.dumps(legacy)}
    )

    assert status == 400
    assert data["detail"].startswith("Invalid X-Security-Features header: ")


async def test_legacy_and_current_together_is_400(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """Sending X-Features and X-Security-Features together is ambiguous and refused."""
    headers = {**DUAL, "X-Security-Features": "[]"}

    status, data, _ = await post(http, emu, body(), headers=headers)

    assert status == 400
    assert "not both" in data["detail"]


async def test_legacy_config_header_is_400(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """X-Security-Config has no safe mapping and is refused with a pointer to X-Config."""
    status, data, _ = await post(http, emu, body(), headers={"X-Security-Config": "{}"})

    assert status == 400
    assert "X-Config" in data["detail"]


async def test_headers_persist_for_the_session(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Config headers sent once apply to later requests of the same session."""
    _, _, first = await post(http, emu, body(), headers=DUAL)

    _, data, _ = await post(
        http, emu, body("what is 5 * 5"), headers={"X-Session-ID": first["X-Session-ID"]}
    )

    assert json.loads(data["choices"][0]["message"]["content"])["final_return_value"]["value"] == 25
