"""
The argument parser of every ``sequrity`` command line: usage mistakes are one line on stderr,
``sequrity: error: ...``, and exit status 2 (never a traceback).
"""

from __future__ import annotations

import argparse
from typing import NoReturn

__all__ = ["CliParser", "port_number", "positive"]


class CliParser(argparse.ArgumentParser):
    """An `argparse.ArgumentParser` whose errors are one ``sequrity: error: ...`` line."""

    def error(self, message: str) -> NoReturn:
        """Print the mistake on one line and exit with status 2."""
        self.exit(2, f"sequrity: error: {message} (see '{self.prog} --help')\n")


def port_number(text: str) -> int:
    """
    Parse a TCP port for ``--port``: 0 to 65535, where 0 asks for any free port.

    Raises:
        argparse.ArgumentTypeError: Not a whole number in range.
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a port number from 0 to 65535 (0 = any free port), got {text!r}"
        ) from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            f"a port must be from 0 to 65535 (0 = any free port), got {value}"
        )
    return value


def positive(text: str) -> int:
    """
    Parse a whole number >= 1 (``--concurrency``, ``--rpm``...).

    Raises:
        argparse.ArgumentTypeError: Not a whole number >= 1.
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value
