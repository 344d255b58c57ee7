"""Tests for POST /control/v1/validate-headers, mirroring the live tests of §2.11/§12."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest
from emulator_helpers import post

from sequrity.control.types.headers import (
    FeaturesHeader,
    FineGrainedConfigHeader,
    SecurityPolicyHeader,
)
from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio

PATH = "/control/v1/validate-headers"


async def validate(http: aiohttp.ClientSession, emu: Emulator, **headers: str) -> dict[str, Any]:
    """Call validate-headers without auth and return the decoded answer."""
    status, data, _ = await post(http, emu, headers, path=PATH, auth=False)
    assert status == 200
    result: dict[str, Any] = data
    return result


async def test_features_dual_default(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """The dual-LLM features factory is valid and normalized back."""
    data = await validate(http, emu, x_features=FeaturesHeader.dual_llm().dump_for_headers())

    assert data["x_features"]["valid"] is True
    assert data["x_features"]["normalized"]["agent_arch"] == "dual-llm"
    assert data["x_features"]["errors"] == []


async def test_features_classifiers_normalized(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Classifiers and blockers appear in normalized content_classifiers/content_blockers."""
    header = FeaturesHeader.single_llm(toxicity_filter=True, pii_redaction=True, url_blocker=True)

    data = await validate(http, emu, x_features=header.dump_for_headers())

    normalized = data["x_features"]["normalized"]
    assert [c["name"] for c in normalized["content_classifiers"]] == [
        "toxicity_filter",
        "pii_redaction",
    ]
    assert normalized["content_blockers"][0]["name"] == "url_blocker"


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("x_features", {"agent_arch": "triple-llm"}),
        ("x_features", {"unknown": 1}),
        ("x_policy", {"mode": "ultra-strict"}),
        ("x_policy", {"unknown": 1}),
        ("x_config", {"unknown_section": {}}),
    ],
)
async def test_invalid_values(
    http: aiohttp.ClientSession, emu: Emulator, kind: str, value: dict[str, Any]
) -> None:
    """Unknown fields and invalid enum values are invalid with non-empty errors."""
    data = await validate(http, emu, **{kind: json.dumps(value)})

    assert data[kind]["valid"] is False
    assert data[kind]["errors"]
    assert data[kind]["normalized"] is None


@pytest.mark.parametrize("kind", ["x_features", "x_policy", "x_config"])
async def test_invalid_json(http: aiohttp.ClientSession, emu: Emulator, kind: str) -> None:
    """Malformed header text is invalid with an error containing 'Invalid JSON'."""
    data = await validate(http, emu, **{kind: "{not json"})

    assert data[kind]["valid"] is False
    assert any("Invalid JSON" in e for e in data[kind]["errors"])


@pytest.mark.parametrize("mode", ["standard", "strict", "custom"])
async def test_policy_modes(http: aiohttp.ClientSession, emu: Emulator, mode: str) -> None:
    """Each policy mode is normalized back unchanged; auto_gen is echoed."""
    header = SecurityPolicyHeader.dual_llm(mode=mode, auto_gen=True)

    data = await validate(http, emu, x_policy=header.dump_for_headers())

    assert data["x_policy"]["normalized"]["mode"] == mode
    assert data["x_policy"]["normalized"]["auto_gen"] is True


async def test_config_dual_default(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """The dual config factory normalizes fsm.max_n_turns to 5 and response_format flags."""
    header = FineGrainedConfigHeader.dual_llm(
        max_pllm_steps=8, include_program=True, include_policy_check_history=True
    )

    data = await validate(http, emu, x_config=header.dump_for_headers())

    normalized = data["x_config"]["normalized"]
    assert normalized["fsm"]["max_n_turns"] == 5
    assert normalized["fsm"]["max_pllm_steps"] == 8
    assert normalized["fsm"]["disable_rllm"] is True
    assert normalized["response_format"]["include_program"] is True


async def test_no_headers(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """An empty body answers null for all three headers."""
    assert await validate(http, emu) == {"x_features": None, "x_policy": None, "x_config": None}


async def test_partial_valid_partial_invalid(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """Headers are validated independently; an absent one is null."""
    data = await validate(http, emu, x_features='{"agent_arch": "dual-llm"}', x_policy='{"mode": ')

    assert data["x_features"]["valid"] is True
    assert data["x_policy"]["valid"] is False
    assert data["x_config"] is None


async def test_non_string_value_is_422(http: aiohttp.ClientSession, emu: Emulator) -> None:
    """A header given as a JSON object instead of a string answers 422."""
    status, data, _ = await post(
        http, emu, {"x_features": {"agent_arch": "dual-llm"}}, path=PATH, auth=False
    )

    assert status == 422
    assert data["detail"][0]["loc"] == ["body", "x_features"]


@pytest.mark.parametrize(
    "code",
    [
        'tool "t" { hard deny whenn true; }',
        'tool "t" { hard deny when; }',
        "let x = ;",
    ],
)
async def test_policy_code_the_chat_route_rejects_is_reported_invalid(
    http: aiohttp.ClientSession, emu: Emulator, code: str
) -> None:
    """validate-headers and the chat route run the same checks: bad SQRT is invalid in both."""
    header = json.dumps({"codes": {"code": code, "language": "sqrt"}})
    chat_status, chat, _ = await post(
        http,
        emu,
        {"model": "m", "messages": [{"role": "user", "content": "hi"}]},
        headers={"X-Policy": header},
    )

    data = await validate(http, emu, x_policy=header)

    assert chat_status == 400
    assert data["x_policy"]["valid"] is False
    assert data["x_policy"]["errors"] == [chat["detail"].removeprefix("Invalid X-Policy header: ")]


async def test_valid_policy_code_is_valid_in_both_places(
    http: aiohttp.ClientSession, emu: Emulator
) -> None:
    """SQRT that parses is valid for validate-headers and accepted by the chat route."""
    header = json.dumps({"codes": {"code": 'tool "t" { hard deny always; }', "language": "sqrt"}})
    chat_status, _, _ = await post(
        http,
        emu,
        {"model": "m", "messages": [{"role": "user", "content": "hi"}]},
        headers={"X-Policy": header},
    )

    data = await validate(http, emu, x_policy=header)

    assert chat_status == 200
    assert data["x_policy"]["valid"] is True
