"""
Field rules of the header models (checking Python values, decoding JSON input) and the check of
header strings that ``POST /control/v1/validate-headers`` performs (§2.11).
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final, Literal

import attrs

from sequrity._exceptions import SequrityValidationError

__all__ = [
    "HEADER_KINDS",
    "JSON_NULL",
    "SPEC_KEY",
    "Bool",
    "Choice",
    "FieldSpec",
    "Float",
    "HeaderKind",
    "HeaderValidation",
    "Int",
    "JsonNull",
    "Nested",
    "Rule",
    "Str",
    "StrMap",
    "StrSet",
    "check_object",
    "choice_seq",
    "nested_seq",
    "parse_object",
    "specs_of",
    "str_seq",
    "validate_header",
]

SPEC_KEY: Final = "sequrity.header_field"


class JsonNull(enum.Enum):
    """
    Type of `JSON_NULL`, the marker that makes a header field go out as an explicit JSON ``null``.
    """

    JSON_NULL = "JSON_NULL"

    def __repr__(self) -> str:
        return "JSON_NULL"


#: Put this in a field whose JSON ``null`` means something to the server (for example
#: ``FsmOverrides(max_n_turns=JSON_NULL)`` = unlimited turns). Plain `None` means "leave the field
#: out" (the server applies its default); `JSON_NULL` sends ``"field": null``. Also accepted as a
#: value inside `overrides` dicts, where a plain `None` has the same effect.
JSON_NULL: Final = JsonNull.JSON_NULL


# -- rules ---------------------------------------------------------------------------------------


def _allowed(values: Iterable[object]) -> str:
    return ", ".join(repr(v) for v in values)


class Rule:
    """
    How one field's value is checked, decoded from JSON and encoded to JSON.
    """

    def check(self, value: Any, path: str) -> list[str]:
        """
        Return one message per problem with `value` (already a Python value), each naming `path`.
        """
        return []

    def decode(self, value: Any, path: str, errors: list[str]) -> Any:
        """
        Turn the JSON `value` into the field's Python value, appending problems to `errors`.
        """
        errors.extend(self.check(value, path))
        return value

    def encode(self, value: Any) -> Any:
        """
        Turn the field's Python value into a JSON-compatible value.
        """
        return value


class Bool(Rule):
    """A boolean."""

    def check(self, value: Any, path: str) -> list[str]:
        if isinstance(value, bool):
            return []
        return [f"{path}: expected true or false, got {value!r}"]


@attrs.frozen
class Int(Rule):
    """An integer (never a bool), optionally with a lower bound."""

    min: int | None = None

    def check(self, value: Any, path: str) -> list[str]:
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{path}: expected an integer, got {value!r}"]
        if self.min is not None and value < self.min:
            return [f"{path}: must be >= {self.min}, got {value!r}"]
        return []


@attrs.frozen
class Float(Rule):
    """A finite number, optionally within ``[lo, hi]``."""

    lo: float | None = None
    hi: float | None = None

    def check(self, value: Any, path: str) -> list[str]:
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
        ):
            return [f"{path}: expected a finite number, got {value!r}"]
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            return [f"{path}: must be between {self.lo} and {self.hi} inclusive, got {value!r}"]
        return []


class Str(Rule):
    """Any string."""

    def check(self, value: Any, path: str) -> list[str]:
        if isinstance(value, str):
            return []
        return [f"{path}: expected a string, got {value!r}"]


@attrs.frozen
class Choice(Rule):
    """One of a fixed set of strings (and, with `allow_bool`, also true/false)."""

    values: tuple[str, ...]
    allow_bool: bool = False

    def check(self, value: Any, path: str) -> list[str]:
        if isinstance(value, bool) and self.allow_bool:
            return []
        if isinstance(value, str) and value in self.values:
            return []
        extra = ", true, false" if self.allow_bool else ""
        return [f"{path}: {value!r} is not allowed; allowed values: {_allowed(self.values)}{extra}"]

    def encode(self, value: Any) -> Any:
        # StrEnum members become plain strings so the JSON never depends on a repr.
        return value if isinstance(value, bool) else str.__str__(value)


def _decode_seq(rule: Rule, value: Any, path: str, errors: list[str]) -> tuple[Any, ...] | None:
    if not isinstance(value, list | tuple):
        errors.append(f"{path}: expected an array, got {value!r}")
        return None
    return tuple(rule.decode(item, f"{path}[{i}]", errors) for i, item in enumerate(value))


@attrs.frozen
class _Seq(Rule):
    item: Rule

    def check(self, value: Any, path: str) -> list[str]:
        if not isinstance(value, tuple):
            return [f"{path}: expected a sequence, got {value!r}"]
        return [m for i, item in enumerate(value) for m in self.item.check(item, f"{path}[{i}]")]

    def decode(self, value: Any, path: str, errors: list[str]) -> Any:
        return _decode_seq(self.item, value, path, errors)

    def encode(self, value: Any) -> Any:
        return [self.item.encode(item) for item in value]


def choice_seq(values: tuple[str, ...]) -> Rule:
    """
    An ordered array whose items are each one of `values`.
    """
    return _Seq(Choice(values))


def str_seq() -> Rule:
    """
    An ordered array of strings.
    """
    return _Seq(Str())


class StrSet(Rule):
    """A set of strings; sent as a sorted array so the header text is deterministic."""

    def check(self, value: Any, path: str) -> list[str]:
        if not isinstance(value, frozenset) or not all(isinstance(v, str) for v in value):
            return [f"{path}: expected a set of strings, got {value!r}"]
        return []

    def decode(self, value: Any, path: str, errors: list[str]) -> Any:
        items = _decode_seq(Str(), value, path, errors)
        return None if items is None else frozenset(items)

    def encode(self, value: Any) -> Any:
        return sorted(value)


@attrs.frozen
class StrMap(Rule):
    """A JSON object with string keys and values checked by `value_rule`."""

    value_rule: Rule

    def check(self, value: Any, path: str) -> list[str]:
        if not isinstance(value, MappingProxyType):
            return [f"{path}: expected a mapping, got {value!r}"]
        problems: list[str] = []
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(f"{path}: keys must be strings, got {key!r}")
            else:
                problems.extend(self.value_rule.check(item, f"{path}[{key!r}]"))
        return problems

    def decode(self, value: Any, path: str, errors: list[str]) -> Any:
        if not isinstance(value, dict):
            errors.append(f"{path}: expected a JSON object, got {value!r}")
            return None
        return MappingProxyType(
            {k: self.value_rule.decode(v, f"{path}[{k!r}]", errors) for k, v in value.items()}
        )

    def encode(self, value: Any) -> Any:
        return dict(value)


@attrs.frozen
class Nested(Rule):
    """A nested header object of class `cls`."""

    cls: type[Any]

    def check(self, value: Any, path: str) -> list[str]:
        if isinstance(value, self.cls):
            return []
        return [f"{path}: expected a {self.cls.__name__}, got {value!r}"]

    def decode(self, value: Any, path: str, errors: list[str]) -> Any:
        return parse_object(self.cls, value, path, errors)

    def encode(self, value: Any) -> Any:
        return value.to_dict()


def nested_seq(cls: type[Any]) -> Rule:
    """
    An ordered array of nested header objects of class `cls`.
    """
    return _Seq(Nested(cls))


@attrs.frozen
class FieldSpec:
    """
    A field's rule plus whether `None` and `JSON_NULL` are accepted.
    """

    rule: Rule
    nullable: bool = True
    json_null: bool = False


# -- walking objects -----------------------------------------------------------------------------


# Per-class cache: reading attrs metadata on every build would dominate the cost of small objects.
_SPECS: dict[type[Any], tuple[tuple[str, FieldSpec], ...]] = {}


def specs_of(cls: type[Any]) -> tuple[tuple[str, FieldSpec], ...]:
    """
    Return ``(name, FieldSpec)`` for every ruled field of the attrs class `cls`, in order.
    """
    found = _SPECS.get(cls)
    if found is None:
        fields = attrs.fields(cls)
        found = _SPECS[cls] = tuple(
            (f.name, f.metadata[SPEC_KEY]) for f in fields if SPEC_KEY in f.metadata
        )
    return found


def check_object(obj: Any) -> list[str]:
    """
    Return one message per invalid field of the built model `obj` (``Class.field: problem``).
    """
    name = type(obj).__name__
    problems: list[str] = []
    for field, fspec in specs_of(type(obj)):
        value = getattr(obj, field)
        path = f"{name}.{field}"
        if value is None:
            if not fspec.nullable:
                problems.append(f"{path}: must not be None")
        elif value is JSON_NULL:
            if not fspec.json_null:
                problems.append(f"{path}: JSON_NULL is not accepted here (null has no meaning)")
        else:
            problems.extend(fspec.rule.check(value, path))
    return problems


def parse_object(cls: type[Any], data: Any, path: str, errors: list[str]) -> Any:
    """
    Build a `cls` from decoded JSON `data`, appending every problem (with its path) to `errors`.

    Unknown keys are refused at every depth. Returns `None` when anything was wrong.
    """
    if not isinstance(data, Mapping):
        errors.append(f"{path}: expected a JSON object, got {data!r}")
        return None
    specs = dict(specs_of(cls))
    before = len(errors)
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        sub = f"{path}.{key}"
        fspec = specs.get(key)
        if fspec is None:
            errors.append(f"{sub}: unknown field; allowed fields: {_allowed(specs)}")
        elif value is None:
            if fspec.json_null:
                kwargs[key] = JSON_NULL
            elif not fspec.nullable:
                errors.append(f"{sub}: must not be null")
        else:
            kwargs[key] = fspec.rule.decode(value, sub, errors)
    if len(errors) > before:
        return None
    try:
        return cls(**kwargs)
    except (SequrityValidationError, TypeError) as exc:  # pragma: no cover - rules mirror checks
        errors.append(f"{path}: {exc}")
        return None


HeaderKind = Literal["x_features", "x_policy", "x_config"]

#: The header class behind each key of the validate-headers request body.
HEADER_KINDS: Final[dict[str, str]] = {
    "x_features": "FeaturesHeader",
    "x_policy": "SecurityPolicyHeader",
    "x_config": "FineGrainedConfigHeader",
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
    # Imported here: the header modules build on the rules of this module.
    from . import headers

    cls = getattr(headers, class_name)
    errors: list[str] = []
    header = parse_object(cls, data, class_name, errors)
    if errors or header is None:
        return HeaderValidation(valid=False, errors=errors or [f"{class_name}: invalid"])
    normalized: dict[str, Any] = header.dump_for_headers("json")
    return HeaderValidation(valid=True, normalized=normalized)
