"""
Logging on the stdlib ``sequrity`` logger. Nothing is configured unless asked: ``SEQURITY_LOG=info``
or ``debug`` attaches a stderr handler; request and response bodies (prompts!) are logged only when
``SEQURITY_LOG_BODIES=1`` is also set. Credentials are redacted in every line.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from ._exceptions import redact_headers

__all__ = ["configure_from_env", "log_bodies", "log_exchange", "logger"]

logger = logging.getLogger("sequrity")
_BODY_LIMIT = 4096


def configure_from_env(environ: Mapping[str, str] | None = None) -> None:
    """
    Attach a stderr handler when ``SEQURITY_LOG`` is ``debug``, ``info`` or ``warning``.
    Called once at import; calling it again does not add a second handler.
    """
    env = os.environ if environ is None else environ
    level = env.get("SEQURITY_LOG", "").strip().upper()
    if level not in ("DEBUG", "INFO", "WARNING"):
        return
    logger.setLevel(level)
    if not any(getattr(h, "_sequrity", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        handler._sequrity = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


def log_bodies() -> bool:
    """True when the user asked for bodies in the debug log (``SEQURITY_LOG_BODIES=1``)."""
    return os.environ.get("SEQURITY_LOG_BODIES", "") in ("1", "true", "yes")


def _clip(body: bytes | None) -> str:
    if not body:
        return ""
    text = body[:_BODY_LIMIT].decode("utf-8", "replace")
    return text + ("..." if len(body) > _BODY_LIMIT else "")


def log_exchange(
    method: str,
    url: str,
    request_headers: Mapping[str, str],
    request_body: bytes | None,
    status: int,
    response_headers: Mapping[str, str],
    response_body: bytes | None,
    elapsed: float,
    *,
    streaming: bool = False,
) -> None:
    """
    Write one DEBUG line for a request/response pair (call only when DEBUG is enabled); for a
    stream, `elapsed` is the time until the response headers arrived.
    """
    logger.debug(
        "%s %s -> %d in %.1f ms%s; request headers %s; response headers %s",
        method,
        url,
        status,
        elapsed * 1000,
        " (headers; the stream follows)" if streaming else "",
        redact_headers(request_headers),
        redact_headers(response_headers),
    )
    if log_bodies():
        logger.debug("request body: %s", _clip(request_body))
        logger.debug("response body: %s", _clip(response_body))
