"""The LangGraph package's public surface: import paths, no langgraph at import, the missing-extra error."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest
from langgraph_helpers import MODEL, mail_spec

import sequrity.control.resources.langgraph as lg
from sequrity import SequrityClient, SequrityError
from sequrity.control.resources.langgraph import (
    LangGraphExecutor,
    LangGraphResource,
    LangGraphUnavailableError,
)


def test_importing_sequrity_never_imports_langgraph():
    """`import sequrity` and the LangGraph package (and a client) load without langgraph."""
    code = (
        "import sys, sequrity, sequrity.control.resources.langgraph as lg\n"
        "c = sequrity.SequrityClient('k', base_url='http://127.0.0.1:9'); c.control.langgraph\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'langgraph'))\n"
    )

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert done.stdout.strip() == "[]"


def test_a_state_graph_without_langgraph_installed_names_the_extra(monkeypatch):
    """Given a non-GraphSpec graph and no langgraph, the error says how to install it."""
    monkeypatch.setitem(sys.modules, "langgraph", None)
    monkeypatch.setitem(sys.modules, "langgraph.graph", None)

    with pytest.raises(LangGraphUnavailableError) as caught:
        LangGraphExecutor(object())

    assert "pip install 'sequrity[langgraph]'" in str(caught.value)
    assert isinstance(caught.value, SequrityError)
    assert isinstance(caught.value, RuntimeError)


def test_a_graph_spec_needs_no_langgraph(monkeypatch):
    """The framework-free description compiles with langgraph unavailable."""
    monkeypatch.setitem(sys.modules, "langgraph", None)
    monkeypatch.setitem(sys.modules, "langgraph.graph", None)

    assert "read_file(state=state)" in LangGraphExecutor(mail_spec()).generated_code


def test_all_lists_exactly_the_public_names():
    """`__all__` of the package equals its public names (the lazy blocking resource included)."""
    public = {
        name
        for name in dir(lg)
        if not name.startswith("_")
        and name not in {"TYPE_CHECKING", "annotations"}
        and not isinstance(getattr(lg, name), types.ModuleType)
    }

    assert set(lg.__all__) == public


def test_blocking_client_has_the_generated_twin(sequrity_emulator):
    """SequrityClient.control.langgraph is the generated LangGraphResource and runs graphs."""
    with SequrityClient("k", base_url=sequrity_emulator.base_url) as client:
        resource = client.control.langgraph
        state = resource.run(mail_spec(), {}, MODEL)

    assert type(resource) is LangGraphResource
    assert state["result"] == "Email sent: File contents: Hello World"
