"""
The project's one cattrs converter and its registry of wire rules. The general rules live here, never
on the models: trailing-underscore renames (`schema_` goes out as `schema`), omitted `None`, kept
unknown fields, tagged unions, ``str | X`` unions, strict primitives. The rules of a package of
models (its unions, the configuration headers) are registered by that package with
`register_wire_rules`; this module imports no model.
"""

from __future__ import annotations

import functools
import json
import threading
import types
import weakref
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, Union, get_args, get_origin

import attrs

from ._core._json import dumps_plain
from ._exceptions import SequrityValidationError

if TYPE_CHECKING:
    # cattrs is imported when the first converter is built: a program whose answers all take
    # the shortcuts (types/_fast_*.py) never loads it.
    import cattrs

__all__ = [
    "EMPTY",
    "EXTRA",
    "dumps",
    "get_converter",
    "get_fast_converter",
    "make_converter",
    "register_tagged_union",
    "register_wire_rules",
    "structure_fast",
    "structure_or_raise",
    "validation_messages",
]

T = TypeVar("T")

#: Name of the attribute that keeps a JSON object's unknown keys.
EXTRA: Final = "extra"
#: Shared immutable empty mapping: the default of every `extra` field (no allocation per object).
EMPTY: Mapping[str, Any] = MappingProxyType({})


def wire_name(attribute: str) -> str:
    """
    Map an attribute name to its JSON key: a trailing underscore (``schema_``) is dropped.
    """
    return attribute[:-1] if attribute.endswith("_") else attribute


# -- strict primitives -------------------------------------------------------------------------
# cattrs' defaults coerce (``str(3) == "3"``); a typed SDK must refuse instead.


def _structure_str(value: Any, _: Any) -> str:
    if type(value) is str:
        return value
    if isinstance(value, str):
        return str(value)
    raise TypeError(f"expected a string, got {type(value).__name__}")


def _structure_int(value: Any, _: Any) -> int:
    if type(value) is int:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise TypeError(f"expected an integer, got {type(value).__name__}")


def _structure_float(value: Any, _: Any) -> float:
    if type(value) is float:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"expected a number, got {type(value).__name__}")


def _structure_bool(value: Any, _: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError(f"expected true or false, got {type(value).__name__}")


def _is_literal(tp: Any) -> bool:
    return get_origin(tp) is Literal


def _literal_factory(tp: Any) -> Callable[[Any, Any], Any]:
    allowed = get_args(tp)
    listed = ", ".join(repr(a) for a in allowed)

    def structure_literal(value: Any, _: Any) -> Any:
        if value in allowed and type(value) in {type(a) for a in allowed}:
            return value
        raise ValueError(f"expected one of {listed}, got {value!r}")

    return structure_literal


def _is_optional(tp: Any) -> bool:
    if get_origin(tp) not in (Union, types.UnionType):
        return False
    args = get_args(tp)
    return len(args) == 2 and type(None) in args


def _optional_factory(converter: cattrs.Converter, tp: Any) -> Callable[[Any, Any], Any]:
    # cattrs dispatches on every call for Optional[X]; resolve X's hook once instead.
    inner = next(a for a in get_args(tp) if a is not type(None))
    hook = converter.get_structure_hook(inner)

    def structure_optional(value: Any, _: Any) -> Any:
        return None if value is None else hook(value, inner)

    return structure_optional


def _is_list(tp: Any) -> bool:
    return get_origin(tp) is list


def _list_factory(converter: cattrs.Converter, tp: Any) -> Callable[[Any, Any], list[Any]]:
    from cattrs.cols import list_structure_factory

    inner = list_structure_factory(tp, converter)

    def structure_list(value: Any, cl: Any) -> list[Any]:
        if not isinstance(value, list | tuple):
            raise TypeError(f"expected a JSON array, got {type(value).__name__}")
        result: list[Any] = inner(value, cl)
        return result

    return structure_list


def _is_dict(tp: Any) -> bool:
    return get_origin(tp) is dict


def _dict_factory(converter: cattrs.Converter, tp: Any) -> Callable[[Any, Any], dict[Any, Any]]:
    args = get_args(tp)
    if len(args) == 2 and args[1] is Any and args[0] is str:

        def structure_json_object(value: Any, _: Any) -> dict[str, Any]:
            if not isinstance(value, Mapping):
                raise TypeError(f"expected a JSON object, got {type(value).__name__}")
            return dict(value)

        return structure_json_object
    inner = converter.gen_structure_mapping(tp)

    def structure_mapping(value: Any, cl: Any) -> dict[Any, Any]:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a JSON object, got {type(value).__name__}")
        result: dict[Any, Any] = inner(value, cl)
        return result

    return structure_mapping


def _is_str_or_other(tp: Any) -> bool:
    if get_origin(tp) not in (Union, types.UnionType):
        return False
    args = [a for a in get_args(tp) if a is not type(None)]
    return len(args) == 2 and str in args


def _str_or_other_factory(converter: cattrs.Converter, tp: Any) -> Callable[[Any, Any], Any]:
    # ``str | list[Part]`` (message content) and the like: a string as is, else the other member.
    args = get_args(tp)
    other = next(a for a in args if a is not str and a is not type(None))
    nullable = type(None) in args
    hook = converter.get_structure_hook(other)
    container = get_origin(other) or other
    kind = "a list" if container is list else "an object" if container is dict else str(other)

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, str):
            return value
        if value is None and nullable:
            return None
        if container in (list, dict) and not isinstance(value, container):
            raise TypeError(f"expected a string or {kind}, got {type(value).__name__}")
        return hook(value, other)

    return structure


# -- attrs classes -----------------------------------------------------------------------------


def _attrs_structure_factory(converter: cattrs.Converter, cl: type[T]) -> Callable[[Any, Any], T]:
    from cattrs.gen import make_dict_structure_fn, override

    fields = attrs.fields(cl)  # type: ignore[arg-type]
    overrides = {}
    known: set[str] = set()
    has_extra = False
    for a in fields:
        if a.name == EXTRA:
            has_extra = True
            overrides[a.name] = override(omit=True)
            continue
        key = wire_name(a.name)
        known.add(key)
        if key != a.name:
            overrides[a.name] = override(rename=key)
    base = make_dict_structure_fn(cl, converter, **overrides)  # type: ignore[arg-type]
    frozen_known = frozenset(known)
    name = cl.__name__

    def structure(value: Any, _: Any) -> T:
        if type(value) is not dict:
            if isinstance(value, cl):  # already typed (a caller passed a model object)
                return value
            if not isinstance(value, Mapping):
                raise TypeError(f"expected a JSON object for {name}, got {type(value).__name__}")
        obj = base(value, cl)
        if has_extra and not frozen_known.issuperset(value):
            unknown = {k: v for k, v in value.items() if k not in frozen_known}
            # The instances are frozen; setting the one bookkeeping field here keeps the
            # generated constructor call free of an extra keyword on the hot path.
            object.__setattr__(obj, EXTRA, unknown)
        return obj

    return structure


def _attrs_unstructure_factory(
    converter: cattrs.Converter, cl: type[Any]
) -> Callable[[Any], dict[str, Any]]:
    from cattrs.gen import make_dict_unstructure_fn, override

    overrides = {}
    has_extra = False
    for a in attrs.fields(cl):
        if a.name == EXTRA:
            has_extra = True
            overrides[a.name] = override(omit=True)
            continue
        key = wire_name(a.name)
        overrides[a.name] = override(
            rename=key if key != a.name else None, omit_if_default=a.default is None
        )
    base = make_dict_unstructure_fn(cl, converter, **overrides)  # type: ignore[arg-type]
    if not has_extra:
        return base

    def unstructure(obj: Any) -> dict[str, Any]:
        out = base(obj)
        extra = obj.extra
        if extra:
            for key, value in extra.items():
                out.setdefault(key, value)
        return out

    return unstructure


def register_tagged_union(
    converter: cattrs.Converter,
    union: Any,
    tag: str,
    members: Mapping[str, type[Any]],
    *,
    fallback: type[Any] | None = None,
) -> None:
    """
    Structure `union` by dispatching on the JSON key `tag` (``role``, ``type``).

    An unknown tag value is refused with the allowed values listed, unless `fallback` names a class
    that takes every other object (used for open unions such as stream events).
    """
    hooks: dict[str, Callable[[Any, Any], Any]] = {}
    allowed = ", ".join(repr(k) for k in members)
    classes = tuple(members.values())

    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, classes):  # already typed
            return value
        if attrs.has(type(value)):  # another model of the same JSON (a response message sent back)
            value = converter.unstructure(value)
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a JSON object, got {type(value).__name__}")
        key = value.get(tag)
        cls = members.get(key) if isinstance(key, str) else None
        if cls is None:
            if fallback is not None:
                cls = fallback
            elif key is None:
                raise ValueError(f"missing {tag!r}; expected one of {allowed}")
            else:
                raise ValueError(f"unknown {tag} {key!r}; expected one of {allowed}")
        hook = hooks.get(cls.__name__)
        if hook is None:
            hook = hooks[cls.__name__] = converter.get_structure_hook(cls)
        return hook(value, cls)

    converter.register_structure_hook(union, structure)

    def structure_optional(value: Any, cl: Any) -> Any:
        return None if value is None else structure(value, cl)

    # An optional field (``ResponseFormat | None``) is a different type to cattrs.
    converter.register_structure_hook(union | None, structure_optional)


# -- the registry -------------------------------------------------------------------------------

#: A package's wire rules: a function that registers hooks on the converter it is given.
WireRules = Callable[["cattrs.Converter"], None]

_rules: list[WireRules] = []
_built: weakref.WeakSet[cattrs.Converter] = weakref.WeakSet()
_rules_lock = threading.Lock()


@functools.cache
def _converter_class() -> type[cattrs.Converter]:
    import cattrs

    class _Converter(cattrs.Converter):
        # cattrs' converter has slots and no weak-reference slot; the registry needs one.
        __slots__ = ("__weakref__",)

    return _Converter


def register_wire_rules(rules: WireRules) -> WireRules:
    """
    Add a package's wire rules to every converter: those `make_converter` builds from now on and
    those it built already (cattrs forgets the hooks it derived, so none is stale).

    The package that owns the models calls this when it is imported (its tagged unions, the header
    models' rules), so the rules are in place before any of its models can be converted, and the
    converter never imports a model. Registering the same function twice has no effect.

    Args:
        rules: Registers hooks on the converter it is given; runs once per converter.

    Returns:
        `rules`, so it can be used as a decorator.
    """
    with _rules_lock:
        if rules in _rules:
            return rules
        _rules.append(rules)
        for converter in list(_built):
            rules(converter)
    return rules


def make_converter(*, detailed: bool = True) -> cattrs.Converter:
    """
    Build the converter that knows every wire rule of the Sequrity API.

    Args:
        detailed: Collect every problem with its JSON path (slower). The hot path structures with
            a non-detailed converter and re-runs a detailed one only to explain a failure.

    Returns:
        A new `cattrs.Converter`; use `get_converter()` for the shared, already-built one.
    """
    c = _converter_class()(detailed_validation=detailed)
    c.register_structure_hook(str, _structure_str)
    c.register_structure_hook(int, _structure_int)
    c.register_structure_hook(float, _structure_float)
    c.register_structure_hook(bool, _structure_bool)
    c.register_structure_hook_factory(_is_literal, _literal_factory)
    c.register_structure_hook_factory(_is_optional, functools.partial(_optional_factory, c))
    c.register_structure_hook_factory(_is_list, functools.partial(_list_factory, c))
    c.register_structure_hook_factory(_is_dict, functools.partial(_dict_factory, c))
    c.register_structure_hook_factory(attrs.has, functools.partial(_attrs_structure_factory, c))
    c.register_unstructure_hook_factory(attrs.has, functools.partial(_attrs_unstructure_factory, c))
    c.register_structure_hook_factory(_is_str_or_other, functools.partial(_str_or_other_factory, c))
    with _rules_lock:
        for rules in _rules:
            rules(c)
        _built.add(c)
    return c


@functools.cache
def get_converter() -> cattrs.Converter:
    """
    Return the shared detailed converter (built on first use; hooks are compiled once and cached).
    """
    return make_converter()


@functools.cache
def get_fast_converter() -> cattrs.Converter:
    """
    Return the shared converter without detailed validation, for the hot path.
    """
    return make_converter(detailed=False)


def structure_fast(value: Any, cl: type[T]) -> T:
    """
    Structure `value` on the fast path; on failure, re-run the detailed converter so the error
    raised carries every problem with its path (a cattrs `ClassValidationError`).
    """
    try:
        result: T = get_fast_converter().structure(value, cl)
    except Exception:
        result = get_converter().structure(value, cl)  # raises the detailed error
    return result


def _describe(exc: BaseException, _type: Any) -> str:
    if isinstance(exc, KeyError):
        return "required field missing"
    text = str(exc)
    return text or type(exc).__name__


def validation_messages(exc: BaseException, root: str) -> list[str]:
    """
    Flatten a cattrs error into one line per problem, each ending with its JSON path.
    """
    import cattrs
    from cattrs.errors import ClassValidationError, IterableValidationError

    if isinstance(exc, ClassValidationError | IterableValidationError):
        return cattrs.transform_error(exc, path=root, format_exception=_describe)
    return [f"{_describe(exc, None)} @ {root}"]


def structure_or_raise(value: Any, cl: Any, what: str) -> Any:
    """
    Structure caller input, turning every failure into a `SequrityValidationError` naming the field.
    """
    try:
        return get_fast_converter().structure(value, cl)
    except SequrityValidationError:
        raise
    except Exception:
        pass
    try:
        return get_converter().structure(value, cl)
    except SequrityValidationError:
        raise
    except Exception as exc:
        errors = validation_messages(exc, what)
        raise SequrityValidationError(f"invalid {what}: " + "; ".join(errors), errors) from None


_encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def dumps(value: Any, what: str = "request body", *, plain: bool = False) -> bytes:
    """
    Encode a JSON-compatible value as compact UTF-8, refusing what JSON cannot carry.

    Args:
        value: The value.
        what: What it is, for the error message.
        plain: The caller knows `value` is plain JSON (see `_core._json.dumps_plain`), which
            orjson, when installed, writes byte for byte as `json` does.

    Raises:
        SequrityValidationError: the value holds something JSON cannot represent (a set, an
            object, NaN), named in the message.
    """
    try:
        if plain:
            return dumps_plain(value)
        return _encoder.encode(value).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise SequrityValidationError(f"{what} cannot be sent as JSON: {exc}") from None
