"""Developer tasks: `nox -s tests`, `speed`, `langgraph`, `integrations`, `scale`, `lint`,
`typing`, `generate`, `docs`, `bench`, `demo`, `official-suite`."""

from __future__ import annotations

import os

import nox

#: CI runs the property tests with as many examples as they name (see tests/_budget.py); a
#: plain local `pytest` runs a quarter of them.
TEST_ENV = {"SEQURITY_TEST_PROFILE": os.environ.get("SEQURITY_TEST_PROFILE", "ci")}

nox.options.sessions = [
    "tests",
    "speed",
    "langgraph",
    "integrations",
    "scale",
    "lint",
    "typing",
    "generate",
    "docs",
]
#: The documentation's Python samples; those needing an extra skip in `tests` and run in the
#: extra's session.
SAMPLES = ("tests/docs/test_snippets.py::test_python_sample_runs_against_the_emulator",)

nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = False


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite."""
    session.install("-e", ".[tests]")
    # Two workers: every test is safe to run in parallel, and on two cores the suite takes about
    # 60% of its serial wall time.
    session.run("pytest", "-n", "2", *session.posargs, env=TEST_ENV)


@nox.session
def speed(session: nox.Session) -> None:
    """The tests of the paths the `[speed]` extra changes (JSON through orjson, uvloop for the loops
    the SDK owns), with it installed; `tests` covers the same paths without it."""
    session.install("-e", ".[tests,speed]")
    session.run(
        "pytest",
        "-n",
        "2",
        "tests/_core",
        "tests/types",
        "tests/control/resources",
        "tests/hostile",
        "tests/test_sync_client.py",
        "tests/test_leaks.py",
        "tests/test_fault_matrix.py",
        "tests/test_stream_lifecycle.py",
        *session.posargs,
        env=TEST_ENV,
    )


@nox.session
def langgraph(session: nox.Session) -> None:
    """The LangGraph executor's tests with the `langgraph` extra installed (they skip without it)."""
    session.install("-e", ".[tests,langgraph]")
    session.run(
        "pytest",
        "tests/control/langgraph_executor",
        "tests/testing/test_emulator_langgraph.py",
        "tests/test_examples.py",
        *session.posargs,
        env=TEST_ENV,
    )
    session.run("pytest", *SAMPLES, "-k", "langgraph", *session.posargs, env=TEST_ENV)


@nox.session
def scale(session: nox.Session) -> None:
    """Batch runs on a real local Ray cluster (two worker processes) against the emulator, with
    the `ray` extra: 5,000 lines exactly once, a 429 pausing every worker, a killed worker and a
    killed then resumed driver. One process (one cluster); it skips without Ray."""
    session.install("-e", ".[tests,ray]")
    session.run("pytest", "tests/scale", *session.posargs, env=TEST_ENV)


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff lint and format checks."""
    session.install("ruff>=0.6")
    session.run(
        "ruff",
        "check",
        "sequrity",
        "sequrity_api",
        "tests",
        "tools",
        "benchmarks",
        "examples",
        "docs/snippets",
        "noxfile.py",
    )
    session.run(
        "ruff",
        "format",
        "--check",
        "sequrity",
        "sequrity_api",
        "tests",
        "tools",
        "benchmarks",
        "examples",
        "docs/snippets",
        "noxfile.py",
    )


@nox.session
def typing(session: nox.Session) -> None:
    """Strict mypy on the package, with the integrations' extras installed (it checks our code
    against their real types)."""
    session.install("-e", ".[tests,agents,langchain,langgraph,ray,speed]", "mypy>=1.11")
    session.run("mypy", "sequrity", "tests/typecheck")


@nox.session
def integrations(session: nox.Session) -> None:
    """The agent-framework integrations with their extras: their tests (LangChain's standard
    chat-model tests included), the official names' tests, and the framework examples."""
    session.install("-e", ".[tests,agents,langchain]", "langchain-tests")
    session.run(
        "pytest",
        "tests/integrations",
        "tests/control/integrations",
        "--benchmark-disable",
        *session.posargs,
        env=TEST_ENV,
    )
    session.run("pytest", *SAMPLES, "-k", "integrations", *session.posargs, env=TEST_ENV)


@nox.session
def generate(session: nox.Session) -> None:
    """Fail when the generated blocking facades are stale (`python tools/gen_sync.py` fixes)."""
    session.install("ruff>=0.6")  # the generator formats its output
    session.run("python", "tools/gen_sync.py", "--check")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site strictly: any warning (a broken reference, a missing page or
    sample, a docstring that does not parse) fails. `nox -s docs -- serve` previews it instead."""
    extras = nox.project.load_toml("pyproject.toml")["project"]["optional-dependencies"]
    session.install(*extras["docs"])  # mkdocstrings reads the source; the package is not needed
    # Silence mkdocs' and Material's banners about their future versions (not warnings here).
    env = {"NO_MKDOCS_2_WARNING": "1"}
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", *session.posargs[1:], env=env)
        return
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", *session.posargs, env=env)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks side by side with bare aiohttp (not part of the default sessions)."""
    session.install("-e", ".[speed]")
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """The CLI against the embedded emulator."""
    session.install("-e", ".")
    session.run("sequrity", "chat", "What is the largest prime number below 100?")


@nox.session(name="official-suite")
def official_suite(session: nox.Session) -> None:
    """The official SDK's test suite and examples, unchanged, against our emulator (not in CI).

    `nox -s official-suite -- CHECKOUT` runs them with our package; `-- CHECKOUT --sdk official`
    installs the official SDK from CHECKOUT into its own virtualenv and runs the same suite
    against the same scripted emulator. CHECKOUT is a checkout of sequrity-ai/sequrity-api;
    nothing is fetched at test time (tools/official_suite.py says how to get one).
    """
    if not session.posargs or session.posargs[0].startswith("-"):
        session.run("python", "tools/official_suite.py", *session.posargs)  # prints how to get it
        return
    session.install(
        "-e",
        ".[agents,langchain,langgraph]",
        "pytest",
        "pytest-asyncio",
        "httpx",
        "requests",
        "rich",
    )
    session.run("python", "tools/official_suite.py", *session.posargs)
