"""Tests for the blocking-facade generator (`tools/gen_sync.py`, rules in `tools/sync_rules.py`)."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from sequrity._sync.control.resources.chat import ChatResource
from sequrity.control.resources.chat import AsyncChatResource

ROOT = Path(__file__).resolve().parent.parent.parent
GENERATOR = ROOT / "tools" / "gen_sync.py"
GENERATED = sorted((ROOT / "sequrity" / "_sync").rglob("*.py"))


def load_generator() -> ModuleType:
    """Import tools/gen_sync.py from its file path."""
    spec = importlib.util.spec_from_file_location("gen_sync_under_test", GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = load_generator()
rules = importlib.import_module("sync_rules")  # gen_sync put tools/ on sys.path

HEADER = '''\
"""A module."""

from __future__ import annotations

import functools
import json
from collections.abc import AsyncIterator
from typing import Generic, TypeVar, overload

from pkg._core._raw import raw_async
from pkg._core._stream import AsyncStream
from pkg._core._wire import Timeout

T = TypeVar("T")

'''


def generate_one(tmp_path: Path, body: str) -> tuple[str, set[str]]:
    """Generate the facade of one module `pkg/mod.py` (HEADER + body); return it and the rules fired."""
    package = tmp_path / "pkg"
    package.mkdir(exist_ok=True)
    (package / "mod.py").write_text(HEADER + textwrap.dedent(body))
    project = gen.Project(tmp_path, "pkg", sources=["mod.py"])
    files = project.source_files()
    index = project.index_classes(files)
    text = rules.ModuleGenerator(project, files[0], index).generate()
    return gen.formatted(text, project.out / "mod.py", tmp_path), project.fired


RULE_CASES = [
    (
        "run-call",
        """
        class AsyncA:
            async def get(self, key: str, *, timeout: Timeout | None = None) -> int:
                '''Get it.'''
                return 1
        """,
        "return self._runner.run(self._async.get(key=key, timeout=timeout))",
    ),
    (
        "stream-call",
        """
        class AsyncA:
            async def events(self) -> AsyncStream[int]:
                '''Return an `AsyncStream` of numbers.'''
        """,
        "return as_blocking(self._runner, self._async.events())",
    ),
    (
        "iterator-call",
        """
        class AsyncA:
            def each(self) -> AsyncIterator[int]:
                '''Each one.'''
        """,
        "return iterate_blocking(self._runner, self._async.each())",
    ),
    (
        "iterator-overload",
        """
        class AsyncA:
            @overload
            def each(self, n: int) -> AsyncIterator[int]: ...
            @overload
            def each(self, n: str) -> AsyncIterator[str]: ...
            def each(self, n: int | str) -> AsyncIterator[int | str]:
                '''Each one.'''
        """,
        "def each(self, n: str) -> Iterator[str]: ...",
    ),
    (
        "facade-call",
        """
        class AsyncB:
            pass

        class AsyncA:
            def child(self, name: str) -> AsyncB:
                '''A child.'''
        """,
        "return B(self._async.child(name=name), self._runner)",
    ),
    (
        "delegate-call",
        """
        class AsyncA:
            def name(self) -> str:
                '''Its name.'''
        """,
        "return self._async.name()",
    ),
    (
        "lazy-resource",
        """
        class AsyncB:
            pass

        class AsyncA:
            @functools.cached_property
            def b(self) -> AsyncB:
                '''The B, loaded on first use.'''
        """,
        "from pkg._sync.mod import B",
    ),
    (
        "view-property",
        """
        class AsyncA:
            @property
            def with_raw_response(self) -> AsyncRaw:
                '''Raw.'''
                return AsyncRaw(self)

        class AsyncRaw:
            def __init__(self, a: AsyncA) -> None:
                self.get = raw_async(a.get)
        """,
        "return Raw(self)",
    ),
    (
        "property",
        """
        class AsyncA:
            @property
            def id(self) -> str | None:
                '''The id.'''
                return None
        """,
        "return self._async.id",
    ),
    (
        "attribute",
        """
        class AsyncB:
            pass

        class AsyncA:
            b: AsyncB
        """,
        "self.b = B(async_obj.b, runner)",
    ),
    (
        "context-manager",
        """
        class AsyncA:
            def __enter__(self) -> AsyncA:
                return self
        """,
        "self._async.__enter__()",
    ),
    (
        "raw-view",
        """
        class AsyncA:
            async def get(self) -> int:
                '''Get.'''

        class AsyncRaw:
            '''Raw twins.'''

            def __init__(self, a: AsyncA) -> None:
                self.get = raw_async(a.get)
        """,
        "self.get = raw_blocking(a.get)",
    ),
    (
        "typevar",
        """
        class AsyncA(Generic[T]):
            pass
        """,
        'T = TypeVar("T")',
    ),
    (
        "rename:AsyncStream",
        """
        class AsyncA:
            async def events(self) -> AsyncStream[int]:
                '''Events.'''
        """,
        "-> Stream[int]:",
    ),
    (
        "rename:raw_async",
        """
        class AsyncA:
            async def get(self) -> int:
                '''Get.'''

        class AsyncRaw:
            def __init__(self, a: AsyncA) -> None:
                self.get = raw_async(a.get)
        """,
        "from pkg._core._raw import raw_blocking",
    ),
    (
        "article",
        """
        class AsyncA:
            async def events(self) -> AsyncStream[int]:
                '''Return an `AsyncStream`; An AsyncStream; a stream.'''
        """,
        "Return a `Stream`; A Stream; a stream.",
    ),
    (
        "await-text",
        """
        class AsyncA:
            async def get(self) -> int:
                '''
                Example:
                    >>> async with x:
                    ...     await a.get()
                '''
        """,
        "...     a.get()",
    ),
]


@pytest.mark.parametrize(
    ("rule", "body", "expected"), RULE_CASES, ids=[case[0] for case in RULE_CASES]
)
def test_each_rule_rewrites_a_small_module(tmp_path: Path, rule: str, body: str, expected: str):
    """Each rule, on a module that needs it, fires and writes the blocking form."""
    text, fired = generate_one(tmp_path, body)

    assert rule in fired
    assert expected in text


def test_every_rule_has_a_test():
    """The cases above cover every rule the generator checks (the two source rules aside)."""
    assert {case[0] for case in RULE_CASES} == gen.RULES - {"source-glob", "async-class"}


def test_output_imports_only_what_it_uses(tmp_path: Path):
    """`json`, `Timeout`, `overload`... are imported by the source but unused by the facade: left out."""
    text, _ = generate_one(
        tmp_path,
        """
        class AsyncA:
            async def events(self) -> AsyncStream[int]:
                '''Events.'''
        """,
    )
    bound = {
        (alias.asname or alias.name).split(".")[0]
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.Import | ast.ImportFrom) and node.module != "__future__"
        for alias in node.names
    }

    assert bound == {"AsyncA", "BlockingRunner", "Stream", "TypeVar", "as_blocking"}


def test_output_is_formatted(tmp_path: Path):
    """The output is what ruff's formatter and import sorter make of it: formatting it again is a no-op."""
    text, _ = generate_one(
        tmp_path,
        """
        class AsyncA:
            async def get(self, key: str, other: int, more: float, still_more: bytes, last: str) -> int:
                '''Get it.'''
        """,
    )

    assert gen.formatted(text, tmp_path / "pkg" / "_sync" / "mod.py", tmp_path) == text


def test_a_glob_that_matches_nothing_never_fires(tmp_path: Path):
    """A source pattern with no module is a stale rule: generation fails naming it."""
    (tmp_path / "pkg").mkdir()
    project = gen.Project(tmp_path, "pkg", sources=["missing/*.py"])

    with pytest.raises(gen.GenerationError, match="rule never fired: source-glob"):
        gen.generate_all(project)


def test_a_module_without_async_classes_never_fires(tmp_path: Path):
    """A source module defining no `Async*` class is a stale rule."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("class Plain:\n    pass\n")
    project = gen.Project(tmp_path, "pkg", sources=["mod.py"])

    with pytest.raises(gen.GenerationError, match="rule never fired: async-class"):
        gen.generate_all(project)


def test_a_rule_that_never_fires_fails_generation(tmp_path: Path):
    """Sources in which some rule finds nothing to do fail generation, naming the first such rule."""
    generate_one(tmp_path, "class AsyncA:\n    async def get(self) -> int:\n        '''Get.'''\n")
    project = gen.Project(tmp_path, "pkg", sources=["mod.py"])

    with pytest.raises(gen.GenerationError, match=r"^rule never fired: article$"):
        gen.generate_all(project)


def test_check_reports_drift_and_writing_fixes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    """`--check` exits 1 with a diff when a generated file differs; a plain run rewrites it."""
    monkeypatch.setattr(gen, "RULES", frozenset())
    generate_one(tmp_path, "class AsyncA:\n    async def get(self) -> int:\n        '''Get.'''\n")
    project = gen.Project(tmp_path, "pkg", sources=["mod.py"])
    assert gen.main([], project) == 0
    target = tmp_path / "pkg" / "_sync" / "mod.py"
    target.write_text(target.read_text().replace("Get.", "Got."))
    capsys.readouterr()

    drifted = gen.main(["--check"], project)
    err = capsys.readouterr().err
    rewritten = gen.main([], project)
    fixed = gen.main(["--check"], project)

    assert (drifted, rewritten, fixed) == (1, 0, 0)
    assert '-        """Got."""' in err
    assert "stale: pkg/_sync/mod.py" in err


def test_check_reports_a_generated_file_without_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    """A file under _sync/ that no source generates is stale for `--check`."""
    monkeypatch.setattr(gen, "RULES", frozenset())
    generate_one(tmp_path, "class AsyncA:\n    pass\n")
    project = gen.Project(tmp_path, "pkg", sources=["mod.py"])
    gen.main([], project)
    (tmp_path / "pkg" / "_sync" / "old.py").write_text("# left over\n")

    assert gen.main(["--check"], project) == 1
    assert "stale: pkg/_sync/old.py" in capsys.readouterr().err


# -- the committed facades -----------------------------------------------------------------------


def test_committed_sync_files_are_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    """`gen_sync.py --check` exits 0: the generated facades match the async sources."""
    code = gen.main(["--check"])

    assert (code, capsys.readouterr().err) == (0, "")


def test_sync_create_has_the_async_parameters() -> None:
    """`ChatResource.create` takes the same parameter names, kinds and defaults as the async one."""
    sync = inspect.signature(ChatResource.create).parameters
    async_ = inspect.signature(AsyncChatResource.create).parameters

    assert [(p.name, p.kind, p.default) for p in sync.values()] == [
        (p.name, p.kind, p.default) for p in async_.values()
    ]


def test_sync_create_is_not_a_coroutine_function() -> None:
    """The generated method blocks; it is a plain function, not `async def`."""
    assert (
        inspect.iscoroutinefunction(ChatResource.create),
        inspect.iscoroutinefunction(AsyncChatResource.create),
    ) == (False, True)


def test_sync_create_keeps_the_docstring_with_fitting_articles() -> None:
    """The generated method carries the async method's documentation, "an `AsyncStream`" as "a `Stream`"."""
    expected = inspect.getdoc(AsyncChatResource.create) or ""
    expected = expected.replace("an `AsyncStream`", "a `Stream`").replace("AsyncStream", "Stream")

    assert inspect.getdoc(ChatResource.create) == expected
    assert "an `Stream`" not in "".join(p.read_text() for p in GENERATED)


def test_generated_files_exist() -> None:
    """The generator produced the chat resource facade and the control client facade."""
    names = {p.relative_to(ROOT).as_posix() for p in GENERATED}

    assert {
        "sequrity/_sync/control/resources/chat.py",
        "sequrity/_sync/control/_client.py",
    } <= names


@pytest.mark.parametrize("path", GENERATED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_generated_files_carry_the_do_not_edit_banner_and_no_noqa(path: Path) -> None:
    """Every generated file starts with the `do not edit` banner and silences no lint rule."""
    text = path.read_text()

    assert (
        re.fullmatch(
            r"# Generated by tools/gen_sync\.py( from sequrity/\S+)?; do not edit\.",
            text.splitlines()[0],
        )
        is not None
    )
    assert "noqa" not in text


def test_overloads_of_async_iterator_methods_become_blocking_iterators() -> None:
    """The blocking `LangGraphResource.stream` overloads return `Iterator[...]`, never async ones."""
    text = (ROOT / "sequrity/_sync/control/resources/langgraph/_resource.py").read_text()

    assert "-> Iterator[LangGraphEvent]: ..." in text
    assert "AsyncIterator[" not in text.split("class LangGraphResource", 1)[1]


def test_a_missing_ruff_is_a_generation_error_that_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Without ruff (no module, nothing on PATH) the generator fails with its own error, not a traceback."""
    monkeypatch.setattr(gen, "_has_module", lambda name: False)
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(gen.GenerationError, match=r"ruff.*pip install ruff"):
        gen.ruff(["format"], "x = 1\n", tmp_path / "m.py", tmp_path)
