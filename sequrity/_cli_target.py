"""
Which service a ``sequrity`` command talks to: the configured one (an API key, and the base URL
when given), or an embedded emulator when nothing at all is configured.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator
from typing import TextIO

from ._exceptions import SequrityValidationError

__all__ = ["EMULATOR_KEY", "add_target_arguments", "client_target"]

#: The key the embedded emulator is called with (it accepts any non-empty key).
EMULATOR_KEY = "sq-emulator-key"


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--base-url``, ``--api-key`` and ``--allow-insecure-http``."""
    parser.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help="the API's address (default $SEQURITY_BASE_URL, else https://api.sequrity.ai; "
        "a trailing /control is accepted)",
    )
    parser.add_argument(
        "--api-key", default=None, metavar="KEY", help="your API key (default $SEQURITY_API_KEY)"
    )
    parser.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="allow sending the API key over plain http:// to a host that is not this machine",
    )


@contextlib.contextmanager
def client_target(
    args: argparse.Namespace, err: TextIO, *, chat_only: bool = False
) -> Iterator[tuple[str, str]]:
    """
    Yield ``(base_url, api_key)`` for the command.

    With a key (``--api-key`` or ``$SEQURITY_API_KEY``) it is the configured base URL. Without
    one, an explicit base URL (``--base-url`` or ``$SEQURITY_BASE_URL``) is an error, never
    silently replaced; only when neither is set does an embedded emulator start (and say so).
    With `chat_only`, that emulator serves the Chat Completions routes only (it starts sooner).

    Raises:
        SequrityValidationError: A base URL without a key, a malformed base URL, or plain http
            to a remote host without ``--allow-insecure-http``.
    """
    key = args.api_key or os.environ.get("SEQURITY_API_KEY", "")
    explicit = args.base_url or os.environ.get("SEQURITY_BASE_URL", "")
    if key:
        from ._client import _is_loopback, resolve_base_url  # the client loads when used

        url = resolve_base_url(explicit or None)
        plain = url.lower().startswith("http://") and not _is_loopback(url)
        if plain and not args.allow_insecure_http:
            raise SequrityValidationError(
                f"refusing to send the API key over plain http to {url}; use https, or "
                "pass --allow-insecure-http if this network is trusted"
            )
        yield url, key
        return
    if explicit:
        raise SequrityValidationError(
            f"no API key for {explicit}: pass --api-key KEY or set SEQURITY_API_KEY (the "
            "embedded emulator is used only when no base URL is configured either)"
        )
    from .testing import Emulator
    from .testing._routes import chat_only_routes

    with Emulator.start_in_thread(routes=chat_only_routes() if chat_only else None) as running:
        print(
            f"No API key configured (SEQURITY_API_KEY): using the embedded emulator at "
            f"{running.base_url}",
            file=err,
        )
        yield running.base_url, EMULATOR_KEY
