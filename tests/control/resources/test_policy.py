"""Policy generation against the emulator, through both clients."""

from __future__ import annotations

import pytest

import sequrity.sqrt
from sequrity import (
    AsyncSequrityClient,
    BadRequestError,
    SequrityDecodeError,
    SequrityValidationError,
)
from sequrity._converter import structure_fast
from sequrity.control import (
    ControlConfig,
    FeaturesHeader,
    FineGrainedConfigHeader,
    PolicyGenRequestAnthropicMessages,
    PolicyGenRequestOaiChatCompletion,
    PolicyGenRequestOaiResponses,
    PolicyGenResponse,
    SecurityPolicyHeader,
)
from sequrity.testing import Emulator
from sequrity.types.chat_completion.request import FunctionDefinition, FunctionTool

pytestmark = pytest.mark.anyio

GENERATE = "control.policy.generate"
MODEL = "gpt-5-mini"
DESCRIPTION = "Allow the agent to read files but prevent it from deleting any files."
CHAT_TOOLS = [
    {"type": "function", "function": {"name": "read_file", "parameters": {"type": "object"}}},
    {"type": "function", "function": {"name": "delete_file", "parameters": {"type": "object"}}},
]
ANTHROPIC_TOOLS = [
    {"name": "read_file", "input_schema": {"type": "object"}},
    {"name": "delete_file", "description": "Delete a file.", "input_schema": {"type": "object"}},
]
RESPONSES_TOOLS = [{"type": "function", "name": "delete_file", "parameters": {}}]
SESSION_AND_CONFIG = ("X-Session-ID", "X-Features", "X-Policy", "X-Config")


def request(kind: str, tools: list[dict[str, object]]) -> dict[str, object]:
    return {"type": kind, "model": MODEL, "description": DESCRIPTION, "tools": tools}


@pytest.mark.parametrize(
    ("kind", "tools", "path"),
    [
        ("oai_chat_completion", CHAT_TOOLS, "/control/policy-gen/openai/v1/generate"),
        ("openrouter_chat_completion", CHAT_TOOLS, "/control/policy-gen/v1/generate"),
        ("anthropic_messages", ANTHROPIC_TOOLS, "/control/policy-gen/anthropic/v1/generate"),
        (
            "sequrity_azure_chat_completion",
            CHAT_TOOLS,
            "/control/policy-gen/sequrity_azure/v1/generate",
        ),
        (
            "sequrity_azure_responses",
            RESPONSES_TOOLS,
            "/control/policy-gen/sequrity_azure/v1/generate",
        ),
    ],
)
async def test_each_type_is_sent_to_its_route_and_answered(api, emulator, kind, tools, path):
    """Every supported type reaches its provider's route and gets a policy and token usage."""
    response = await api.call(GENERATE, request(kind, tools))

    assert emulator.requests[-1].path == path
    assert isinstance(response, PolicyGenResponse)
    assert response.policies.strip()
    assert set(response.usage) == {"prompt_tokens", "completion_tokens", "total_tokens"}
    assert response.usage["total_tokens"] == (
        response.usage["prompt_tokens"] + response.usage["completion_tokens"]
    )


async def test_generated_policy_parses_and_denies_the_destructive_tool(api):
    """The generated SQRT passes the local checker and hard-denies the delete tool."""
    response = await api.call(GENERATE, request("oai_chat_completion", CHAT_TOOLS))

    sequrity.sqrt.check(response.policies)
    assert 'tool "delete_file" {' in response.policies
    assert "hard deny always;" in response.policies


async def test_body_sends_every_defaulted_field(api, emulator):
    """policy_lang, n_retries, internal_tool_names and tools are always on the wire."""
    typed = PolicyGenRequestOaiChatCompletion(
        model=MODEL,
        description=DESCRIPTION,
        tools=[FunctionTool(function=FunctionDefinition(name="read_file"))],
    )

    await api.call(GENERATE, typed)

    assert emulator.requests[-1].json == {
        "type": "oai_chat_completion",
        "model": MODEL,
        "description": DESCRIPTION,
        "policy_lang": "sqrt",
        "n_retries": 3,
        "internal_tool_names": [],
        "tools": [{"type": "function", "function": {"name": "read_file"}}],
    }


async def test_typed_anthropic_request_is_accepted(api, emulator):
    """A typed Anthropic variant goes to the Anthropic route."""
    typed = PolicyGenRequestAnthropicMessages(
        model=MODEL, description=DESCRIPTION, tools=ANTHROPIC_TOOLS, n_retries=0
    )

    await api.call(GENERATE, typed)

    assert emulator.requests[-1].path == "/control/policy-gen/anthropic/v1/generate"
    assert emulator.requests[-1].json["n_retries"] == 0


async def test_no_session_header_even_with_a_client_session(api, emulator):
    """A session id set on the client is not sent with policy generation."""
    api.aclient.control.set_session_id("8e0b5d36-0d53-11f0-a6b5-00155d000001")
    api.sclient.control.set_session_id("8e0b5d36-0d53-11f0-a6b5-00155d000001")

    await api.call(GENERATE, request("oai_chat_completion", CHAT_TOOLS), llm_api_key="sk-byok")

    headers = emulator.requests[-1].headers
    assert all(name not in headers for name in SESSION_AND_CONFIG)
    assert headers["X-Api-Key"] == "sk-byok"
    assert headers["Authorization"] == "Bearer sq-test-key"
    assert headers["Accept"] == "application/json"


async def test_no_config_headers_even_with_a_control_config(emulator: Emulator):
    """ControlConfig headers and config-like default headers are not sent with policy generation."""
    config = ControlConfig(
        features=FeaturesHeader.dual_llm(),
        security_policy=SecurityPolicyHeader.dual_llm(),
        fine_grained_config=FineGrainedConfigHeader.dual_llm(),
        llm_api_key="sk-config",
    )
    async with AsyncSequrityClient(
        "sq-test-key",
        base_url=emulator.base_url,
        control=config,
        default_headers={"X-Session-ID": "8e0b5d36-0d53-11f0-a6b5-00155d000001"},
    ) as client:
        client.control.set_session_id("8e0b5d36-0d53-11f0-a6b5-00155d000002")
        await client.control.policy.generate(request("oai_chat_completion", CHAT_TOOLS))

    headers = emulator.requests[-1].headers
    assert all(name not in headers for name in SESSION_AND_CONFIG)
    assert headers["X-Api-Key"] == "sk-config"


async def test_custom_headers_are_sent(api, emulator):
    """Per-call custom headers reach the server."""
    await api.call(GENERATE, request("oai_chat_completion", []), custom_headers={"X-Trace": "abc"})

    assert emulator.requests[-1].headers["X-Trace"] == "abc"


async def test_scripted_reply_replaces_the_policies(api, emulator):
    """A reply queued on the emulator becomes the policies text."""
    emulator.script.reply('tool "send_email" { hard deny always; }')

    response = await api.call(GENERATE, request("oai_chat_completion", CHAT_TOOLS))

    assert response.policies == 'tool "send_email" { hard deny always; }'


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"type": "some_future_type", "model": MODEL, "description": "x"}, "some_future_type"),
        ({"model": MODEL, "description": "x"}, "request.type is missing"),
        ({"type": "oai_responses", "model": MODEL, "description": "x"}, "oai_responses"),
        ({"type": "oai_chat_completion", "description": "x"}, "request.model"),
        ({"type": "oai_chat_completion", "model": MODEL, "description": 3}, "description"),
        (
            {"type": "oai_chat_completion", "model": MODEL, "description": "x", "n_retries": -1},
            "n_retries",
        ),
        (
            {"type": "oai_chat_completion", "model": MODEL, "description": "x", "n_retry": 2},
            "'n_retry'",
        ),
        (
            {"type": "oai_chat_completion", "model": MODEL, "description": "x", "policy_lang": "x"},
            "policy_lang",
        ),
        (
            {
                "type": "oai_chat_completion",
                "model": MODEL,
                "description": "x",
                "internal_tool_names": ["rm_rf"],
            },
            "internal_tool_names",
        ),
        (
            {
                "type": "anthropic_messages",
                "model": MODEL,
                "description": "x",
                "tools": [{"name": "read_file"}],
            },
            "input_schema",
        ),
        (
            {
                "type": "oai_chat_completion",
                "model": MODEL,
                "description": "x",
                "tools": [{"type": "function"}],
            },
            "tools[0]",
        ),
    ],
)
async def test_invalid_requests_are_refused_before_sending(api, emulator, body, fragment):
    """Bad input raises SequrityValidationError naming the field, and nothing is sent."""
    with pytest.raises(SequrityValidationError) as caught:
        await api.call(GENERATE, body)

    assert fragment in str(caught.value)
    assert emulator.requests == []


async def test_unknown_type_lists_the_supported_types(api):
    """The error for an unknown type names every supported type."""
    with pytest.raises(SequrityValidationError) as caught:
        await api.call(GENERATE, {"type": "x", "model": MODEL, "description": "d"})

    assert "'oai_chat_completion'" in str(caught.value)
    assert "'sequrity_azure_responses'" in str(caught.value)


async def test_typed_oai_responses_is_refused(api, emulator):
    """The forward-compatibility variant is modelled but refused before sending."""
    typed = PolicyGenRequestOaiResponses(model=MODEL, description=DESCRIPTION)

    with pytest.raises(SequrityValidationError, match="does not generate policies"):
        await api.call(GENERATE, typed)

    assert emulator.requests == []


async def test_new_response_fields_are_kept():
    """An answer with a key the SDK does not know parses, keeping the key in extra."""
    data = {"policies": "", "usage": {"total_tokens": 0}, "model": "m", "request_id": None}

    response = structure_fast(data, PolicyGenResponse)

    assert response.extra == {"model": "m"}
    assert response.usage == {"total_tokens": 0}


async def test_answer_without_policies_is_a_decode_error(api, emulator):
    """A 200 answer that is not a generated policy raises SequrityDecodeError keeping the body."""
    emulator.faults.next.status(200, "not a policy")

    with pytest.raises(SequrityDecodeError) as caught:
        await api.call(GENERATE, request("oai_chat_completion", CHAT_TOOLS))

    assert "not a policy" in caught.value.body


async def test_server_error_status_is_typed(api, emulator):
    """A scripted 400 surfaces as BadRequestError."""
    emulator.script.error(400, "model not available")

    with pytest.raises(BadRequestError, match="model not available"):
        await api.call(GENERATE, request("oai_chat_completion", CHAT_TOOLS))
