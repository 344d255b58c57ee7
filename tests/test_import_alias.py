"""The ``sequrity_api`` import name: the same module objects as ``sequrity``, never copies."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import textwrap

import pytest

import sequrity
import sequrity_api
from sequrity.control import FeaturesHeader

#: Run in a fresh interpreter: import through both names in a given order, then report what
#: `sys.modules` holds (alias entries, the module objects behind them, files executed).
_PROBE = textwrap.dedent(
    """
    import importlib, json, sys
    for name in sys.argv[1:]:
        importlib.import_module(name)
    alias = {k: v for k, v in sys.modules.items() if k == "sequrity_api" or k.startswith("sequrity_api.")}
    same = all(
        v is sys.modules["sequrity" + k[len("sequrity_api"):]] for k, v in alias.items()
    )
    ours = [m for k, m in sys.modules.items() if k == "sequrity" or k.startswith("sequrity.")]
    files = [getattr(m, "__file__", None) for m in {id(m): m for m in ours}.values()]
    files = [f for f in files if f]
    specs = all(m.__spec__.name.startswith("sequrity") and not m.__spec__.name.startswith("sequrity_api") for m in ours)
    print(json.dumps({"aliases": sorted(alias), "same": same, "files": len(files),
                      "distinct_files": len(set(files)), "specs_kept": specs}))
    """
)


def _probe(*imports: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *imports],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_the_package_is_sequrity_itself() -> None:
    """`import sequrity_api` gives the `sequrity` module object."""
    assert sequrity_api is sequrity


def test_seed_import_path_gives_our_classes() -> None:
    """`from sequrity_api.types.control.headers import ...` gives the very classes of `sequrity`."""
    from sequrity_api import SequrityClient
    from sequrity_api.types.control.headers import FeaturesHeader as AliasFeatures
    from sequrity_api.types.control.headers import SecurityPolicyHeader

    header = AliasFeatures.dual_llm()

    assert AliasFeatures is FeaturesHeader
    assert isinstance(header, FeaturesHeader)
    assert SecurityPolicyHeader is sequrity.control.SecurityPolicyHeader
    assert SequrityClient is sequrity.SequrityClient


def test_submodules_are_the_same_module_objects() -> None:
    """`sequrity_api.X` in `sys.modules` is the module object `sequrity.X`."""
    module = importlib.import_module("sequrity_api.control.types.headers")

    assert module is sequrity.control.types.headers
    assert sys.modules["sequrity_api.control.types.headers"] is module
    assert sequrity.control.types.headers.__spec__.name == "sequrity.control.types.headers"


@pytest.mark.parametrize(
    "imports",
    [
        ("sequrity_api.types.control.headers", "sequrity.types.control.headers", "sequrity.sqrt"),
        (
            "sequrity.types.control.headers",
            "sequrity_api.types.control.headers",
            "sequrity_api.sqrt.parser",
        ),
        (
            "sequrity_api",
            "sequrity_api.control.types.policy_gen",
            "sequrity.control.types.policy_gen",
        ),
    ],
    ids=["alias-first", "real-first", "package-first"],
)
def test_no_module_is_loaded_twice(imports: tuple[str, ...]) -> None:
    """Whatever the order, every alias entry is the real module and no file is executed twice."""
    result = _probe(*imports)

    assert result["same"] is True
    assert result["files"] == result["distinct_files"]
    assert result["specs_kept"] is True
    assert "sequrity_api.types.control.headers" in result["aliases"] or imports[1].endswith(
        "policy_gen"
    )


def test_unknown_submodule_is_a_normal_import_error() -> None:
    """A module that does not exist raises `ModuleNotFoundError` naming the alias path."""
    with pytest.raises(ModuleNotFoundError) as info:
        import sequrity_api.no_such_module  # noqa: F401

    assert info.value.name == "sequrity_api.no_such_module"
