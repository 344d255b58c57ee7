"""`MissingExtraError`, raised when an integration's optional dependencies are not installed."""

from __future__ import annotations

from .. import SequrityError

__all__ = ["MissingExtraError", "missing_extra"]


class MissingExtraError(SequrityError, ImportError):
    """
    An integration needs packages that are not installed; the message names the extra that
    installs them (``pip install 'sequrity[agents]'``).
    """


def missing_extra(
    extra: str, cause: ImportError, *, what: str = "this integration"
) -> MissingExtraError:
    """
    Build the error for an integration whose import of a third-party package failed.

    Args:
        extra: The name of the extra (``agents``, ``langchain``, ``ray``...).
        cause: The failed import.
        what: What needs it, to start the message.

    Returns:
        The error to raise (``raise missing_extra(...) from cause``).
    """
    package = cause.name or "a dependency"
    return MissingExtraError(
        f"{what} needs {package!r}, which is not installed: pip install 'sequrity[{extra}]'",
        name=cause.name,
    )
