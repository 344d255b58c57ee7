"""Helpers for command-line tests: run the real ``sequrity`` entry point in a subprocess."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

#: The command that starts the real entry point (``sequrity`` is ``python -m sequrity``).
SEQURITY = (sys.executable, "-m", "sequrity")


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The test process's environment without any ``SEQURITY_*`` variable, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEQURITY_")}
    env.update(extra or {})
    return env


def run_sequrity(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    module: str = "sequrity",
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m <module> ARGS`` to completion and capture its output as text."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env(env),
        cwd=cwd,
        check=False,
    )


#: The two ways to start the standalone emulator: ``sequrity emulator`` and the module.
EMULATOR_COMMANDS = {
    "sequrity emulator": ("-m", "sequrity", "emulator"),
    "python -m sequrity.testing": ("-m", "sequrity.testing"),
}
_LISTENING = re.compile(r"^Sequrity emulator listening on (http://\S+) \(")


@dataclasses.dataclass
class Standalone:
    """A running standalone emulator: its base URL, process and "listening on" line."""

    url: str
    process: subprocess.Popen[str]
    line: str
    #: What it printed on stdout after the listening line (read once it has stopped).
    rest: str = ""


@contextlib.contextmanager
def standalone_emulator(
    *args: str, command: str = "sequrity emulator", cwd: Path | None = None
) -> Iterator[Standalone]:
    """
    Start the standalone emulator on a free port, wait for its "listening on" line (no sleeps),
    and yield it; stop it with SIGINT (as Ctrl-C would) on exit.
    """
    argv = [sys.executable, *EMULATOR_COMMANDS[command], "--port", "0", *args]
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
        cwd=cwd,
    )
    running: Standalone | None = None
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = _LISTENING.match(line)
        if match is None:
            proc.kill()
            _, err = proc.communicate(timeout=10)
            raise AssertionError(f"no listening line: {line!r}; stderr: {err!r}")
        running = Standalone(url=match.group(1), process=proc, line=line.rstrip("\n"))
        yield running
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        if proc.stdout is not None and running is not None:
            running.rest = proc.stdout.read()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
