"""
The check of header strings that ``POST /control/v1/validate-headers`` performs (§2.11): the header
text read through the converter exactly as `from_json` reads it, and the verdict.
"""

from __future__ import annotations

import json
from typing import Any, Final, Literal

import attrs

from sequrity._exceptions import SequrityValidationError

from ._features import FeaturesHeader
from ._fine_grained import FineGrainedConfigHeader
from ._header_fields import JSON_NULL as JSON_NULL
from ._header_fields import JsonNull as JsonNull
from ._header_json import HeaderModel, structure_header
from ._policy import SecurityPolicyHeader

__all__ = [
    "HEADER_KINDS",
    "JSON_NULL",
    "HeaderKind",
    "HeaderValidation",
    "JsonNull",
    "validate_header",
]

HeaderKind = Literal["x_features", "x_policy", "x_config"]

#: The header class behind each key of the validate-headers request body.
HEADER_KINDS: Final[dict[str, str]] = {
    "x_features": "FeaturesHeader",
    "x_policy": "SecurityPolicyHeader",
    "x_config": "FineGrainedConfigHeader",
}
_CLASSES: Final[dict[str, type[HeaderModel]]] = {
    "x_features": FeaturesHeader,
    "x_policy": SecurityPolicyHeader,
    "x_config": FineGrainedConfigHeader,
}


@attrs.frozen(kw_only=True)
class HeaderValidation:
    """
    The verdict on one header string.

    Attributes:
        valid: Whether the header would be accepted.
        normalized: When valid, the parsed header dumped back with model defaults filled in (for
            example every preset once ``presets`` is present, ``threshold`` 0.5 for a classifier
            that gave none); fields left unset stay absent, explicit nulls stay ``null``.
        errors: When invalid, one line per problem naming the field path; empty when valid.
    """

    valid: bool
    normalized: dict[str, Any] | None = None
    errors: list[str] = attrs.field(factory=list)

    def to_dict(self) -> dict[str, Any]:
        """
        Return the JSON object the validate-headers endpoint sends for this header.
        """
        return {"valid": self.valid, "normalized": self.normalized, "errors": list(self.errors)}


def validate_header(kind: HeaderKind, text: str | bytes) -> HeaderValidation:
    """
    Validate one header value exactly as it would be sent.

    Unknown fields at any depth, values outside the allowed ones and out-of-range numbers make the
    header invalid; input that is not JSON gives an error containing ``Invalid JSON``. A bare
    string ``codes`` in ``x_policy`` is accepted (legacy form) and normalized to the object form.

    Args:
        kind: ``"x_features"``, ``"x_policy"`` or ``"x_config"``.
        text: The header value (a JSON object as text).

    Returns:
        The verdict; never raises for bad header text.

    Raises:
        SequrityValidationError: `kind` is not one of the three header kinds.
    """
    class_name = HEADER_KINDS.get(kind)
    if class_name is None:
        raise SequrityValidationError(
            f"kind: {kind!r} is not allowed; allowed values: 'x_features', 'x_policy', 'x_config'"
        )
    try:
        data = json.loads(text)
    except (ValueError, TypeError) as exc:
        return HeaderValidation(valid=False, errors=[f"Invalid JSON: {exc}"])
    cls = _CLASSES[kind]
    try:
        header = structure_header(cls, data)
    except SequrityValidationError as exc:
        return HeaderValidation(valid=False, errors=list(exc.errors) or [f"{class_name}: invalid"])
    normalized: dict[str, Any] = header.dump_for_headers("json")
    return HeaderValidation(valid=True, normalized=normalized)
