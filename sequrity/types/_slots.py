"""
Building model instances without their ``__init__``, for the decoding shortcuts (``_fast_*.py``)
only. A frozen attrs class sets each field through ``object.__setattr__`` (a call with a name
lookup per field); a shortcut instead builds the instance as its class's *builder*, a subclass that
adds nothing but plain attribute assignment, stores every field (the interpreter's own slot
store, about a twentieth of a setter call), and then gives it the model's class::

    delta = new(DeltaBuilder)
    delta.role = None
    ...  # every field, in order
    delta.__class__ = ChunkChoiceDelta

The instance is then exactly what ``__init__`` builds (same class, same slots; none validated:
the shortcuts check the types themselves), and the property tests compare them with the
converter's.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["OPT_STR", "builder", "new", "unknown_keys"]

#: A new instance with no field set yet (the shortcuts then set every one).
new = object.__new__
#: The types of an optional string, for ``type(x) in OPT_STR``.
OPT_STR = (str, type(None))


def unknown_keys(data: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """The keys of `data` its class does not declare: the converter keeps them in `extra`."""
    return {k: v for k, v in data.items() if k not in known}


def builder(cls: type[Any], *names: str) -> type[Any]:
    """
    The builder of `cls`, whose fields must be `names`, all of them, in order (a shortcut that
    builds instances must set every field: a new field fails here, at import, and the list in
    the call is the list the shortcut stores).

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
    # No slots of its own, so an instance may change its class to `cls` (same layout); both
    # `__setattr__` and `__delattr__` are object's, so stores take the plain slot path.
    return type(
        cls.__name__,
        (cls,),
        {
            "__slots__": (),
            "__setattr__": object.__setattr__,
            "__delattr__": object.__delattr__,
            "__module__": __name__,
            "__qualname__": f"builder({cls.__qualname__})",
        },
    )
