"""Lazy module attributes (PEP 562): heavy names are imported on first access, not at import."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["blocking_twin", "lazy_attributes", "load"]


def lazy_attributes(
    namespace: dict[str, Any], names: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """
    Build a module's ``__getattr__`` and ``__dir__`` for `names` (attribute -> module path, or
    ``"module:attribute"`` when the module calls it something else, or ``"module:"`` for the
    module itself).

    The first access imports the module, stores the value in the namespace (so later lookups
    are plain dictionary hits) and returns it.
    """

    def __getattr__(name: str) -> Any:
        path = names.get(name)
        if path is None:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        value = load(path, name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(names))

    return __getattr__, __dir__


def load(path: str, name: str = "") -> Any:
    """
    Import and return what `path` names: ``"module:attribute"``, ``"module:"`` for the module
    itself, or ``"module"`` for its attribute `name`.

    The module's package is imported first: importing a submodule takes its lock before its
    package's, so a thread doing that while another runs the package's ``__init__`` (which imports
    the same submodule) is a deadlock that Python breaks with an ImportError in one of them.
    """
    module, colon, attribute = path.partition(":")
    package = module.rpartition(".")[0]
    if package:
        importlib.import_module(package)
    loaded = importlib.import_module(module)
    return loaded if colon and not attribute else getattr(loaded, attribute or name)


def blocking_twin(module: str, name: str, names: Mapping[str, str]) -> Any:
    """
    Give attribute `name` of an async module that also serves, under the official SDK's names,
    the blocking classes generated from it (they import the module, so they load on first use).
    Call it from the module's ``__getattr__``.

    Args:
        module: The async module's ``__name__`` (``sequrity.control.resources.chat``).
        name: The attribute asked for.
        names: Official name -> class name in the module's blocking twin under ``sequrity._sync``
            (``{"ChatResource": "ChatResource"}``); a value ``"sequrity.x:Name"`` names another
            module.

    Raises:
        AttributeError: `name` is not one of `names`.
    """
    target = names.get(name)
    if target is None:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    path, _, attribute = target.rpartition(":")
    twin = module.replace("sequrity.", "sequrity._sync.", 1)
    return load(f"{path or twin}:{attribute}")
