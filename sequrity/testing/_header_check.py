"""
One check of a configuration header for every route: the SDK's validator, then, for ``X-Policy``,
the emulator's policy engine (so SQRT code that a chat request would be refused for is reported
invalid by ``validate-headers`` too).
"""

from __future__ import annotations

from sequrity.control.types._header_validation import HeaderKind
from sequrity.control.types.headers import HeaderValidation, validate_header

from ._config import EffectiveConfig
from ._dual import policy_settings
from ._errors import HttpError
from ._policy import PolicyEngine

__all__ = ["check_header"]

_PREFIX = "Invalid X-Policy header: "


def check_header(kind: HeaderKind, text: str, engine: PolicyEngine) -> HeaderValidation:
    """
    Validate one header value exactly as a chat request's header is validated.

    Args:
        kind: ``"x_features"``, ``"x_policy"`` or ``"x_config"``.
        text: The header value.
        engine: The emulator's policy engine, which checks ``X-Policy`` code.

    Returns:
        The verdict; for ``x_policy`` code the engine refuses, invalid with the engine's reason.
    """
    verdict = validate_header(kind, text)
    if kind != "x_policy" or not verdict.valid or verdict.normalized is None:
        return verdict
    try:
        engine.prepare(policy_settings(EffectiveConfig(policy=verdict.normalized)))
    except HttpError as exc:
        # The engine words its 400 for the chat route; the reason is what follows the prefix.
        return HeaderValidation(valid=False, errors=[str(exc.detail).removeprefix(_PREFIX)])
    return verdict
