"""
Building model instances without their ``__init__``, for the decoding shortcuts (``_fast_*.py``)
only: a frozen attrs class sets each field through ``object.__setattr__``, which costs about twice
as much as the slot's own setter. The instances are the same (every field set, none validated:
the shortcuts check the types themselves), and the property tests compare them with the
converter's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["OPT_STR", "new", "slot_setters", "unknown_keys"]

Setter = Callable[[Any, Any], None]

#: A new instance with no field set yet (the shortcuts then set every one).
new = object.__new__
#: The types of an optional string, for ``type(x) in OPT_STR``.
OPT_STR = (str, type(None))


def unknown_keys(data: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """The keys of `data` its class does not declare: the converter keeps them in `extra`."""
    return {k: v for k, v in data.items() if k not in known}


def slot_setters(cls: type[Any], *names: str) -> tuple[Setter, ...]:
    """
    The setters of the slots of `cls`'s fields `names`, which must be all its fields, in order (a
    shortcut that builds instances must set every field: a new field fails here, at import).

    Raises:
        TypeError: `names` are not the fields of `cls`, or a field has a validator, a converter
            or an ``on_setattr`` hook (the shortcut would skip it).
    """
    fields = attrs.fields(cls)
    if tuple(f.name for f in fields) != names:
        raise TypeError(f"{cls.__name__} has fields {[f.name for f in fields]}, not {names}")
    for f in fields:
        if f.validator is not None or f.converter is not None or f.on_setattr is not None:
            raise TypeError(f"{cls.__name__}.{f.name} checks its values; build it with __init__")
    return tuple(cls.__dict__[name].__set__ for name in names)
