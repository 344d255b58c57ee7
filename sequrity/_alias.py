"""
A second import name for the package: a meta-path finder that makes ``<alias>.X`` the module
``sequrity.X`` itself (the same module object under both names, never a copy), so ``isinstance``
and identity hold whichever name the code used. Used by the ``sequrity_api`` package.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType

__all__ = ["install_alias"]


class _AliasLoader(importlib.abc.Loader):
    """Loads ``<alias>.X`` by importing ``sequrity.X`` and handing back that module."""

    def __init__(self, real: str) -> None:
        self._real = real
        self._spec: importlib.machinery.ModuleSpec | None = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(self._real)
        self._spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # The import system set `__spec__` to the alias's spec; the module keeps its own (the
        # other attributes it already had are left alone). Nothing runs twice.
        module.__spec__ = self._spec


class _AliasFinder(importlib.abc.MetaPathFinder):
    """Finds ``<alias>.X`` as ``<target>.X``."""

    def __init__(self, alias: str, target: str) -> None:
        self.alias = alias
        self.target = target

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if not fullname.startswith(self.alias + "."):
            return None
        real = self.target + fullname[len(self.alias) :]
        if importlib.util.find_spec(real) is None:
            return None  # the import system raises ModuleNotFoundError naming `fullname`
        return importlib.util.spec_from_loader(fullname, _AliasLoader(real))


def install_alias(alias: str, target: str) -> None:
    """
    Make every ``alias.X`` import give the module ``target.X`` (idempotent).

    Args:
        alias: The second import name (``sequrity_api``).
        target: The real package (``sequrity``).
    """
    for finder in sys.meta_path:
        if isinstance(finder, _AliasFinder) and finder.alias == alias:
            return
    sys.meta_path.insert(0, _AliasFinder(alias, target))
