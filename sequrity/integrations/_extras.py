"""`MissingExtraError`, raised when an integration's optional dependencies are not installed."""

from __future__ import annotations

from .. import SequrityError

__all__ = ["MissingExtraError", "missing_extra"]


class MissingExtraError(SequrityError, ImportError):
    """
    An integration needs packages that are not installed; the message names the extra that
    installs them (``pip install 'sequrity[agents]'``).
    """


def missing_extra(extra: str, cause: ImportError) -> MissingExtraError:
    """
    Build the error for an integration whose import of a third-party package failed.

    Args:
        extra: The name of the extra (``agents`` or ``langchain``).
        cause: The failed import.

    Returns:
        The error to raise (``raise missing_extra(...) from cause``).
    """
    package = cause.name or "a dependency"
    return MissingExtraError(
        f"this integration needs {package!r}, which is not installed: "
        f"pip install 'sequrity[{extra}]'",
        name=cause.name,
    )
