"""Developer tasks: `nox -s tests`, `langgraph`, `integrations`, `scale`, `lint`, `typing`, `generate`,
`bench`, `demo`."""

from __future__ import annotations

import os

import nox

#: CI runs the property tests with as many examples as they name (see tests/_budget.py); a
#: plain local `pytest` runs a quarter of them.
TEST_ENV = {"SEQURITY_TEST_PROFILE": os.environ.get("SEQURITY_TEST_PROFILE", "ci")}

nox.options.sessions = [
    "tests",
    "langgraph",
    "integrations",
    "scale",
    "lint",
    "typing",
    "generate",
]
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
        "ruff", "check", "sequrity", "tests", "tools", "benchmarks", "examples", "noxfile.py"
    )
    session.run(
        "ruff",
        "format",
        "--check",
        "sequrity",
        "tests",
        "tools",
        "benchmarks",
        "examples",
        "noxfile.py",
    )


@nox.session
def typing(session: nox.Session) -> None:
    """Strict mypy on the package, with the integrations' extras installed (it checks our code
    against their real types)."""
    session.install("-e", ".[tests,agents,langchain,langgraph,ray]", "mypy>=1.11")
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


@nox.session
def generate(session: nox.Session) -> None:
    """Fail when the generated blocking facades are stale (`python tools/gen_sync.py` fixes)."""
    session.install("ruff>=0.6")  # the generator formats its output
    session.run("python", "tools/gen_sync.py", "--check")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks side by side with bare aiohttp (not part of the default sessions)."""
    session.install("-e", ".")
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """The CLI against the embedded emulator."""
    session.install("-e", ".")
    session.run("sequrity", "chat", "What is the largest prime number below 100?")
