"""
The base classes of the configuration-header models and their JSON wire rules on the converter: a
structure hook (JSON in: unknown fields refused at every depth, every problem named with its path)
and an unstructure hook (JSON out: `None` left out, `JSON_NULL` as ``null``, sets sorted), built
per class from the field rules and registered with `register_wire_rules` when this module loads.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self, TypeVar, overload

from sequrity._converter import get_fast_converter, register_wire_rules
from sequrity._exceptions import SequrityValidationError

from ...types._model_methods import ModelMethods
from ._header_fields import JSON_NULL, Decode, Encode, FieldSpec, Hooks, specs_of
from ._header_text import deep_merge as deep_merge
from ._header_text import dump_json as dump_json

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "HeaderModel",
    "HeaderProblems",
    "Model",
    "deep_merge",
    "dump_json",
    "register_header_rules",
    "render_header",
    "structure_header",
]


M = TypeVar("M", bound="Model")


class HeaderProblems(ValueError):
    """
    Raised by a header model's structure hook: one ``"path: problem"`` line per problem, the path
    relative to the object being read (``.fsm.max_n_turns``, ``[0].name``; empty for the object).
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems

    def under(self, path: str) -> list[str]:
        """The problems with `path` (the object's own path) in front of theirs."""
        return [path + problem for problem in self.problems]


def _invalid(problems: list[str]) -> SequrityValidationError:
    return SequrityValidationError("; ".join(problems), problems)


def check_fields(obj: Any) -> list[str]:
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


def structure_header(cls: type[M], data: Any, path: str | None = None) -> M:
    """
    Read a header model from decoded JSON through the converter.

    Args:
        cls: The model class.
        data: The decoded JSON object.
        path: The name problems are reported under (default: the class name).

    Raises:
        SequrityValidationError: One entry in `errors` per problem, each naming its field path.
    """
    try:
        header: M = get_fast_converter().structure(data, cls)
    except HeaderProblems as exc:
        raise _invalid(exc.under(cls.__name__ if path is None else path)) from None
    return header


class Model(ModelMethods):
    """
    Base of every header model: checks its fields when built; reads and writes JSON through the
    converter (`from_dict`, `to_dict`), and has the pydantic-style methods (`ModelMethods`).
    """

    __slots__ = ()

    def __attrs_post_init__(self) -> None:
        problems = check_fields(self)
        if problems:
            raise _invalid(problems)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """
        Build an object from decoded JSON, refusing unknown fields at every depth.

        Raises:
            SequrityValidationError: One entry in `errors` per problem, each naming its field path.
        """
        return structure_header(cls, data)

    def to_dict(self) -> dict[str, Any]:
        """
        Return the JSON-ready dict: `None` fields left out, `JSON_NULL` as `None`, sets sorted.
        """
        data: dict[str, Any] = get_fast_converter().unstructure(self)
        return data


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


# -- the wire rules, as converter hooks ----------------------------------------------------------


def _is_model(cl: Any) -> bool:
    return isinstance(cl, type) and issubclass(cl, Model)


def _nested(converter: cattrs.Converter) -> Hooks:
    """How a field reads and writes a nested model: through the converter's hooks for it."""

    def hooks(cls: type[Any]) -> tuple[Decode, Encode]:
        structure = converter.get_structure_hook(cls)

        def decode(value: Any, path: str, errors: list[str]) -> Any:
            try:
                return structure(value, cls)
            except HeaderProblems as exc:
                errors.extend(exc.under(path))
                return None

        return decode, converter.get_unstructure_hook(cls)

    return hooks


def _structure_factory(converter: cattrs.Converter, cls: type[Any]) -> Callable[[Any, Any], Any]:
    nested = _nested(converter)
    fields: dict[str, tuple[FieldSpec, Decode]] = {
        name: (fspec, fspec.rule.bind(nested)[0]) for name, fspec in specs_of(cls)
    }
    allowed = ", ".join(repr(name) for name in fields)

    def structure(data: Any, _: Any) -> Any:
        if not isinstance(data, Mapping):
            raise HeaderProblems([f": expected a JSON object, got {data!r}"])
        errors: list[str] = []
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            sub = f".{key}"
            field = fields.get(key)
            if field is None:
                errors.append(f"{sub}: unknown field; allowed fields: {allowed}")
                continue
            fspec, decode = field
            if value is None:
                if fspec.json_null:
                    kwargs[key] = JSON_NULL
                elif not fspec.nullable:
                    errors.append(f"{sub}: must not be null")
            else:
                kwargs[key] = decode(value, sub, errors)
        if errors:
            raise HeaderProblems(errors)
        try:
            return cls(**kwargs)
        except (SequrityValidationError, TypeError) as exc:  # a required field left out
            raise HeaderProblems([f": {exc}"]) from None

    return structure


def _unstructure_factory(converter: cattrs.Converter, cls: type[Any]) -> Callable[[Any], Any]:
    nested = _nested(converter)
    fields = tuple((name, fspec.rule.bind(nested)[1]) for name, fspec in specs_of(cls))

    def unstructure(obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, encode in fields:
            value = getattr(obj, name)
            if value is None:
                continue
            out[name] = None if value is JSON_NULL else encode(value)
        return out

    return unstructure


def register_header_rules(converter: cattrs.Converter) -> None:
    """
    Teach `converter` to read and write every header model (a subclass of `Model`).
    """
    converter.register_structure_hook_factory(
        _is_model, functools.partial(_structure_factory, converter)
    )
    converter.register_unstructure_hook_factory(
        _is_model, functools.partial(_unstructure_factory, converter)
    )


register_wire_rules(register_header_rules)
