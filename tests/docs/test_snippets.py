"""
Every code sample of the documentation runs: the Python programs against the emulator, the
pytest files with pytest, the shell sessions with bash, and nothing on a page is left unrun.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import clean_env, standalone_emulator
from snippet_files import (
    PIP_LINE,
    ROOT,
    SNIPPETS,
    all_snippets,
    emulator_script,
    fenced_blocks,
    includes,
    missing_extra,
    name,
    pages,
    snippets_of_kind,
)

from sequrity.testing import ScriptFile

#: What a sample must print (each text somewhere in its standard output), beyond running cleanly.
EXPECTED_OUTPUT: dict[str, list[str]] = {
    "getting_started/first_request.py": ["97"],
    "getting_started/first_request_blocking.py": ["97", "stop"],
    "getting_started/emulator.sh": ["97"],
    "security/headers.py": ['X-Features: {"agent_arch":"dual-llm"', "X-Policy: ", "X-Config: "],
    "security/client_defaults.py": ['"status": "success"', "97"],
    "security/policy_cli.sh": ["DENIED (hard)", "exit status 1"],
    "security/check_locally.py": ["Expected 'in' or '=='", "False hard"],
    "security/denied.py": [
        "tools run: ['get_internal_document']",
        "status: failure",
        "denied: Tool call to 'send_email' is denied by argument checking policies",
    ],
    "security/generate_policy.py": ['tool "delete_file"', "tokens: "],
    "security/fine_grained.py": ['"max_n_turns":null', "success 97", "final_return_value = 97"],
    "security/validate.py": ["False", "'triple-llm' is not allowed", "True"],
    "sessions/continue.py": ["same session: True"],
    "sessions/handles.py": ["two sessions: True"],
    "sessions/tool_loop.py": ["calling get_weather {'city': 'Paris'}", 'success {"city": "Paris"'],
    "sessions/run_tools.py": ["called get_weather {'city': 'Paris'}", "finished: True"],
    "sessions/results.py": ["success 97", "True Tool call to 'send_email'", "unknown"],
    "streaming/chat.py": ["Emulated answer to: Write a haiku", "session: True"],
    "streaming/chat_blocking.py": ["Emulated answer to: Write a haiku"],
    "streaming/messages.py": ["Emulated answer to: Write a haiku", "end_turn"],
    "streaming/responses.py": ["Emulated answer to: Write a haiku", "completed resp_"],
    "streaming/dual_llm.py": ["success 97"],
    "reliability/deadlines.py": ["total deadline of 1.0 s", "97"],
    "reliability/retries.py": ["attempt 1 failed (HTTP 503)", "200 after 2 retries", "97"],
    "reliability/errors.py": ["invalid: model must be", "404 model 'no-such-model' not found True"],
    "reliability/limits.py": ["max_body_size 100"],
    "reliability/logging.sh": ["200 after 2 retries"],
    "batches/create_many.py": ["What is 20 squared? -> ", "20 of 20 succeeded"],
    "batches/iter_many.py": ["doc-a True", "doc-b True", "doc-c True"],
    "batches/create_many_blocking.py": ["3 succeeded, 0 failed", "starting with R"],
    "batches/run_batch.py": ["done 3 (succeeded 3, failed 0)", "second run skipped 3"],
    "batches/batch.sh": ["3"],
    "testing/in_a_program.py": ['{"answer": 42}', "echo: Hello", "2 requests, 2 sessions"],
    "testing/standalone.sh": ["No rain today."],
    "langgraph/run_graph.py": [
        "A billing specialist will contact you today.",
        "['classify', 'escalate'] in 4 requests",
        "{'classify': {'category': 'billing'}}",
    ],
    "langgraph/denied_node.py": ["denied at escalate", "'category': 'billing'"],
    "langgraph/graph_spec.py": ["'reply': 'See the general FAQ.'"],
    "integrations/agents_run.py": [
        "answer: checking: 2,500 EUR",
        "denied: Tool call to 'transfer_money' is denied",
        "continue with session True",
    ],
    "integrations/langchain_model.py": ["'name': 'get_weather'", "Sunny in Rome", "session: True"],
    "integrations/sqrt_gate.py": [
        "call-1 success deleted /tmp/scratch.txt",
        "call-2 error Tool call to 'delete_file' is denied",
    ],
    "integrations/openai_adapter.py": ["openai.types.chat", "97"],
    "cli/chat.sh": ["97", "Emulated answer to: Write a haiku", '"status": "success"', "Hello"],
    "cli/help.sh": ["sequrity ", "usage: sequrity batch"],
}

#: What a sample prints on standard error on purpose (each text must appear there); any other
#: sample must leave standard error empty.
EXPECTED_STDERR: dict[str, list[str]] = {
    "reliability/logging.sh": ["sequrity DEBUG POST", "sequrity INFO retrying POST", "<redacted>"],
    "batches/batch.sh": ["sequrity batch: done 3 (succeeded 3", "skipped 3"],
    "cli/chat.sh": ["session: "],
}

#: Samples start whole interpreters (several, for shell sessions): more time than a unit test.
SAMPLE_TIMEOUT = pytest.mark.timeout(180)

#: The emulator's address as the shell samples write it (``sequrity emulator`` serves there).
EMULATOR_URL = "http://127.0.0.1:8765"
_EMULATOR_LINE = re.compile(r"^sequrity emulator(?P<args>[^&#]*)&?\s*(#.*)?$")


def _workdir(sample: Path, tmp_path: Path) -> Path:
    """A copy of the sample's directory, so samples may write files and read their neighbours."""
    work = tmp_path / "work"
    shutil.copytree(sample.parent, work, ignore=shutil.ignore_patterns("__pycache__"))
    return work


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=180, check=False
    )


def _check_output(sample: Path, done: subprocess.CompletedProcess[str]) -> None:
    key = name(sample)
    assert done.returncode == 0, f"{key} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    for text in EXPECTED_OUTPUT.get(key, []):
        assert text in done.stdout, f"{key} did not print {text!r}:\n{done.stdout}"
    if key in EXPECTED_STDERR:
        for text in EXPECTED_STDERR[key]:
            assert text in done.stderr, f"{key} did not report {text!r}:\n{done.stderr}"
    else:
        assert done.stderr == "", f"{key} wrote to standard error:\n{done.stderr}"


def _ids(paths: list[Path]) -> list[str]:
    return [name(p) for p in paths]


@pytest.mark.slow
@SAMPLE_TIMEOUT
@pytest.mark.parametrize("sample", snippets_of_kind("python"), ids=_ids(snippets_of_kind("python")))
def test_python_sample_runs_against_the_emulator(
    sample: Path, sequrity_emulator: Any, tmp_path: Path
) -> None:
    """The program exits 0 in a fresh interpreter, talking to the emulator, and prints what it should."""
    extra = missing_extra(sample)
    if extra is not None:
        pytest.skip(f"needs the {extra!r} extra (run by its nox session)")
    script = emulator_script(sample)
    if script is not None:
        ScriptFile.load(script).apply(sequrity_emulator)
    env = clean_env(
        {"SEQURITY_BASE_URL": sequrity_emulator.base_url, "SEQURITY_API_KEY": "sq-docs-sample"}
    )

    done = _run([sys.executable, "-W", "error", sample.name], _workdir(sample, tmp_path), env)

    _check_output(sample, done)


@pytest.mark.slow
@pytest.mark.timeout(300)  # one pytest run for every sample file, each with its own emulators
def test_pytest_samples_pass(tmp_path: Path) -> None:
    """Every sample test file passes under pytest, in a project of its own, with the plugin."""
    samples = snippets_of_kind("pytest")
    work = _workdir(samples[0], tmp_path)
    assert {p.parent for p in samples} == {samples[0].parent}, "keep pytest samples together"
    options = ["-p", "no:cacheprovider", "-p", "no:asyncio", "-W", "error", "-rA"]

    done = _run(
        [sys.executable, "-m", "pytest", *options, *(p.name for p in samples)], work, clean_env()
    )

    assert done.returncode == 0, done.stdout + done.stderr
    passed = set(re.findall(r"^PASSED (\S+?)::", done.stdout, re.M))
    assert passed == {p.name for p in samples}, done.stdout


def _shell_env(work: Path, base_url: str) -> dict[str, str]:
    """The sample's environment: our interpreter's scripts first on PATH, the emulator configured."""
    bin_dir = str(Path(sys.executable).parent)
    env = clean_env({"SEQURITY_BASE_URL": base_url, "SEQURITY_API_KEY": "sq-docs-sample"})
    env["PATH"] = bin_dir + ":" + env.get("PATH", "")
    return env


@pytest.mark.slow
@SAMPLE_TIMEOUT
@pytest.mark.parametrize("sample", snippets_of_kind("shell"), ids=_ids(snippets_of_kind("shell")))
def test_shell_sample_runs(sample: Path, sequrity_emulator: Any, tmp_path: Path) -> None:
    """
    The session runs with bash, line by line as written. A ``sequrity emulator ...`` line starts
    the standalone emulator on a free port, and the sample's ``http://127.0.0.1:8765`` is
    pointed at it; otherwise the environment points at the test's emulator.
    """
    work = _workdir(sample, tmp_path)
    lines = sample.read_text("utf-8").splitlines()
    starts = [m for m in map(_EMULATOR_LINE.match, lines) if m is not None]
    body = "\n".join(line for line in lines if not _EMULATOR_LINE.match(line)) + "\n"

    if not starts:
        env = _shell_env(work, sequrity_emulator.base_url)
        done = _run(["bash", "-euo", "pipefail", "-c", body], work, env)
    else:
        assert len(starts) == 1, "one standalone emulator per sample"
        with standalone_emulator(*shlex.split(starts[0].group("args")), cwd=work) as emu:
            env = _shell_env(work, emu.url)
            done = _run(
                ["bash", "-euo", "pipefail", "-c", body.replace(EMULATOR_URL, emu.url)], work, env
            )

    _check_output(sample, done)


def test_every_sample_is_shown_on_a_page() -> None:
    """No sample file is orphaned: each one is included by some page."""
    shown = {path for page in pages() for path in includes(page)}

    assert [n for n in map(name, all_snippets()) if n not in shown] == []


def test_every_include_names_an_existing_sample() -> None:
    """Each ``--8<--`` include of a page points at a file under docs/snippets."""
    missing = [
        (page.name, path)
        for page in pages()
        for path in includes(page)
        if not (SNIPPETS / path).is_file()
    ]

    assert missing == []


def _extras() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return set(project["optional-dependencies"])


def test_pages_show_no_code_that_is_not_run() -> None:
    """
    Every fenced block of a page is an include of a sample, except install commands, whose
    extras must exist.
    """
    extras = _extras()
    unrun: list[str] = []
    for page in pages():
        for lang, body in fenced_blocks(page):
            lines = [
                ln for ln in body.splitlines() if ln.strip() and not ln.strip().startswith("#")
            ]
            if all(ln.strip().startswith("--8<--") for ln in lines):
                continue
            if lang in {"bash", "sh", "console"} and all(PIP_LINE.match(ln) for ln in lines):
                named = set(re.findall(r"(?:sequrity|\.)\[([\w,]+)\]", body))
                unknown = {e for group in named for e in group.split(",")} - extras
                assert unknown == set(), f"{page.name}: unknown extras {unknown}"
                continue
            unrun.append(f"{page.relative_to(ROOT)}: {lang or 'text'} block {lines[:1]}")

    assert unrun == []
