"""
``python -m sequrity.testing``: serve the emulator in the foreground (the same command as
``sequrity emulator``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .._cli_parser import CliParser
from ._cli import DESCRIPTION, EPILOG, add_emulator_arguments, run_emulator


def main(argv: Sequence[str] | None = None) -> int:
    """
    Parse the command line and serve until interrupted.

    Returns:
        The exit status: 0 after Ctrl-C or SIGTERM, 2 when the emulator cannot start.
    """
    import argparse

    parser = CliParser(
        prog="python -m sequrity.testing",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_emulator_arguments(parser)
    return run_emulator(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
