"""The schema abstraction structured merge works on (upstream's ``schema.TypeRef``/``Atom``).

An ``Atom`` describes what a value of a type may be: a scalar, a list and/or a map. A type may
allow several forms at once (the deduced type does); the form of a concrete value is picked by
``Atom.deduce``. A ``TypeRef`` names an atom lazily, so large or recursive schemas (Kubernetes
OpenAPI, named types referring to each other) are resolved only where an object goes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "ASSOCIATIVE",
    "ATOMIC",
    "SEPARABLE",
    "Atom",
    "ListType",
    "MapType",
    "Relationship",
    "ScalarKind",
    "SchemaError",
    "TypeRef",
]

ScalarKind = Literal["numeric", "string", "boolean", "untyped"]
Relationship = Literal["atomic", "separable", "associative"]
ATOMIC: Relationship = "atomic"
SEPARABLE: Relationship = "separable"
ASSOCIATIVE: Relationship = "associative"


class SchemaError(ValueError):
    """A schema that cannot be resolved (unknown named type, empty atom)."""


@dataclass(frozen=True, slots=True)
class ListType:
    """A list: ``atomic`` (one value) or ``associative`` (a set, or a map-list with ``keys``)."""

    element: TypeRef
    relationship: Relationship = ATOMIC
    keys: tuple[str, ...] = ()

    @property
    def atomic(self) -> bool:
        return self.relationship == ATOMIC


@dataclass(frozen=True, slots=True)
class MapType:
    """A map: named ``fields``, an ``element`` type for other keys (None: other keys rejected).

    ``defaults`` are field defaults, used for map-list keys an item omits.
    """

    fields: Mapping[str, TypeRef]
    element: TypeRef | None = None
    relationship: Relationship = SEPARABLE
    defaults: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def atomic(self) -> bool:
        return self.relationship == ATOMIC

    def field_type(self, name: str) -> TypeRef | None:
        declared = self.fields.get(name)
        return declared if declared is not None else self.element


@dataclass(frozen=True, slots=True)
class Atom:
    scalar: ScalarKind | None = None
    list: ListType | None = None
    map: MapType | None = None
    _parts: tuple[Atom, Atom, Atom] | None = dataclasses.field(
        default=None, init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        present = (self.scalar is not None) + (self.list is not None) + (self.map is not None)
        if present > 1:
            parts = (Atom(map=self.map), Atom(list=self.list), Atom(scalar=self.scalar))
            object.__setattr__(self, "_parts", parts)

    def deduce(self, value: Any) -> Atom:
        """The part of this atom that describes ``value`` (the whole atom if none fits)."""
        parts = self._parts
        if parts is None:
            return self
        if isinstance(value, dict):
            if self.map is not None:
                return parts[0]
        elif isinstance(value, list):
            if self.list is not None:
                return parts[1]
        elif value is not None and self.scalar is not None:
            return parts[2]
        return self

    def with_relationship(self, relationship: Relationship | None) -> Atom:
        if relationship is None:
            return self
        return Atom(
            scalar=self.scalar,
            list=dataclasses.replace(self.list, relationship=relationship) if self.list else None,
            map=dataclasses.replace(self.map, relationship=relationship) if self.map else None,
        )


class TypeRef:
    """A lazily resolved reference to an ``Atom``; ``name`` identifies named types."""

    __slots__ = ("_atom", "_resolve", "name")

    def __init__(self, resolve: Callable[[], Atom], *, name: str | None = None) -> None:
        self._resolve: Callable[[], Atom] | None = resolve
        self._atom: Atom | None = None
        self.name = name

    @classmethod
    def of(cls, atom: Atom, *, name: str | None = None) -> TypeRef:
        ref = cls(lambda: atom, name=name)
        ref._atom = atom
        return ref

    @property
    def atom(self) -> Atom:
        atom = self._atom
        if atom is None:
            assert self._resolve is not None
            atom = self._atom = self._resolve()
            self._resolve = None
        return atom

    def __repr__(self) -> str:
        return f"TypeRef({self.name or self._atom!r})"
