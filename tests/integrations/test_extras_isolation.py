"""Tests that the integrations stay optional: nothing of them loads with `import sequrity`, and a
missing extra is an error that names it (in a fresh interpreter, so no other test interferes)."""

from __future__ import annotations

from typing import Any

import pytest

from sequrity.integrations import MissingExtraError

#: Top-level packages of the extras (and what they pull in) that `import sequrity` must not load.
THIRD_PARTY = (
    "agents",
    "openai",
    "langchain_core",
    "langchain_openai",
    "langgraph",
    "httpx",
    "ray",
)


def test_importing_sequrity_and_the_compat_paths_loads_no_framework(run_python: Any) -> None:
    """`import sequrity`, the batch module, the command line and the official integration paths
    import no framework package (nor Ray)."""
    result = run_python(
        f"""
        import json, sys
        loaded = {{}}
        import sequrity
        loaded["sequrity"] = sorted(m for m in {THIRD_PARTY!r} if m in sys.modules)
        import sequrity.batch, sequrity.cli
        sequrity.cli.build_parser()
        loaded["batch"] = sorted(m for m in {THIRD_PARTY!r} if m in sys.modules)
        import sequrity.integrations
        import sequrity.control.integrations
        from sequrity.control.integrations.openai_agents_sdk import (
            create_sequrity_openai_agents_sdk_client,
        )
        from sequrity.control.integrations.langgraph import create_sequrity_langgraph_client
        loaded["compat"] = sorted(m for m in {THIRD_PARTY!r} if m in sys.modules)
        print(json.dumps(loaded))
        """
    )

    assert result == {"sequrity": [], "batch": [], "compat": []}


AGENTS_FACTORY = (
    "from sequrity.control.integrations.openai_agents_sdk import "
    "create_sequrity_openai_agents_sdk_client as make"
)
LANGGRAPH_FACTORY = (
    "from sequrity.control.integrations.langgraph import create_sequrity_langgraph_client as make"
)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("blocked", "extra", "native", "factory"),
    [
        ("agents", "agents", "sequrity.integrations.openai_agents", AGENTS_FACTORY),
        ("openai", "agents", "sequrity.integrations.openai_client", AGENTS_FACTORY),
        ("langchain_core", "langchain", "sequrity.integrations.langchain", LANGGRAPH_FACTORY),
        ("langgraph", "langchain", "sequrity.integrations.sqrt_gate", None),
        ("ray", "ray", "sequrity.batch_ray", None),
    ],
)
def test_a_missing_extra_is_named_when_used(
    run_python: Any, blocked: str, extra: str, native: str, factory: str | None
) -> None:
    """Without the package, the native module (and the official factory, at call time) names the
    extra to install; the official module itself still imports."""
    result = run_python(
        f"""
        import importlib, json, sys
        sys.modules[{blocked!r}] = None  # as if the package were not installed
        from sequrity.integrations import MissingExtraError
        out = {{"factory": None}}
        try:
            importlib.import_module({native!r})
        except MissingExtraError as exc:
            out["native"] = str(exc)
            out["import_error"] = isinstance(exc, ImportError)
        if {factory is not None!r}:
            {factory or "pass"}
            try:
                make("sq-key")
            except MissingExtraError as exc:
                out["factory"] = str(exc)
        print(json.dumps(out))
        """
    )

    hint = f"pip install 'sequrity[{extra}]'"
    assert (
        hint in str(result.get("native")),
        result.get("import_error"),
        factory is None or hint in str(result["factory"]),
    ) == (True, True, True)


def test_the_openai_client_adapter_needs_openai_but_not_the_agents_sdk(run_python: Any) -> None:
    """`OpenAIClientAdapter` imports without the Agents SDK installed."""
    pytest.importorskip("openai", reason="needs openai: pip install 'sequrity[agents]'")
    result = run_python(
        """
        import json, sys
        sys.modules["agents"] = None
        from sequrity.integrations.openai_client import OpenAIClientAdapter
        print(json.dumps({"agents": sys.modules.get("agents") is not None}))
        """
    )

    assert result == {"agents": False}


def test_missing_extra_error_is_an_import_error_and_a_sequrity_error() -> None:
    """Code catching ImportError or SequrityError catches it."""
    from sequrity import SequrityError

    assert (
        issubclass(MissingExtraError, ImportError),
        issubclass(MissingExtraError, SequrityError),
    ) == (
        True,
        True,
    )
