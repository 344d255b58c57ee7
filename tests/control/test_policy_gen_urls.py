"""Policy-generation routing (pure): the request type picks the provider segment (§1.6)."""

from __future__ import annotations

import pytest

from sequrity.control._policy_urls import policy_gen_path, policy_gen_url

BASE = "https://api.sequrity.ai"


@pytest.mark.parametrize(
    ("request_type", "path"),
    [
        ("oai_chat_completion", "/control/policy-gen/openai/v1/generate"),
        ("openrouter_chat_completion", "/control/policy-gen/v1/generate"),
        ("anthropic_messages", "/control/policy-gen/anthropic/v1/generate"),
        ("sequrity_azure_chat_completion", "/control/policy-gen/sequrity_azure/v1/generate"),
        ("sequrity_azure_responses", "/control/policy-gen/sequrity_azure/v1/generate"),
        ("oai_responses", "/control/policy-gen/v1/generate"),
        ("some_future_type", "/control/policy-gen/v1/generate"),
    ],
)
def test_request_type_routes_to_its_provider(request_type, path):
    """Each known type goes to its provider's route; unknown types go to the default route."""
    url = policy_gen_url(BASE, request_type)

    assert url == BASE + path
    assert policy_gen_path(request_type) == path
