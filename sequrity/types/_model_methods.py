"""
Pydantic-style methods on every model (`ModelMethods`): ``model_dump``, ``model_dump_json``,
``model_validate``, ``model_validate_json`` and ``model_copy``, for code written against the
official SDK's pydantic models. No pydantic: validating goes through the project's converter (or
a header model's own `from_dict`), so the wire rules stay in one place.

``model_dump`` gives pydantic's shape, which is not the wire form (`sequrity.types.to_dict`):
every declared field is present (`None` included unless ``exclude_none``), keys are the Python
attribute names (``schema_``; the wire names with ``by_alias=True``), sets stay sets in Python
mode and become sorted lists in JSON mode, and the unknown keys a server sent (``extra``) are
left out.
"""

from __future__ import annotations

import copy
import enum
import json
from collections.abc import Mapping, Set
from types import MappingProxyType
from typing import Any, Literal, Self

import attrs

from .._converter import EXTRA, get_fast_converter, structure_or_raise, wire_name
from .._exceptions import SequrityValidationError

__all__ = ["ModelMethods", "dump_model"]

#: Bookkeeping fields some result types carry that the official models do not declare.
_HIDDEN: Mapping[str, frozenset[str]] = {
    "sequrity.control.types.results.ValueWithMeta": frozenset({"has_value"}),
    "sequrity.control.types.results.ResponseContentJsonSchema": frozenset({"parse_error"}),
}

_Filter = Set[str] | Mapping[str, Any] | None


def _hidden(cls: type[Any]) -> frozenset[str]:
    return _HIDDEN.get(f"{cls.__module__}.{cls.__qualname__}", frozenset())


def _sub(spec: _Filter, name: str) -> _Filter:
    if isinstance(spec, Mapping):
        nested = spec.get(name)
        return nested if isinstance(nested, Set | Mapping) else None
    return None


def _wanted(name: str, include: _Filter, exclude: _Filter) -> bool:
    if include is not None and name not in include:
        return False
    if exclude is None or name not in exclude:
        return True
    # `exclude={"a": {"b"}}` drops `a.b`, not `a`; `exclude={"a": True}` drops `a`.
    return isinstance(exclude, Mapping) and isinstance(exclude[name], Set | Mapping)


def _is_default(field: attrs.Attribute[Any], value: Any) -> bool:
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = default.factory()
    try:
        return bool(value == default)
    except Exception:  # pragma: no cover - a value that cannot be compared is not a default
        return False


class _Options:
    __slots__ = ("by_alias", "exclude_defaults", "exclude_none", "json")

    def __init__(self, mode: str, by_alias: bool, exclude_none: bool, exclude_defaults: bool):
        if mode not in ("python", "json"):
            raise ValueError(f"mode must be 'python' or 'json', got {mode!r}")
        self.json = mode == "json"
        self.by_alias = by_alias
        self.exclude_none = exclude_none
        self.exclude_defaults = exclude_defaults


def _is_json_null(value: Any) -> bool:
    # The header models' explicit-null marker (`JSON_NULL`) dumps as None, as pydantic cannot say.
    return isinstance(value, enum.Enum) and value.name == "JSON_NULL"


def _value(value: Any, options: _Options, include: _Filter, exclude: _Filter) -> Any:
    if attrs.has(type(value)):
        return _fields(value, options, include, exclude)
    if isinstance(value, enum.Enum):
        if _is_json_null(value):
            return None
        return value.value if options.json else value
    if isinstance(value, Mapping):
        return {k: _value(v, options, _sub(include, k), _sub(exclude, k)) for k, v in value.items()}
    if isinstance(value, Set):
        items = [_value(v, options, None, None) for v in value]
        if not options.json:
            return set(items)
        try:
            return sorted(items)
        except TypeError:
            return items
    if isinstance(value, list | tuple):
        return [_value(v, options, None, None) for v in value]
    return value


def _fields(obj: Any, options: _Options, include: _Filter, exclude: _Filter) -> dict[str, Any]:
    cls = type(obj)
    hidden = _hidden(cls)
    out: dict[str, Any] = {}
    for field in attrs.fields(cls):
        name = field.name
        if name == EXTRA or name.startswith("_") or name in hidden or not field.init:
            continue
        if not _wanted(name, include, exclude):
            continue
        value = getattr(obj, name)
        if options.exclude_none and (value is None or _is_json_null(value)):
            continue
        if options.exclude_defaults and _is_default(field, value):
            continue
        key = wire_name(name) if options.by_alias else name
        out[key] = _value(value, options, _sub(include, name), _sub(exclude, name))
    return out


def dump_model(
    obj: Any,
    *,
    mode: Literal["python", "json"] | str = "python",
    include: _Filter = None,
    exclude: _Filter = None,
    by_alias: bool = False,
    exclude_defaults: bool = False,
    exclude_none: bool = False,
) -> dict[str, Any]:
    """
    Give `obj` as pydantic's ``model_dump`` would (see the module docstring).

    Raises:
        ValueError: `mode` is not ``"python"`` or ``"json"``.
    """
    options = _Options(mode, by_alias, exclude_none, exclude_defaults)
    return _fields(obj, options, include, exclude)


class ModelMethods:
    """
    The pydantic-style methods of the models (see the module docstring). A mixin with no state.
    """

    __slots__ = ()

    def model_dump(
        self,
        *,
        mode: Literal["python", "json"] | str = "python",
        include: _Filter = None,
        exclude: _Filter = None,
        by_alias: bool | None = None,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        round_trip: bool = False,
        warnings: bool | str = True,
    ) -> dict[str, Any]:
        """
        Give the object as a dict of its fields, as pydantic's ``model_dump``.

        Args:
            mode: ``"python"`` (sets stay sets, enums stay enums) or ``"json"`` (JSON types only).
            include: Only these fields (a set of names, or a dict for nested fields).
            exclude: Leave these fields out (a set of names, or a dict for nested fields).
            by_alias: Use the wire names (``schema`` for ``schema_``).
            exclude_unset: Leave out fields still at their default (fields are not tracked as
                "set", so this is `exclude_defaults`).
            exclude_defaults: Leave out fields equal to their default.
            exclude_none: Leave out fields whose value is `None`.
            round_trip: Accepted for compatibility; the dump always validates back.
            warnings: Accepted for compatibility (nothing is warned about).

        Returns:
            A new dict.
        """
        del round_trip, warnings
        return dump_model(
            self,
            mode=mode,
            include=include,
            exclude=exclude,
            by_alias=bool(by_alias),
            exclude_defaults=exclude_defaults or exclude_unset,
            exclude_none=exclude_none,
        )

    def model_dump_json(
        self,
        *,
        indent: int | None = None,
        include: _Filter = None,
        exclude: _Filter = None,
        by_alias: bool | None = None,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        round_trip: bool = False,
        warnings: bool | str = True,
    ) -> str:
        """
        Give `model_dump(mode="json", ...)` as JSON text (compact unless `indent` is given).
        """
        data = self.model_dump(
            mode="json",
            include=include,
            exclude=exclude,
            by_alias=by_alias,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
            round_trip=round_trip,
            warnings=warnings,
        )
        separators = (",", ":") if indent is None else None
        return json.dumps(data, indent=indent, separators=separators, ensure_ascii=False)

    @classmethod
    def model_validate(
        cls,
        obj: Any,
        *,
        strict: bool | None = None,
        from_attributes: bool | None = None,
        context: Any = None,
    ) -> Self:
        """
        Build an object from a dict (wire JSON, or a `model_dump`) or another model object.

        Args:
            obj: The data; an instance of this class is returned as it is.
            strict: Accepted for compatibility (validation is always strict about types).
            from_attributes: Accepted for compatibility.
            context: Accepted for compatibility.

        Raises:
            SequrityValidationError: The data does not fit (a `ValueError`); the message names
                the field.
        """
        del strict, from_attributes, context
        if isinstance(obj, cls):
            return obj
        if attrs.has(type(obj)):
            obj = get_fast_converter().unstructure(obj)
        from_dict = getattr(cls, "from_dict", None)
        if from_dict is not None:  # the header models: unknown fields refused at every depth
            if not isinstance(obj, Mapping):
                raise SequrityValidationError(
                    f"{cls.__name__}: expected a dict, got {type(obj).__name__}"
                )
            result: Self = from_dict(obj)
            return result
        validated: Self = structure_or_raise(obj, cls, cls.__name__)
        return validated

    @classmethod
    def model_validate_json(
        cls, json_data: str | bytes | bytearray, *, strict: bool | None = None, context: Any = None
    ) -> Self:
        """
        Parse JSON text and `model_validate` it.

        Raises:
            SequrityValidationError: Invalid JSON (``Invalid JSON: ...``), or data that does not
                fit.
        """
        try:
            data = json.loads(json_data)
        except (ValueError, RecursionError) as exc:
            raise SequrityValidationError(f"{cls.__name__}: Invalid JSON: {exc}") from None
        return cls.model_validate(data, strict=strict, context=context)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """
        Give a copy with the fields of `update` replaced (the objects are immutable, so a shallow
        copy shares the unchanged values; `deep` copies them too).
        """
        source = _deep_copy(self) if deep else self
        return attrs.evolve(source, **dict(update or {}))  # type: ignore[misc]


def _deep_copy(value: Any) -> Any:
    """Copy a model and everything in it (`copy.deepcopy` cannot copy read-only mappings)."""
    if attrs.has(type(value)):
        changes = {
            (f.alias or f.name): _deep_copy(getattr(value, f.name))
            for f in attrs.fields(type(value))
            if f.init
        }
        return attrs.evolve(value, **changes)
    if isinstance(value, MappingProxyType):
        return MappingProxyType({k: _deep_copy(v) for k, v in value.items()})
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return type(value)(_deep_copy(v) for v in value)
    return copy.deepcopy(value)
