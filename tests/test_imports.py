"""
Tests of the package's import structure: every module imports on its own, and the import graph
(read from the source, ``TYPE_CHECKING`` and function-level imports included) has no cycle and no
upward edge from the core or the resources.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sequrity"

#: What the core may import from the rest of the package (leaf modules only).
CORE_MAY_IMPORT = frozenset({"sequrity._exceptions", "sequrity._logging", "sequrity._sentinel"})
#: The modules that make up the client layer: nothing below it may import them.
CLIENT_MODULES = frozenset({"sequrity._client", "sequrity._sync_client"})


def modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = modules()


def imported(name: str, path: Path) -> Iterator[str]:
    """The package modules `path` imports, wherever the import statement is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                if candidate in MODULES:
                    yield candidate
                elif target in MODULES:
                    yield target


GRAPH = {name: set(imported(name, path)) - {name} for name, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph)))
    try:
        for v in sorted(graph):
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return found


def test_the_graph_finds_a_cycle_when_there_is_one():
    """The cycle finder itself: a -> b -> c -> a is one cycle; d -> a is not part of it."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

    assert cycles(graph) == [frozenset({"a", "b", "c"})]


def test_the_import_graph_has_no_cycle():
    """No module imports itself through others (TYPE_CHECKING imports count)."""
    assert [sorted(c) for c in cycles(GRAPH)] == []


def test_the_core_imports_nothing_above_it():
    """`sequrity._core` imports only itself and the leaf modules (errors, logging, sentinel)."""
    upward = {
        (name, target)
        for name, targets in GRAPH.items()
        if name.startswith("sequrity._core.")
        for target in targets
        if not target.startswith("sequrity._core") and target not in CORE_MAY_IMPORT
    }

    assert upward == set()


def test_resources_sessions_and_control_never_import_the_client():
    """The resources, the session handles and `client.control` receive an exchange, not the client."""
    below = [
        name
        for name in GRAPH
        if name.startswith(("sequrity.control.resources", "sequrity._sync.control"))
        or name in ("sequrity.control._client", "sequrity.control.sessions")
    ]

    assert {(n, t) for n in below for t in GRAPH[n] & CLIENT_MODULES} == set()


# -- every module on its own ---------------------------------------------------------------------

_IMPORT_EACH = """
import importlib, json, sys, traceback
results = {}
for name in json.loads(sys.argv[1]):
    for loaded in [m for m in sys.modules if m == "sequrity" or m.startswith("sequrity.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        missing = type(exc).__name__ == "MissingExtraError"
        results[name] = ("missing extra: " if missing else "error: ") + "".join(
            traceback.format_exception_only(type(exc), exc)
        ).strip()
    else:
        results[name] = "ok"
print(json.dumps(results))
"""

#: Where modules may need an optional extra (they raise MissingExtraError without it).
EXTRAS = (
    "sequrity.integrations.",
    "sequrity.control.integrations.",
    "sequrity.batch_ray",
    "sequrity._batch_ray_driver",
)
#: Modules that are scripts (``python -m``), not importable units.
SCRIPTS = frozenset(name for name in MODULES if name.endswith(".__main__"))


@pytest.fixture(scope="module")
def isolated_imports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Import each module in a fresh copy of the package (two interpreters, warnings as errors)."""
    names = sorted(set(MODULES) - SCRIPTS)
    # Bytecode cached outside the tree: each module is compiled once, not once per import.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path_factory.mktemp("pycache"))
    runs = [
        subprocess.Popen(
            [sys.executable, "-W", "error", "-c", _IMPORT_EACH, json.dumps(names[half::2])],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        for half in (0, 1)
    ]
    results: dict[str, str] = {}
    for run in runs:
        out, err = run.communicate(timeout=600)
        assert run.returncode == 0, err[-3000:]
        results.update(json.loads(out.strip().splitlines()[-1]))
    return results


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("name", sorted(set(MODULES) - SCRIPTS))
def test_every_module_imports_on_its_own(isolated_imports: dict[str, str], name: str):
    """Importing the module first, with no other module of the package loaded, works."""
    result = isolated_imports[name]
    if result.startswith("missing extra: "):
        assert name.startswith(EXTRAS), result  # the core never needs an extra
        pytest.skip(result)

    assert result == "ok"
