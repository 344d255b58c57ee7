"""Health, route listing and header validation against the emulator, through both clients."""

from __future__ import annotations

import pytest

from sequrity import AsyncSequrityClient, SequrityValidationError
from sequrity.control import (
    ControlConfig,
    FeaturesHeader,
    FineGrainedConfigHeader,
    HeaderCheck,
    HeaderValidationReport,
    HealthStatus,
    RouteInfo,
    RouteListing,
    SecurityPolicyHeader,
)
from sequrity.testing import Emulator

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("path", ["control.health", "control.utility.health"])
async def test_health_is_typed_and_ok(api, emulator, path):
    """health() GETs /control/health and reports ok."""
    status = await api.call(path)

    assert isinstance(status, HealthStatus)
    assert status.status == "ok"
    assert status.is_ok
    sent = emulator.requests[-1]
    assert (sent.method, sent.path, sent.body) == ("GET", "/control/health", b"")
    assert "Content-Type" not in sent.headers


async def test_list_routes_is_typed_and_lists_policy_generation(api, emulator):
    """list_routes() GETs /control/ and returns typed routes, policy generation included."""
    listing = await api.call("control.list_routes")

    assert isinstance(listing, RouteListing)
    assert RouteInfo(method="GET", path="/control/health") in listing.routes
    assert RouteInfo(method="POST", path="/control/policy-gen/v1/generate") in listing.routes
    assert (emulator.requests[-1].method, emulator.requests[-1].path) == ("GET", "/control/")


async def test_validate_headers_valid_factories(api, emulator):
    """Header objects are rendered as header strings and reported valid, normalized."""
    report = await api.call(
        "control.validate_headers",
        features=FeaturesHeader.dual_llm(),
        security_policy=SecurityPolicyHeader.dual_llm(),
        fine_grained_config=FineGrainedConfigHeader.dual_llm(),
    )

    assert isinstance(report, HeaderValidationReport)
    assert report.is_valid
    assert isinstance(report.x_features, HeaderCheck)
    assert report.x_features.normalized == {"agent_arch": "dual-llm"}
    assert report.x_config is not None
    assert report.x_config.normalized is not None
    assert report.x_config.normalized["fsm"]["max_n_turns"] == 5
    sent = emulator.requests[-1]
    assert sent.path == "/control/v1/validate-headers"
    assert sent.json["x_features"] == FeaturesHeader.dual_llm().dump_for_headers("json_str")


async def test_validate_headers_only_sends_given_headers(api, emulator):
    """Headers passed as None are left out of the body and answered null."""
    report = await api.call("control.validate_headers", features=FeaturesHeader.single_llm())

    assert set(emulator.requests[-1].json) == {"x_features"}
    assert report.x_policy is None
    assert report.x_config is None


async def test_validate_headers_unknown_field_is_invalid(api):
    """An unknown top-level field makes the header invalid."""
    report = await api.call(
        "control.validate_headers",
        features=FeaturesHeader.dual_llm(),
        feature_overrides={"not_a_field": 1},
    )

    assert report.x_features is not None
    assert report.x_features.valid is False
    assert any("not_a_field" in e for e in report.x_features.errors)


async def test_validate_headers_invalid_enum_is_invalid(api):
    """A value outside the allowed enum makes the header invalid with errors."""
    report = await api.call(
        "control.validate_headers", features='{"agent_arch": "triple-llm"}', security_policy=None
    )

    assert report.x_features is not None
    assert report.x_features.valid is False
    assert report.x_features.errors


async def test_validate_headers_non_json_is_invalid_json(api):
    """A header string that is not JSON is invalid with an 'Invalid JSON' error."""
    report = await api.call("control.validate_headers", fine_grained_config="{not json")

    assert report.x_config is not None
    assert report.x_config.valid is False
    assert any("Invalid JSON" in e for e in report.x_config.errors)


async def test_validate_headers_checks_each_header_independently(api):
    """One valid and one invalid header in the same request are judged separately."""
    report = await api.call(
        "control.validate_headers",
        features=FeaturesHeader.single_llm(),
        security_policy='{"mode": "ultra-strict"}',
    )

    assert report.x_features is not None
    assert report.x_features.valid
    assert report.x_policy is not None
    assert not report.x_policy.valid
    assert not report.is_valid


async def test_validate_headers_defaults_to_the_client_config(emulator: Emulator):
    """With nothing given, the client's ControlConfig headers are validated."""
    config = ControlConfig(features=FeaturesHeader.dual_llm())
    async with AsyncSequrityClient(
        "sq-test-key", base_url=emulator.base_url, control=config
    ) as client:
        report = await client.control.validate_headers()

    assert emulator.requests[-1].json == {"x_features": '{"agent_arch":"dual-llm"}'}
    assert report.x_features is not None
    assert report.x_features.valid


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"features": {"agent_arch": "dual-llm"}}, "features must be a FeaturesHeader"),
        ({"security_policy": FeaturesHeader.dual_llm()}, "SecurityPolicyHeader"),
        (
            {"features": '{"agent_arch": "dual-llm"}', "feature_overrides": {"x": 1}},
            "feature_overrides",
        ),
    ],
)
async def test_validate_headers_refuses_bad_arguments(api, emulator, kwargs, fragment):
    """Wrong argument types are refused before sending, naming the argument."""
    with pytest.raises(SequrityValidationError, match=fragment):
        await api.call("control.validate_headers", **kwargs)

    assert emulator.requests == []
