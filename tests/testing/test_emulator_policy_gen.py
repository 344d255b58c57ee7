"""Tests for the emulator's policy-generation routes (§1.6, §6, Appendix A item 12), over raw HTTP."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from emulator_helpers import post

import sequrity.sqrt
from sequrity.testing import Emulator
from sequrity.testing._policy_gen import generate_policy

pytestmark = pytest.mark.anyio

OPENAI = "/control/policy-gen/openai/v1/generate"
DEFAULT = "/control/policy-gen/v1/generate"
CHAT_TOOLS = [
    {"type": "function", "function": {"name": "read_file"}},
    {"type": "function", "function": {"name": "delete_file"}},
]


def gen_body(kind: str = "oai_chat_completion", **extra: Any) -> dict[str, Any]:
    """Build a policy-generation body as the SDK sends it."""
    return {
        "type": kind,
        "model": "gpt-5-mini",
        "description": "Allow reading files but prevent deleting any files.",
        "policy_lang": "sqrt",
        "n_retries": 3,
        "internal_tool_names": [],
        "tools": CHAT_TOOLS,
        **extra,
    }


async def test_answer_has_exactly_policies_and_usage(http: aiohttp.ClientSession, emu: Emulator):
    """The answer is {policies, usage} with no extra key, and usage adds up."""
    status, data, _ = await post(http, emu, gen_body(), path=OPENAI)

    assert status == 200
    assert set(data) == {"policies", "usage"}
    usage = data["usage"]
    assert set(usage) == {"prompt_tokens", "completion_tokens", "total_tokens"}
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


async def test_policy_is_valid_sqrt_and_deterministic(http: aiohttp.ClientSession, emu: Emulator):
    """The same request yields the same policy, which parses."""
    _, first, _ = await post(http, emu, gen_body(), path=OPENAI)
    _, second, _ = await post(http, emu, gen_body(), path=OPENAI)

    assert first == second
    sequrity.sqrt.check(first["policies"])


def test_destructive_tool_is_denied_only_when_the_description_restricts():
    """A delete tool is hard-denied when asked to prevent, and allowed otherwise."""
    restricted = generate_policy("Block deletions.", ["read_file", "delete_file"])
    permissive = generate_policy("Help the user with files.", ["delete_file"])
    empty = generate_policy('Odd "quotes" \\ and\nlines', [])

    assert (
        'tool "delete_file" {\n    /// Destructive tool: denied as the description asks.\n    hard deny always;'
        in restricted
    )
    assert (
        'tool "read_file" {\n    /// No part of the description restricts this tool.\n    must allow always;'
        in restricted
    )
    assert "hard deny" not in permissive
    for source in (restricted, permissive, empty, generate_policy("x", ['we"ird\\name'])):
        sequrity.sqrt.check(source)


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("anthropic_messages", OPENAI),
        ("oai_chat_completion", "/control/policy-gen/sequrity_azure/v1/generate"),
        ("openrouter_chat_completion", "/control/policy-gen/anthropic/v1/generate"),
        ("sequrity_azure_responses", OPENAI),
    ],
)
async def test_type_on_the_wrong_route_is_400(
    http: aiohttp.ClientSession, emu: Emulator, kind: str, path: str
):
    """A request type sent to another provider's route is refused with a clear detail."""
    tools = [{"name": "x", "input_schema": {}}] if kind == "anthropic_messages" else []

    status, data, _ = await post(http, emu, gen_body(kind, tools=tools), path=path)

    assert status == 400
    assert kind in data["detail"]
    assert "/v1/generate" in data["detail"]


@pytest.mark.parametrize("path", [DEFAULT, "/control/policy-gen/openrouter/v1/generate"])
@pytest.mark.parametrize(
    "kind",
    [
        "oai_chat_completion",
        "openrouter_chat_completion",
        "anthropic_messages",
        "sequrity_azure_chat_completion",
        "sequrity_azure_responses",
    ],
)
async def test_default_provider_routes_serve_every_request_type(
    http: aiohttp.ClientSession, emu: Emulator, kind: str, path: str
):
    """The default route (OpenRouter, the default provider) generates for every request type."""
    tools = [{"name": "x", "input_schema": {}}] if kind == "anthropic_messages" else CHAT_TOOLS

    status, data, _ = await post(http, emu, gen_body(kind, tools=tools), path=path)

    assert status == 200, data
    sequrity.sqrt.check(data["policies"])


async def test_openrouter_type_is_served_on_its_own_route(
    http: aiohttp.ClientSession, emu: Emulator
):
    """The documented /policy-gen/openrouter route accepts the OpenRouter type too."""
    status, _, _ = await post(
        http,
        emu,
        gen_body("openrouter_chat_completion"),
        path="/control/policy-gen/openrouter/v1/generate",
    )

    assert status == 200


@pytest.mark.parametrize(
    ("payload", "error_type"),
    [
        (gen_body("oai_responses"), "union_tag_invalid"),
        ({k: v for k, v in gen_body().items() if k != "type"}, "union_tag_not_found"),
        ({k: v for k, v in gen_body().items() if k != "description"}, "missing"),
        (gen_body(surprise=1), "extra_forbidden"),
        (gen_body(internal_tool_names=["rm"]), "literal_error"),
    ],
)
async def test_invalid_body_is_422(
    http: aiohttp.ClientSession, emu: Emulator, payload: dict[str, Any], error_type: str
):
    """Bodies the real (extra-forbid) server refuses get a FastAPI-style 422."""
    status, data, _ = await post(http, emu, payload, path=OPENAI)

    assert status == 422
    assert error_type in {d["type"] for d in data["detail"]}


async def test_requires_auth(http: aiohttp.ClientSession, emu: Emulator):
    """Policy generation needs a bearer token."""
    status, _, _ = await post(http, emu, gen_body(), path=OPENAI, auth=False)

    assert status == 401


async def test_scripted_reply_becomes_the_policies(http: aiohttp.ClientSession, emu: Emulator):
    """emu.script.reply(text) replaces the generated policy."""
    emu.script.reply("// scripted", route="/control/policy-gen/*")

    _, data, _ = await post(http, emu, gen_body(), path=OPENAI)

    assert data["policies"] == "// scripted"
