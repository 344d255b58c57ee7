"""
Shared machinery of the three configuration headers: the model base classes, JSON encoding, the
cached header string, deep-merge overrides and `render_header`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Literal, Self, overload

import attrs

from sequrity._exceptions import SequrityValidationError

from ...types._model_methods import ModelMethods
from ._header_validation import (
    JSON_NULL,
    SPEC_KEY,
    FieldSpec,
    JsonNull,
    Rule,
    check_object,
    parse_object,
    specs_of,
)

__all__ = [
    "JSON_NULL",
    "HeaderModel",
    "JsonNull",
    "Model",
    "deep_merge",
    "dump_json",
    "opt",
    "render_header",
    "spec",
    "to_mapping",
    "to_str_set",
    "to_str_tuple",
]


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


def _to_json(obj: Model) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field, fspec in specs_of(type(obj)):
        value = getattr(obj, field)
        if value is None:
            continue
        out[field] = None if value is JSON_NULL else fspec.rule.encode(value)
    return out


def _invalid(problems: list[str]) -> SequrityValidationError:
    return SequrityValidationError("; ".join(problems), problems)


class Model(ModelMethods):
    """
    Base of every header model: checks fields when built, converts to and from JSON-ready dicts,
    and has the pydantic-style methods (`ModelMethods`).
    """

    __slots__ = ()

    def __attrs_post_init__(self) -> None:
        problems = check_object(self)
        if problems:
            raise _invalid(problems)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """
        Build an object from decoded JSON, refusing unknown fields at every depth.

        Raises:
            SequrityValidationError: One entry in `errors` per problem, each naming its field path.
        """
        errors: list[str] = []
        obj = parse_object(cls, data, cls.__name__, errors)
        if errors:
            raise _invalid(errors)
        return obj  # type: ignore[no-any-return]

    def to_dict(self) -> dict[str, Any]:
        """
        Return the JSON-ready dict: `None` fields left out, `JSON_NULL` as `None`, sets sorted.
        """
        return _to_json(self)


# -- JSON text, overrides and the header string ---------------------------------------------------


def _plain(value: Any) -> Any:
    """Deep-copy an override value into plain JSON types (`JSON_NULL` -> None, sets sorted)."""
    if value is JSON_NULL:
        return None
    if isinstance(value, Mapping):
        return {_key(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_plain(v) for v in value)
    return value


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise SequrityValidationError(f"overrides: keys must be strings, got {key!r}")
    return key


def deep_merge(base: Mapping[str, Any], overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """
    Return a new dict: `overrides` deep-merged into `base`; neither argument is changed.

    Where both sides hold a dict the merge recurses; anything else (lists, scalars, a dict meeting
    a scalar) is replaced by the override value. `None` or `JSON_NULL` as a value injects ``null``.

    Raises:
        SequrityValidationError: `overrides` is not a mapping or has a non-string key.
    """
    if overrides is not None and not isinstance(overrides, Mapping):
        raise SequrityValidationError(f"overrides must be a dict, got {overrides!r}")
    result: dict[str, Any] = {_key(k): _plain(v) for k, v in base.items()}
    for key, value in (overrides or {}).items():
        current = result.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            result[key] = deep_merge(current, value)
        else:
            result[_key(key)] = _plain(value)
    return result


def dump_json(data: Mapping[str, Any]) -> str:
    """
    Encode `data` as a header value: compact, single-line, ASCII-only (``\\uXXXX`` escapes).

    Raises:
        SequrityValidationError: Something in `data` is not JSON (or is NaN/infinite).
    """
    try:
        return json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise SequrityValidationError(f"header value is not valid JSON: {exc}") from None


class HeaderModel(Model):
    """
    Base of the three top-level header classes: adds `dump_for_headers`, `from_json` and a cache.

    Attributes:
        header_name: The HTTP header the class is sent as (``X-Features``, ``X-Policy``,
            ``X-Config``).
    """

    # The rendered header string, computed once per (immutable) object; reset by `attrs.evolve`.
    __slots__ = ("_rendered",)
    _rendered: str

    header_name: ClassVar[str] = ""

    def header_value(self) -> str:
        """
        Return the header string (cached: computed once per object, then reused).
        """
        try:
            return self._rendered
        except AttributeError:
            rendered = dump_json(self.to_dict())
            # Frozen attrs class: bypass __setattr__ for this private cache slot. Racing threads
            # at worst compute the same string twice.
            object.__setattr__(self, "_rendered", rendered)
            return rendered

    @overload
    def dump_for_headers(
        self, mode: Literal["json"], *, overrides: Mapping[str, Any] | None = None
    ) -> dict[str, Any]: ...
    @overload
    def dump_for_headers(
        self, mode: Literal["json_str"] = "json_str", *, overrides: Mapping[str, Any] | None = None
    ) -> str: ...
    def dump_for_headers(
        self, mode: str = "json_str", *, overrides: Mapping[str, Any] | None = None
    ) -> dict[str, Any] | str:
        """
        Serialise for the HTTP header, optionally deep-merging `overrides` into the JSON.

        Args:
            mode: ``"json_str"`` for the header string, ``"json"`` for a (fresh) dict.
            overrides: Extra or replacement JSON, deep-merged (see `deep_merge`); never mutated.

        Returns:
            The header string or dict. Keys follow field declaration order; `None` fields are left
            out, `JSON_NULL` fields are ``null``; the string is compact, single-line ASCII.

        Raises:
            SequrityValidationError: `mode` is neither ``"json"`` nor ``"json_str"``, or the
                overrides are not JSON.
        """
        if mode not in ("json", "json_str"):
            raise SequrityValidationError(
                f"Invalid mode: {mode!r}. Must be 'json' or 'json_str'.",
            )
        if mode == "json_str" and not overrides:
            return self.header_value()
        data: dict[str, Any] = json.loads(self.header_value())
        if overrides:
            data = deep_merge(data, overrides)
        return data if mode == "json" else dump_json(data)

    @classmethod
    def from_json(cls, data: str | bytes | Mapping[str, Any]) -> Self:
        """
        Parse a header value (JSON text or an already decoded dict).

        Raises:
            SequrityValidationError: Invalid JSON (message contains ``Invalid JSON``), not an
                object, unknown fields at any depth, or values outside the allowed ones.
        """
        if isinstance(data, str | bytes | bytearray):
            try:
                data = json.loads(data)
            except ValueError as exc:
                raise SequrityValidationError(f"{cls.__name__}: Invalid JSON: {exc}") from None
        return cls.from_dict(data)  # type: ignore[arg-type]


def render_header(
    header: HeaderModel | None, overrides: Mapping[str, Any] | None = None
) -> str | None:
    """
    Return the value of one configuration header, or `None` when the header should not be sent.

    Unlike the official SDK, overrides are never silently dropped: with no header object but
    non-empty `overrides`, the overrides alone are rendered (``{"fsm": {"max_n_turns": 3}}`` sends
    exactly that). Empty or `None` overrides with no header object mean "no header".

    Args:
        header: The header object (`FeaturesHeader`, `SecurityPolicyHeader`,
            `FineGrainedConfigHeader`) or `None`.
        overrides: JSON to deep-merge into the header's JSON.

    Raises:
        SequrityValidationError: The overrides are not a JSON object.
    """
    if header is not None:
        return header.dump_for_headers("json_str", overrides=overrides)
    if not overrides:
        if overrides is not None and not isinstance(overrides, Mapping):
            raise SequrityValidationError(f"overrides must be a dict, got {overrides!r}")
        return None
    return dump_json(deep_merge({}, overrides))
