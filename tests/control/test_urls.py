"""Tests for Control API URL building in `sequrity.control._urls` (protocol §1.2-§1.5)."""

from __future__ import annotations

import pytest

from sequrity import SequrityValidationError
from sequrity.control._enums import EndpointType, LlmServiceProvider
from sequrity.control._urls import (
    CHAT_COMPLETIONS,
    MESSAGES,
    RESPONSES,
    control_url,
    normalize_base_url,
)

BASE = "https://api.sequrity.ai"

ENDPOINT_TYPES = ["chat", "code", "agent", "lang-graph"]
SERVED = {
    CHAT_COMPLETIONS: [None, "openai", "openrouter", "sequrity_azure", "llama"],
    MESSAGES: [None, "anthropic"],
    RESPONSES: [None, "openai", "sequrity_azure"],
}
ALL_PROVIDERS = ["openai", "openrouter", "anthropic", "sequrity_azure", "llama"]

VALID = [
    (et, provider, suffix)
    for suffix, providers in SERVED.items()
    for et in ENDPOINT_TYPES
    for provider in providers
]
INVALID = [
    (et, provider, suffix)
    for suffix, providers in SERVED.items()
    for et in ENDPOINT_TYPES
    for provider in ALL_PROVIDERS
    if provider not in providers
]


def expected_url(et: str, provider: str | None, suffix: str) -> str:
    """The URL the protocol documents for this combination."""
    segment = f"/{provider}" if provider else ""
    return f"{BASE}/control/{et}{segment}/v1/{suffix}"


@pytest.mark.parametrize(("et", "provider", "suffix"), VALID)
def test_builds_every_served_route_from_strings(et: str, provider: str | None, suffix: str) -> None:
    """Every endpoint type x served provider gives `{base}/control/{et}[/{provider}]/v1/{suffix}`."""
    assert control_url(BASE, et, provider, suffix) == expected_url(et, provider, suffix)


@pytest.mark.parametrize(("et", "provider", "suffix"), VALID)
def test_builds_every_served_route_from_enums(et: str, provider: str | None, suffix: str) -> None:
    """Enum members give the same URL as their string values."""
    et_enum = EndpointType(et)
    provider_enum = None if provider is None else LlmServiceProvider(provider)

    assert control_url(BASE, et_enum, provider_enum, suffix) == expected_url(et, provider, suffix)


@pytest.mark.parametrize(
    "path",
    [
        "/control/chat/v1/chat/completions",
        "/control/chat/openai/v1/chat/completions",
        "/control/chat/openrouter/v1/chat/completions",
        "/control/chat/sequrity_azure/v1/chat/completions",
        "/control/chat/v1/messages",
        "/control/chat/anthropic/v1/messages",
        "/control/chat/v1/responses",
        "/control/chat/openai/v1/responses",
        "/control/chat/sequrity_azure/v1/responses",
        "/control/code/v1/chat/completions",
        "/control/code/openai/v1/chat/completions",
        "/control/code/openrouter/v1/chat/completions",
        "/control/code/sequrity_azure/v1/chat/completions",
        "/control/code/v1/messages",
        "/control/code/anthropic/v1/messages",
        "/control/code/v1/responses",
        "/control/code/openai/v1/responses",
        "/control/code/sequrity_azure/v1/responses",
        "/control/lang-graph/v1/chat/completions",
        "/control/lang-graph/openai/v1/chat/completions",
        "/control/lang-graph/openrouter/v1/chat/completions",
        "/control/lang-graph/sequrity_azure/v1/chat/completions",
        "/control/lang-graph/anthropic/v1/messages",
    ],
)
def test_every_documented_endpoint_of_the_matrix_is_buildable(path: str) -> None:
    """Each path of the §1.5 table is produced by some (endpoint type, provider, API) triple."""
    built = {control_url(BASE, et, p, s).removeprefix(BASE) for et, p, s in VALID}

    assert path in built


@pytest.mark.parametrize("empty", [None, ""])
def test_missing_provider_gives_the_provider_less_route(empty: str | None) -> None:
    """`None` or an empty provider leaves the provider segment out (server default)."""
    assert (
        control_url(BASE, "chat", empty, CHAT_COMPLETIONS)
        == f"{BASE}/control/chat/v1/chat/completions"
    )


def test_lang_graph_enum_value_has_a_hyphen() -> None:
    """`EndpointType.LANGGRAPH` produces the `lang-graph` segment."""
    url = control_url(BASE, EndpointType.LANGGRAPH, LlmServiceProvider.ANTHROPIC, MESSAGES)

    assert url == f"{BASE}/control/lang-graph/anthropic/v1/messages"


@pytest.mark.parametrize("bad", ["chatt", "policy-gen", "Chat", "", None, "lang_graph"])
def test_unknown_endpoint_type_is_refused_naming_the_allowed_values(bad: object) -> None:
    """An unknown endpoint type fails before sending, listing chat, code, agent, lang-graph."""
    with pytest.raises(SequrityValidationError) as info:
        control_url(BASE, bad, None, CHAT_COMPLETIONS)

    assert str(info.value).endswith("expected one of 'chat', 'code', 'agent', 'lang-graph'")


@pytest.mark.parametrize("bad", ["azure", "OpenAI", "gemini", "open ai"])
def test_unknown_provider_is_refused_naming_the_allowed_values(bad: str) -> None:
    """An unknown provider fails before sending, listing every known provider."""
    with pytest.raises(SequrityValidationError) as info:
        control_url(BASE, "chat", bad, CHAT_COMPLETIONS)

    assert str(info.value) == (
        f"unknown provider {bad!r}; expected one of 'openai', 'openrouter', 'anthropic', "
        "'sequrity_azure', 'llama' or None for the default route"
    )


@pytest.mark.parametrize(("et", "provider", "suffix"), INVALID)
def test_provider_not_serving_the_api_is_refused(et: str, provider: str, suffix: str) -> None:
    """A provider that does not serve the API style is refused, naming the providers that do."""
    names = ", ".join("None (default)" if p is None else repr(p) for p in SERVED[suffix])

    with pytest.raises(SequrityValidationError) as info:
        control_url(BASE, et, provider, suffix)

    assert str(info.value) == (
        f"provider {provider!r} does not serve /{suffix}; that route is served by: {names}"
    )


def test_anthropic_chat_completions_error_points_to_the_served_providers() -> None:
    """`anthropic` on chat/completions names openai, openrouter, sequrity_azure, llama."""
    with pytest.raises(SequrityValidationError) as info:
        control_url(BASE, "chat", LlmServiceProvider.ANTHROPIC, CHAT_COMPLETIONS)

    assert str(info.value) == (
        "provider 'anthropic' does not serve /chat/completions; that route is served by: "
        "None (default), 'openai', 'openrouter', 'sequrity_azure', 'llama'"
    )


def test_validation_error_is_a_value_error() -> None:
    """URL errors can also be caught as ValueError."""
    with pytest.raises(ValueError, match="unknown endpoint_type"):
        control_url(BASE, "nope", None, CHAT_COMPLETIONS)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://api.sequrity.ai", "https://api.sequrity.ai"),
        ("https://api.sequrity.ai/", "https://api.sequrity.ai"),
        ("https://api.sequrity.ai///", "https://api.sequrity.ai"),
        ("http://localhost:8000/", "http://localhost:8000"),
        ("https://proxy.example/sequrity/", "https://proxy.example/sequrity"),
        ("  https://api.sequrity.ai/  ", "https://api.sequrity.ai"),
        ("HTTPS://api.sequrity.ai", "HTTPS://api.sequrity.ai"),
    ],
)
def test_normalize_strips_trailing_slashes(given: str, expected: str) -> None:
    """Trailing slashes (and surrounding whitespace) are removed so URLs never contain `//control`."""
    assert normalize_base_url(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://api.sequrity.ai/control", "https://api.sequrity.ai"),
        ("https://api.sequrity.ai/control/", "https://api.sequrity.ai"),
        ("https://proxy.example/sequrity/control", "https://proxy.example/sequrity"),
        ("https://proxy.example/controller", "https://proxy.example/controller"),
        ("https://control", "https://control"),
    ],
)
def test_normalize_accepts_the_rest_reference_root_ending_in_control(
    given: str, expected: str
) -> None:
    """A base URL ending in /control (the REST reference's API root) means the same host root."""
    assert normalize_base_url(given) == expected


def test_normalized_base_gives_a_single_slash_before_control() -> None:
    """A base URL with a trailing slash builds `.../control/...` without a double slash."""
    url = control_url(normalize_base_url("http://localhost:8000/"), "chat", None, CHAT_COMPLETIONS)

    assert url == "http://localhost:8000/control/chat/v1/chat/completions"


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "api.sequrity.ai",
        "ftp://api.sequrity.ai",
        "https://",
        "https:///path",
        "//api.sequrity.ai",
        "https://api.sequrity.ai/?x=1",
        "https://api.sequrity.ai/#frag",
        "https://api sequrity.ai",
        "https://api.sequrity.ai/\r\nX-Evil: 1",
    ],
)
def test_normalize_refuses_invalid_base_urls(bad: str) -> None:
    """Anything but an http(s) URL with a host and no query, fragment or whitespace is refused."""
    with pytest.raises(SequrityValidationError) as info:
        normalize_base_url(bad)

    assert repr(bad) in str(info.value)
