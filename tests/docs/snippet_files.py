"""
The documentation's code samples (``docs/snippets/``) and the pages that include them: where they
are, which kind each is, which extra a sample needs, and the fenced blocks of a page.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SNIPPETS = DOCS / "snippets"

#: Samples that need more than the generic runners: each has its own test in test_snippets.py.
SPECIAL = {"getting_started/quickstart.sh"}

#: Modules of the optional extras (and our integrations built on them), and the extra of each.
EXTRA_OF_MODULE = {
    "langgraph": "langgraph",
    "agents": "agents",
    "openai": "agents",
    "langchain_core": "langchain",
    "sequrity.integrations.openai_agents": "agents",
    "sequrity.integrations.openai_client": "agents",
    "sequrity.integrations.langchain": "langchain",
    "sequrity.integrations.sqrt_gate": "langchain",
}
#: The package that must be importable for each extra.
PACKAGE_OF_EXTRA = {"langgraph": "langgraph", "agents": "agents", "langchain": "langchain_core"}

#: ``--8<-- "path"`` (pymdownx.snippets), optionally with ``:section`` or ``:start:end``.
INCLUDE = re.compile(r'^[ \t]*--8<--[ \t]+"(?P<path>[^":]+)(?::[^"]*)?"[ \t]*$', re.M)
#: A fenced block: its indent, language and body.
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>```+)(?P<lang>[\w+-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.M | re.S,
)
#: An install command a page may show inline (it cannot run in a test; its extras are checked).
PIP_LINE = re.compile(r"^\s*pip (?:un)?install\b")


def name(path: Path) -> str:
    """The sample's path below ``docs/snippets``, as pages write it."""
    return path.relative_to(SNIPPETS).as_posix()


def all_snippets() -> list[Path]:
    """Every file under ``docs/snippets`` (caches excluded), sorted."""
    return sorted(p for p in SNIPPETS.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _kind(path: Path) -> str:
    if name(path) in SPECIAL:
        return "special"
    if path.suffix == ".py":
        return "pytest" if path.name.startswith("test_") else "python"
    if path.suffix == ".sh":
        return "shell"
    return "data"


def snippets_of_kind(kind: str) -> list[Path]:
    """The samples of one kind: ``python``, ``pytest``, ``shell``, ``data`` or ``special``."""
    return [p for p in all_snippets() if _kind(p) == kind]


#: How a sample names the emulator script it needs, in a comment users can follow.
SCRIPT_COMMENT = re.compile(r"^#.*\bsequrity emulator --script (?P<file>\S+\.json)", re.M)


def emulator_script(path: Path) -> Path | None:
    """
    The emulator script a Python sample needs, named in a comment such as ``# Against the
    emulator: sequrity emulator --script weather.script.json`` (a file beside the sample).
    """
    match = SCRIPT_COMMENT.search(path.read_text("utf-8"))
    return None if match is None else path.with_name(match.group("file"))


def _imports(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def extras_needed(path: Path) -> set[str]:
    """The extras a Python sample needs, through its imports and those of its neighbours."""
    extras: set[str] = set()
    for module in _imports(path):
        for name, extra in EXTRA_OF_MODULE.items():
            if module == name or module.startswith(name + "."):
                extras.add(extra)
        local = path.with_name(module.split(".")[0] + ".py")
        if local.is_file() and local != path:
            extras |= extras_needed(local)
    return extras


def missing_extra(path: Path) -> str | None:
    """The first extra a sample needs whose package is not installed, else `None`."""
    for extra in sorted(extras_needed(path)):
        if importlib.util.find_spec(PACKAGE_OF_EXTRA[extra]) is None:
            return extra
    return None


def pages() -> list[Path]:
    """Every Markdown page of the site (samples excluded)."""
    return sorted(p for p in DOCS.rglob("*.md") if SNIPPETS not in p.parents)


def includes(page: Path) -> list[str]:
    """The sample paths a page includes."""
    return [m.group("path") for m in INCLUDE.finditer(page.read_text("utf-8"))]


def fenced_blocks(page: Path) -> Iterator[tuple[str, str]]:
    """``(language, body)`` of each fenced block of a page."""
    for match in FENCE.finditer(page.read_text("utf-8")):
        yield match.group("lang"), match.group("body")
