"""
`PolicyViolationError`: a Dual-LLM run that ended with ``status: "failure"``, raised where an
answer is expected (the agent-framework integrations) instead of handed back as an envelope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..._exceptions import SequrityError

if TYPE_CHECKING:
    from .results import ResponseContentJsonSchema

__all__ = ["PolicyViolationError"]


class PolicyViolationError(SequrityError):
    """
    A Dual-LLM run ended with ``status: "failure"``: a policy denied a tool call, the program
    broke a control-flow policy, or the server stopped it for another reason its envelope gives.

    The client itself returns such an answer as a normal response (read it with
    `parse_result`); the framework integrations (`sequrity.integrations`) raise this error
    instead, so that an agent never takes a denial for an answer. The session stays usable:
    continue it with ``session_id=error.session_id``.

    Attributes:
        result: The failure envelope, with `error` and `policy_check_history`.
        session_id: The session the run belongs to, when known.
    """

    def __init__(self, result: ResponseContentJsonSchema, *, session_id: str | None = None) -> None:
        error = result.error
        message = error.message if error is not None else "the Dual-LLM run failed"
        super().__init__(message)
        self.message = message
        self.result = result
        self.session_id = session_id

    @property
    def code(self) -> str | None:
        """
        The envelope's ``error.code`` (for example ``"PolicyViolation"``).

        Returns:
            The code, or `None` when the envelope has no error.
        """
        return None if self.result.error is None else self.result.error.code

    @property
    def is_denied(self) -> bool:
        """
        Whether a policy denied a tool call (as opposed to another failure).

        Returns:
            `ResponseContentJsonSchema.is_denied` of the envelope.
        """
        return self.result.is_denied

    def __reduce__(self) -> tuple[Any, ...]:
        # Exceptions pickle their ``args``; this one is built from the envelope instead.
        return (type(self), (self.result,), {"session_id": self.session_id})
