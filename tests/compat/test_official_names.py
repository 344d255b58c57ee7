"""Every public name of the official SDK imports from its official path, as the same object as ours."""

from __future__ import annotations

import importlib

import pytest
from official_names import OFFICIAL_NAMES

import sequrity
import sequrity.control
from sequrity import sqrt
from sequrity.control import types as control_types
from sequrity.control.types import headers
from sequrity.integrations._extras import MissingExtraError


@pytest.mark.parametrize(("module", "names"), OFFICIAL_NAMES.items(), ids=list(OFFICIAL_NAMES))
def test_official_names_import_from_their_official_paths(
    module: str, names: tuple[str, ...]
) -> None:
    """`from <official module> import <name>` works for every official name of the module."""
    missing = []
    for name in names:
        namespace: dict[str, object] = {}
        try:
            exec(f"from {module} import {name}", namespace)
        except MissingExtraError:
            # A framework class without its extra: the path exists and says what to install.
            assert module.startswith("sequrity.control.integrations")
        except ImportError:
            missing.append(name)

    assert missing == []


def test_the_inventory_is_not_trivially_empty() -> None:
    """The inventory covers the official modules and hundreds of names."""
    assert (len(OFFICIAL_NAMES) >= 40, sum(map(len, OFFICIAL_NAMES.values())) >= 500) == (
        True,
        True,
    )


@pytest.mark.parametrize(
    ("official", "ours"),
    [
        ("sequrity.control.types:FeaturesHeader", sequrity.control.FeaturesHeader),
        ("sequrity.control.types:PolicyGenResponse", None),
        ("sequrity.control.types.enums:EndpointType", sequrity.EndpointType),
        ("sequrity.types.enums:LlmServiceProvider", sequrity.LlmServiceProvider),
        (
            "sequrity.control.types.dual_llm_response:ResponseContentJsonSchema",
            sequrity.control.ResponseContentJsonSchema,
        ),
        ("sequrity.sqrt.parser:SqrtParseError", sqrt.SqrtParseError),
        ("sequrity.control._stream:SyncStream", sequrity.Stream),
        ("sequrity.control._stream:AsyncStream", sequrity.AsyncStream),
        ("sequrity._client:SequrityClient", sequrity.SequrityClient),
        ("sequrity.control.types.policy_gen:PolicyGenRequestOpenAiChatCompletion", None),
    ],
)
def test_official_paths_give_our_objects_not_copies(official: str, ours: object) -> None:
    """An official path is an alias: it yields the very object our own path yields."""
    module, _, name = official.partition(":")
    found = getattr(importlib.import_module(module), name)

    expected = ours if ours is not None else _our_object(name)
    assert found is expected


def _our_object(name: str) -> object:
    from sequrity.control.types import policy_gen

    return {
        "PolicyGenResponse": policy_gen.PolicyGenResponse,
        "PolicyGenRequestOpenAiChatCompletion": policy_gen.PolicyGenRequestOaiChatCompletion,
    }[name]


def test_control_types_lists_the_official_exports() -> None:
    """`sequrity.control.types.__all__` names the official re-exports, each importable."""
    assert set(control_types.__all__) >= {
        "FeaturesHeader",
        "EndpointType",
        "MetaData",
        "PolicyGenRequest",
    }
    assert all(getattr(control_types, name) is not None for name in control_types.__all__)


def test_header_type_aliases_are_ours() -> None:
    """The official header type aliases name the same literal types our fields use."""
    from sequrity.control.types._features import AgentArch

    assert headers.AgentArch is AgentArch
    assert set(headers.ContentBlockerName.__args__) == {"url_blocker", "file_blocker"}  # type: ignore[attr-defined]


def test_parser_functions_take_the_official_parameter_names() -> None:
    """`sequrity.sqrt.parser` functions accept ``sqrt_code=`` and ``file_path=`` and agree with ours."""
    from sequrity.sqrt import parser

    good, bad = 'tool "t" { hard deny always; }', 'tool "t" { hard deny sometimes; }'

    assert parser.parse(sqrt_code=good).valid is True
    assert parser.validate(sqrt_code=bad) is sqrt.validate(bad) is False
    with pytest.raises(parser.SqrtParseError) as error:
        parser.check(sqrt_code=bad)
    assert error.value.line == 1
    assert str(error.value) == str(sqrt.parse(bad).error)
