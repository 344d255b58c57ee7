"""Metadata sets (finite or co-finite), value metadata, and the propagation rules of spec 5.2."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import attrs

__all__ = ["Meta", "MetaSet", "Value", "propagate"]

_FIELDS = ("producers", "consumers", "tags")


@attrs.frozen
class MetaSet:
    """
    A set of metadata elements that may be universal.

    A finite set holds `items`; a co-finite set (`cofinite=True`) holds everything except
    `items`, so `{"*"}` is `MetaSet(frozenset(), cofinite=True)` and every set operation stays
    exact.

    Attributes:
        items: The members (finite) or the excluded elements (co-finite).
        cofinite: Whether the set is "everything except `items`".
    """

    items: frozenset[Hashable] = frozenset()
    cofinite: bool = False

    @classmethod
    def of(cls, elements: Iterable[Hashable]) -> MetaSet:
        """
        Build a set from elements; the element `"*"` makes it universal.

        Args:
            elements: The members.

        Returns:
            The set.
        """
        items = frozenset(elements)
        if "*" in items:
            return UNIVERSAL
        return cls(items)

    def __contains__(self, element: object) -> bool:
        return (element in self.items) != self.cofinite

    def union(self, other: MetaSet) -> MetaSet:
        """Return self | other."""
        if not self.cofinite and not other.cofinite:
            return MetaSet(self.items | other.items)
        if self.cofinite and other.cofinite:
            return MetaSet(self.items & other.items, True)
        finite, co = (self, other) if other.cofinite else (other, self)
        return MetaSet(co.items - finite.items, True)

    def intersect(self, other: MetaSet) -> MetaSet:
        """Return self & other."""
        if not self.cofinite and not other.cofinite:
            return MetaSet(self.items & other.items)
        if self.cofinite and other.cofinite:
            return MetaSet(self.items | other.items, True)
        finite, co = (self, other) if other.cofinite else (other, self)
        return MetaSet(finite.items - co.items)

    def minus(self, other: MetaSet) -> MetaSet:
        """Return self - other."""
        return self.intersect(other.complement())

    def xor(self, other: MetaSet) -> MetaSet:
        """Return the symmetric difference."""
        return self.minus(other).union(other.minus(self))

    def complement(self) -> MetaSet:
        """Return everything not in this set."""
        return MetaSet(self.items, not self.cofinite)

    @property
    def is_empty(self) -> bool:
        """True for the empty set."""
        return not self.cofinite and not self.items

    @property
    def is_universal(self) -> bool:
        """True for the universal set `{"*"}`."""
        return self.cofinite and not self.items

    def to_list(self) -> list[Any]:
        """
        Render for JSON: sorted members, or `["*"]` for universal and co-finite sets.

        Returns:
            A list; exclusions of a co-finite set cannot be written in the wire format.
        """
        if self.cofinite:
            return ["*"]
        return sorted(self.items, key=lambda item: (type(item).__name__, str(item)))


EMPTY = MetaSet()
UNIVERSAL = MetaSet(frozenset(), True)


@attrs.frozen
class Meta:
    """
    The metadata of a value or of the session.

    Attributes:
        producers: Who produced the data (default empty).
        consumers: Who may receive it (default universal).
        tags: Free-form labels (default empty).
    """

    producers: MetaSet = EMPTY
    consumers: MetaSet = UNIVERSAL
    tags: MetaSet = EMPTY

    @classmethod
    def from_json(cls, data: Mapping[str, Iterable[Hashable]] | None) -> Meta:
        """
        Build metadata from `{"producers": [...], "consumers": [...], "tags": [...]}`.

        Args:
            data: The mapping; missing fields take their defaults.

        Returns:
            The metadata.
        """
        data = data or {}
        return cls(**{name: MetaSet.of(data[name]) for name in _FIELDS if name in data})

    def to_json(self) -> dict[str, list[Any]]:
        """
        Render as the wire's `meta` object.

        Returns:
            A dict with the three fields as lists.
        """
        return {name: getattr(self, name).to_list() for name in _FIELDS}

    def get(self, field: str) -> MetaSet:
        """Return the named field (`producers`, `consumers` or `tags`)."""
        value: MetaSet = getattr(self, field)
        return value

    def replace(self, field: str, value: MetaSet) -> Meta:
        """Return a copy with one field replaced."""
        return attrs.evolve(self, **{field: value})


@attrs.frozen
class Value:
    """
    A value with its metadata (a tool argument, a tool result or the session).

    Attributes:
        value: The raw value.
        meta: Its metadata.
    """

    value: Any = None
    meta: Meta = attrs.field(factory=Meta)


def propagate(*parents: Meta) -> Meta:
    """
    Combine parent metadata: producers and tags are unioned, consumers intersected.

    Args:
        *parents: The metadata of the inputs.

    Returns:
        The child's metadata (the defaults when there are no parents).
    """
    result = Meta()
    for meta in parents:
        result = Meta(
            producers=result.producers.union(meta.producers),
            consumers=result.consumers.intersect(meta.consumers),
            tags=result.tags.union(meta.tags),
        )
    return result
