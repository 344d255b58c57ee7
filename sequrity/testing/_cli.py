"""
The standalone emulator's command line, shared by ``sequrity emulator`` and
``python -m sequrity.testing``: the same flags, the same default port, the same messages.
"""

from __future__ import annotations

import argparse
import errno
import signal
import sys
from typing import TYPE_CHECKING

from .._cli_parser import port_number
from ._defaults import DEFAULT_PORT

if TYPE_CHECKING:
    from ._script_file import ScriptFile

__all__ = ["DESCRIPTION", "EPILOG", "add_emulator_arguments", "run_emulator"]

DESCRIPTION = """\
Serve a local emulator of the Sequrity Control API in the foreground, until Ctrl-C.
It answers every documented route deterministically (chat completions, Messages, Responses,
policy generation, validate-headers), evaluates SQRT policies in Dual-LLM mode, and can be
scripted with answers, tool calls and faults from a JSON file (--script).
"""

EPILOG = f"""\
examples:
  sequrity emulator                              # http://127.0.0.1:{DEFAULT_PORT}, any API key
  sequrity emulator --port 0 --api-key sq-test   # a free port, one accepted key
  sequrity emulator --script weather.json        # scripted tool calls (format in the README)

then, in another shell:
  export SEQURITY_BASE_URL=http://127.0.0.1:{DEFAULT_PORT} SEQURITY_API_KEY=sq-emulator-key
  sequrity chat "What is the largest prime number below 100?"

exit status: 0 after Ctrl-C or SIGTERM, 2 when it cannot start (port in use, bad script file).
"""


def add_emulator_arguments(parser: argparse.ArgumentParser) -> None:
    """
    Add the emulator's flags: ``--host``, ``--port``, ``--api-key`` and ``--script``.

    Args:
        parser: The parser of ``sequrity emulator`` or of ``python -m sequrity.testing``.
    """
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="interface to bind (default 127.0.0.1, this machine only)",
    )
    parser.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        metavar="N",
        help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        metavar="KEY",
        help="accept only this bearer token (repeatable; default: any non-empty token)",
    )
    parser.add_argument(
        "--script",
        metavar="FILE",
        help="JSON file of scripted answers, tool calls and faults (format in the README)",
    )


def _listening(url: str, api_keys: list[str] | None, script: ScriptFile | None) -> str:
    keys = "accepts any API key" if not api_keys else f"accepts API keys: {len(api_keys)} given"
    parts = [keys]
    if script is not None:
        parts.append(f"script {script.path}: {script.answers} answer(s), {script.faults} fault(s)")
    parts.append("Ctrl-C to stop")
    return f"Sequrity emulator listening on {url} ({'; '.join(parts)})"


def _cannot_listen(host: str, port: int, exc: OSError) -> str:
    text = f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    if exc.errno in (errno.EADDRINUSE, errno.EACCES):
        text += " (choose another --port, or --port 0 for any free port)"
    return text


def run_emulator(args: argparse.Namespace) -> int:
    """
    Serve the emulator the parsed flags describe until Ctrl-C or SIGTERM.

    Prints the "listening on" line (and how to point a client at it) on stdout once serving;
    a problem that stops it from starting is one ``sequrity: error: ...`` line on stderr.

    Returns:
        0 after a clean stop, 2 when it cannot start.
    """
    from ._script_file import ScriptFile, ScriptFileError
    from ._server import serve_forever

    script: ScriptFile | None = None
    if args.script is not None:
        try:
            script = ScriptFile.load(args.script)
        except ScriptFileError as exc:
            print(f"sequrity: error: bad --script file {exc}", file=sys.stderr)
            return 2
    api_keys: list[str] | None = args.api_keys

    def ready(url: str) -> None:
        print(_listening(url, api_keys, script), flush=True)
        # Never echo a configured key: it may be a real one.
        key = "<one of your --api-key values>" if api_keys else "sq-emulator-key"
        print(
            f"Point a client at it: export SEQURITY_BASE_URL={url} SEQURITY_API_KEY={key}",
            flush=True,
        )

    # SIGTERM stops the server like Ctrl-C does, so `kill` and `terminate()` exit cleanly.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        serve_forever(args.host, args.port, api_keys, ready=ready, script=script)
    except OSError as exc:
        print(f"sequrity: error: {_cannot_listen(args.host, args.port, exc)}", file=sys.stderr)
        return 2
    return 0
