"""
The documentation site's wiring: the getting-started commands are the README's and work, the
README links to the hosted site, CI builds it, and the package never imports the docs tooling.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest
from cli_helpers import clean_env
from snippet_files import ROOT, SNIPPETS

QUICKSTART = SNIPPETS / "getting_started" / "quickstart.sh"


def _readme_block_after(heading: str) -> str:
    """The first fenced block of the README after `heading`."""
    text = (ROOT / "README.md").read_text("utf-8")
    start = text.index(heading)
    match = re.search(r"```\w*\n(?P<body>.*?)```", text[start:], re.S)
    assert match is not None, f"no code block after {heading!r}"
    return match.group("body")


def _site_url() -> str:
    """The default `site_url` of mkdocs.yml (the Pages workflow may pass another)."""
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    match = re.search(r'^site_url: !ENV \[SITE_URL, "(?P<url>[^"]+)"\]$', text, re.M)
    assert match is not None, "mkdocs.yml has no site_url with a default"
    return match.group("url")


def test_the_getting_started_commands_are_the_readmes() -> None:
    """The page's two commands are the README's quick start, word for word."""
    assert QUICKSTART.read_text("utf-8") == _readme_block_after("## Quick start")


@pytest.mark.slow
def test_the_getting_started_chat_command_answers_without_a_key() -> None:
    """The first command's `sequrity chat` part answers through the embedded emulator."""
    command = next(
        line.split("&&", 1)[1]
        for line in QUICKSTART.read_text("utf-8").splitlines()
        if "sequrity chat" in line
    )
    argv = shlex.split(command)
    assert argv[0] == "sequrity"

    done = subprocess.run(
        [sys.executable, "-m", "sequrity", *argv[1:]],
        capture_output=True,
        text=True,
        timeout=120,
        env=clean_env(),
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "embedded emulator" in done.stdout + done.stderr
    assert done.stdout.strip().endswith("97")


def test_the_readme_links_to_the_sites_getting_started_page() -> None:
    """README.md points readers at the hosted getting-started page."""
    assert _site_url() + "getting-started/" in (ROOT / "README.md").read_text("utf-8")


def test_ci_builds_the_site_strictly() -> None:
    """The nox docs session builds with --strict, CI runs it, and so does the Pages workflow."""
    noxfile = (ROOT / "noxfile.py").read_text("utf-8")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    workflow = (ROOT / ".github" / "workflows" / "docs.yml").read_text("utf-8")

    assert '"mkdocs", "build", "--strict"' in noxfile
    assert re.search(r"^python3 -m nox -s .*\bdocs\b", ci, re.M)
    assert "nox -s docs" in workflow
    assert "actions/deploy-pages" in workflow


def test_every_page_is_in_the_navigation() -> None:
    """Each Markdown page under docs/ is listed in the nav of mkdocs.yml."""
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    listed = set(re.findall(r"(?:^|\s)([\w/-]+\.md)\s*$", config, re.M))
    pages = {
        p.relative_to(ROOT / "docs").as_posix()
        for p in (ROOT / "docs").rglob("*.md")
        if SNIPPETS not in p.parents
    }

    assert pages - listed == set()


def test_importing_sequrity_loads_no_docs_tooling() -> None:
    """The docs extra is for building the site only: the package never imports it."""
    code = (
        "import sys, sequrity, sequrity.control, sequrity.testing, sequrity.batch\n"
        "tools = ('mkdocs', 'mkdocstrings', 'griffe', 'material', 'pymdownx', 'markdown')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in tools))\n"
    )

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )

    assert done.stdout.strip() == "[]"


def test_docs_extra_lists_the_site_tools() -> None:
    """`pip install 'sequrity[docs]'` installs what mkdocs.yml uses."""
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
        "optional-dependencies"
    ]
    names = {re.split(r"[<>=\[ ]", spec, maxsplit=1)[0] for spec in extras["docs"]}

    assert {"mkdocs", "mkdocs-material", "mkdocstrings", "mkdocstrings-python"} <= names
