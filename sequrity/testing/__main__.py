"""
``python -m sequrity.testing``: serve the emulator in the foreground and print its base URL.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence

from ._server import serve_forever


def main(argv: Sequence[str] | None = None) -> int:
    """
    Parse the command line and serve until interrupted.

    Returns:
        The exit status (0).
    """
    parser = argparse.ArgumentParser(
        prog="python -m sequrity.testing",
        description="Serve a local emulator of the Sequrity Control API.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8000, help="port, 0 = any free port (default 8000)"
    )
    parser.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        metavar="KEY",
        help="accepted bearer token (repeatable; default: any non-empty token)",
    )
    args = parser.parse_args(argv)

    def announce(url: str) -> None:
        print(f"Sequrity emulator listening on {url}", flush=True)

    # SIGTERM ends the server like Ctrl-C does, so `terminate()` exits cleanly.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    serve_forever(args.host, args.port, args.api_keys, ready=announce)
    return 0


if __name__ == "__main__":
    sys.exit(main())
