"""
The field rules of the configuration-header models: what each field accepts as a Python value (checked
when a model is built), how it reads from JSON and how it is written to JSON. The models declare a
rule per field (`spec`, `opt`); the converter hooks in `_header_json` apply them.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

__all__ = [
    "JSON_NULL",
    "SPEC_KEY",
    "Bool",
    "Choice",
    "Decode",
    "Encode",
    "FieldSpec",
    "Float",
    "Hooks",
    "Int",
    "JsonNull",
    "Nested",
    "Rule",
    "Str",
    "StrMap",
    "StrSet",
    "choice_seq",
    "nested_seq",
    "opt",
    "spec",
    "specs_of",
    "str_seq",
    "to_mapping",
    "to_str_set",
    "to_str_tuple",
]

SPEC_KEY: Final = "sequrity.header_field"


class JsonNull(enum.Enum):
    """
    Type of `JSON_NULL`, the marker that makes a header field go out as an explicit JSON ``null``.
    """

    JSON_NULL = "JSON_NULL"

    def __repr__(self) -> str:
        return "JSON_NULL"


JSON_NULL: Final = JsonNull.JSON_NULL
"""
Put this in a field whose JSON ``null`` means something to the server (for example
``FsmOverrides(max_n_turns=JSON_NULL)`` = unlimited turns). Plain `None` means "leave the field
out" (the server applies its default); `JSON_NULL` sends ``"field": null``. Also accepted as a
value inside `overrides` dicts, where a plain `None` has the same effect.
"""


# -- rules ---------------------------------------------------------------------------------------

#: Reads one field's JSON value: ``decode(value, path, errors)`` returns the Python value and
#: appends one ``"path: problem"`` line per problem to `errors`.
Decode = Callable[[Any, str, list[str]], Any]
#: Writes one field's Python value as JSON.
Encode = Callable[[Any], Any]
#: Gives the converter's reading and writing of a nested model class (bound by the converter hook).
Hooks = Callable[[type[Any]], tuple[Decode, Encode]]


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

    def bind(self, nested: Hooks) -> tuple[Decode, Encode]:
        """
        Return this rule's reading and writing, with nested models read and written by `nested`
        (the converter's hooks); a rule without nested models needs neither.
        """
        return self.decode, self.encode


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


def _decode_seq(decode: Decode, value: Any, path: str, errors: list[str]) -> tuple[Any, ...] | None:
    if not isinstance(value, list | tuple):
        errors.append(f"{path}: expected an array, got {value!r}")
        return None
    return tuple(decode(item, f"{path}[{i}]", errors) for i, item in enumerate(value))


@attrs.frozen
class _Seq(Rule):
    item: Rule

    def check(self, value: Any, path: str) -> list[str]:
        if not isinstance(value, tuple):
            return [f"{path}: expected a sequence, got {value!r}"]
        return [m for i, item in enumerate(value) for m in self.item.check(item, f"{path}[{i}]")]

    def decode(self, value: Any, path: str, errors: list[str]) -> Any:
        return _decode_seq(self.item.decode, value, path, errors)

    def encode(self, value: Any) -> Any:
        return [self.item.encode(item) for item in value]

    def bind(self, nested: Hooks) -> tuple[Decode, Encode]:
        decode_item, encode_item = self.item.bind(nested)

        def decode(value: Any, path: str, errors: list[str]) -> Any:
            return _decode_seq(decode_item, value, path, errors)

        def encode(value: Any) -> Any:
            return [encode_item(item) for item in value]

        return decode, encode


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


_STR = Str()


class StrSet(Rule):
    """A set of strings; sent as a sorted array so the header text is deterministic."""

    def check(self, value: Any, path: str) -> list[str]:
        if not isinstance(value, frozenset) or not all(isinstance(v, str) for v in value):
            return [f"{path}: expected a set of strings, got {value!r}"]
        return []

    def decode(self, value: Any, path: str, errors: list[str]) -> Any:
        items = _decode_seq(_STR.decode, value, path, errors)
        if items is None or not all(isinstance(item, str) for item in items):
            return None  # the problems are in `errors`; a list item could not even be hashed
        return frozenset(items)

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
    """A nested header object of class `cls`, read and written by the converter's hooks."""

    cls: type[Any]

    def check(self, value: Any, path: str) -> list[str]:
        if isinstance(value, self.cls):
            return []
        return [f"{path}: expected a {self.cls.__name__}, got {value!r}"]

    def decode(self, value: Any, path: str, errors: list[str]) -> Any:
        raise TypeError("a nested model is read by the converter: use bind()")

    def encode(self, value: Any) -> Any:
        raise TypeError("a nested model is written by the converter: use bind()")

    def bind(self, nested: Hooks) -> tuple[Decode, Encode]:
        return nested(self.cls)


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


def spec(rule: Rule, *, nullable: bool = True, json_null: bool = False) -> dict[str, FieldSpec]:
    """
    Return the attrs ``metadata`` mapping that attaches `rule` to a field.
    """
    return {SPEC_KEY: FieldSpec(rule, nullable, json_null)}


def opt(rule: Rule, *, json_null: bool = False) -> Any:
    """
    Declare an optional field (default `None`, omitted from the JSON) checked by `rule`.
    """
    return attrs.field(default=None, metadata=spec(rule, json_null=json_null))


# -- converters: freeze user-supplied containers so a frozen header is immutable all the way down --


def to_str_tuple(value: Iterable[str] | None) -> tuple[str, ...] | None:
    """
    Freeze a list of strings into a tuple (other values pass through to be refused by the check).
    """
    return tuple(value) if isinstance(value, list | tuple) else value  # type: ignore[return-value]


def to_str_set(value: Iterable[str] | None) -> frozenset[str] | None:
    """
    Freeze a collection of strings into a frozenset (a bare string is left to be refused).
    """
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(value)
    return value  # type: ignore[return-value]


def to_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """
    Freeze a mapping into a read-only copy.
    """
    if isinstance(value, Mapping) and not isinstance(value, MappingProxyType):
        return MappingProxyType(dict(value))
    return value
