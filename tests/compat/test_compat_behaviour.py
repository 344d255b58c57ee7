"""Behaviour of the compatibility surface: official helpers, coercions and factories over ours."""

from __future__ import annotations

import typing

import pytest

from sequrity import (
    AsyncSequrityClient,
    LlmServiceProviderStr,
    RestApiType,
    SequrityClient,
    SequrityError,
    SequrityValidationError,
)
from sequrity.control import SecurityPolicyHeader
from sequrity.control._client import AsyncControlClient, ControlClient
from sequrity.control._constants import (
    SEQURITY_API_VERSION,
    SEQURITY_BASE_URL,
    build_control_base_url,
    build_control_url,
    build_policy_gen_url,
    build_sequrity_headers,
)
from sequrity.control.resources import AsyncChatResource, ChatResource, PolicyResource
from sequrity.control.types.headers import PolicyCode, _deep_merge
from sequrity.control.types.policy_gen import (
    PolicyGenRequestAnthropicMessages,
    PolicyGenRequestOpenAiChatCompletion,
    PolicyGenResponse,
)
from sequrity.testing import Emulator
from sequrity.types.chat_completion.request import FunctionTool
from sequrity.types.messages.request import ToolInputSchema, ToolParam

BASE = "https://api.sequrity.ai"


def test_deep_merge_mutates_and_returns_base() -> None:
    """The official `_deep_merge` merges nested dicts into `base` in place and returns it."""
    base = {"a": 1, "b": {"c": 1, "d": 2}}

    result = _deep_merge(base, {"b": {"c": 9}, "e": 3})

    assert result is base
    assert base == {"a": 1, "b": {"c": 9, "d": 2}, "e": 3}


@pytest.mark.parametrize(
    ("request_type", "url"),
    [
        ("oai_chat_completion", f"{BASE}/control/policy-gen/openai/v1/generate"),
        ("openrouter_chat_completion", f"{BASE}/control/policy-gen/v1/generate"),
        ("anthropic_messages", f"{BASE}/control/policy-gen/anthropic/v1/generate"),
        ("sequrity_azure_responses", f"{BASE}/control/policy-gen/sequrity_azure/v1/generate"),
        ("something_new", f"{BASE}/control/policy-gen/v1/generate"),
    ],
)
def test_policy_gen_url_routes_by_request_type(request_type: str, url: str) -> None:
    """`build_policy_gen_url` picks the provider segment from the request type."""
    assert build_policy_gen_url(BASE, request_type) == url


def test_official_url_helpers_normalise_the_base_url() -> None:
    """A trailing slash or ``/control`` does not double a segment (the official helpers did)."""
    assert build_policy_gen_url(BASE + "/control/", "oai_chat_completion", "v2") == (
        f"{BASE}/control/policy-gen/openai/v2/generate"
    )
    assert build_control_base_url(BASE + "/", "lang-graph", "anthropic") == (
        f"{BASE}/control/lang-graph/anthropic/v1"
    )
    assert build_control_url(BASE, "chat", RestApiType.RESPONSES, "openai", "v2") == (
        f"{BASE}/control/chat/openai/v2/responses"
    )
    assert (SEQURITY_BASE_URL, SEQURITY_API_VERSION) == (BASE, "v1")


def test_control_url_refuses_what_the_server_does_not_route() -> None:
    """An unknown API style, or a provider that does not serve it, is refused with the reason."""
    with pytest.raises(SequrityValidationError, match="unknown rest_api_type 'graphql'"):
        build_control_url(BASE, "chat", "graphql")
    with pytest.raises(SequrityValidationError, match="does not serve /messages"):
        build_control_url(BASE, "chat", RestApiType.MESSAGES, "openai")


def test_sequrity_headers_leave_out_empty_values() -> None:
    """`build_sequrity_headers` sends only the headers that have a value."""
    headers = build_sequrity_headers("sq-key", llm_api_key="or-key", features="", session_id=None)

    assert headers == {
        "Authorization": "Bearer sq-key",
        "Content-Type": "application/json",
        "X-Api-Key": "or-key",
    }


def test_provider_literal_lists_every_provider() -> None:
    """`LlmServiceProviderStr` includes ``llama`` (the official alias forgot it) and the enum's rest."""
    assert set(typing.get_args(LlmServiceProviderStr)) == {
        "openai",
        "openrouter",
        "anthropic",
        "sequrity_azure",
        "llama",
    }
    assert [t.value for t in RestApiType] == ["chat_completions", "messages", "responses"]


def test_policy_header_accepts_codes_as_a_dict() -> None:
    """``codes={"language": ..., "code": ...}`` builds the `PolicyCode`, as official code writes it."""
    header = SecurityPolicyHeader(
        mode="standard", codes={"language": "sqrt", "code": "let a = {};"}
    )

    assert header.codes == PolicyCode(code="let a = {};", language="sqrt")


def test_policy_header_refuses_a_wrong_codes_dict_naming_the_field() -> None:
    """An unknown key in the ``codes`` dict is refused at construction, with its path."""
    with pytest.raises(SequrityValidationError, match=r"PolicyCode\.cod: unknown field"):
        SecurityPolicyHeader(codes={"language": "sqrt", "cod": ""})


def test_policy_gen_request_structures_dict_tools_at_construction() -> None:
    """Dict tools become typed tools when the request is built, not when it is sent."""
    tool = {"type": "function", "function": {"name": "send_email", "parameters": {}}}

    request = PolicyGenRequestOpenAiChatCompletion(model="m", description="d", tools=[tool])

    assert [type(t) for t in request.tools] == [FunctionTool]
    assert request.tools[0].function.name == "send_email"


def test_policy_gen_request_refuses_a_bad_dict_tool_at_construction() -> None:
    """A dict tool without its function is refused when the request is built, naming the path."""
    with pytest.raises(SequrityValidationError, match=r"tools\[0\]\.function"):
        PolicyGenRequestOpenAiChatCompletion(
            model="m", description="d", tools=[{"type": "function"}]
        )


def test_anthropic_policy_gen_request_takes_typed_tools() -> None:
    """Typed Anthropic tools are kept as their JSON objects (the request's tool format)."""
    tool = ToolParam(name="lookup", input_schema=ToolInputSchema(properties={}))

    request = PolicyGenRequestAnthropicMessages(model="m", description="d", tools=[tool])

    assert request.tools == [
        {"name": "lookup", "input_schema": {"type": "object", "properties": {}}}
    ]


def test_policy_generate_sends_an_official_style_request(sync_client: SequrityClient) -> None:
    """`policy.generate` accepts a request built with dict tools and returns the policy."""
    request = PolicyGenRequestOpenAiChatCompletion(
        model="openai/gpt-5-mini",
        description="Never email outside the company.",
        tools=[{"type": "function", "function": {"name": "send_email", "parameters": {}}}],
    )

    response = sync_client.control.policy.generate(request=request, llm_api_key="or-key")

    assert isinstance(response, PolicyGenResponse)
    assert "send_email" in response.policies


def test_official_class_names_are_the_classes_of_our_objects(sync_client: SequrityClient) -> None:
    """`ControlClient`, `ChatResource`... are the classes of the blocking client's attributes."""
    assert type(sync_client.control) is ControlClient
    assert type(sync_client.control.chat) is ChatResource
    assert type(sync_client.control.policy) is PolicyResource
    assert AsyncControlClient.__name__ == "AsyncControl"
    assert AsyncChatResource.__name__ == "AsyncChatResource"


@pytest.mark.anyio
async def test_async_client_close_is_aclose(emulator: Emulator) -> None:
    """`await AsyncSequrityClient.close()` (the official name) closes the client like `aclose()`."""
    client = AsyncSequrityClient("sq-key", base_url=emulator.base_url)
    await client.control.chat.create([{"role": "user", "content": "hi"}], "m")

    await client.close()

    with pytest.raises(SequrityError):
        await client.control.chat.create([{"role": "user", "content": "hi"}], "m")
