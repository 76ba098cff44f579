"""structured-merge-diff's own schema format (``types: [{name, scalar|list|map}]``) as TypeRefs.

This is the format of upstream's tests and of the conformance corpus. A ``type:`` reference is
``namedType: <name>`` or an inline atom, and may carry an ``elementRelationship`` overriding the
referenced type's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import yaml

from fleetops.core.structured.types import (
    ASSOCIATIVE,
    ATOMIC,
    SEPARABLE,
    Atom,
    ListType,
    MapType,
    Relationship,
    ScalarKind,
    SchemaError,
    TypeRef,
)

__all__ = ["NamedTypes", "parse_schema"]

_SCALARS = {"numeric", "string", "boolean", "untyped"}
_RELATIONSHIPS = {ATOMIC, SEPARABLE, ASSOCIATIVE}


class NamedTypes:
    """The named types of one schema document; ``type(name)`` is a lazily resolved TypeRef."""

    def __init__(self, definitions: Mapping[str, Mapping[str, Any]]) -> None:
        self._definitions = definitions
        self._refs: dict[tuple[str, Relationship | None], TypeRef] = {}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._definitions)

    def __contains__(self, name: object) -> bool:
        return name in self._definitions

    def type(self, name: str, relationship: Relationship | None = None) -> TypeRef:
        cache_key = (name, relationship)
        ref = self._refs.get(cache_key)
        if ref is None:
            ref = TypeRef(lambda: self._atom_of(name).with_relationship(relationship), name=name)
            self._refs[cache_key] = ref
        return ref

    def _atom_of(self, name: str) -> Atom:
        definition = self._definitions.get(name)
        if definition is None:
            raise SchemaError(f"no type found matching: {name}")
        return self._atom(definition)

    def _ref(self, spec: Mapping[str, Any] | None) -> TypeRef:
        if not isinstance(spec, Mapping):
            raise SchemaError(f"invalid type reference: {spec!r}")
        relationship = _relationship(spec.get("elementRelationship"))
        named = spec.get("namedType")
        if named is not None:
            return self.type(str(named), relationship)
        atom = self._atom(spec).with_relationship(relationship)
        return TypeRef.of(atom)

    def _atom(self, spec: Mapping[str, Any]) -> Atom:
        scalar = spec.get("scalar")
        if scalar is not None and scalar not in _SCALARS:
            raise SchemaError(f"unknown scalar type {scalar!r}")
        list_spec, map_spec = spec.get("list"), spec.get("map")
        atom = Atom(
            scalar=cast(ScalarKind, scalar) if scalar is not None else None,
            list=self._list(list_spec) if list_spec is not None else None,
            map=self._map(map_spec) if map_spec is not None else None,
        )
        if atom.scalar is None and atom.list is None and atom.map is None:
            raise SchemaError(f"invalid atom: {spec!r}")
        return atom

    def _list(self, spec: Mapping[str, Any]) -> ListType:
        relationship = _relationship(spec.get("elementRelationship")) or ATOMIC
        return ListType(
            element=self._ref(spec.get("elementType")),
            relationship=relationship,
            keys=tuple(str(k) for k in spec.get("keys") or ()),
        )

    def _map(self, spec: Mapping[str, Any]) -> MapType:
        fields: dict[str, TypeRef] = {}
        defaults: dict[str, Any] = {}
        for field in spec.get("fields") or ():
            name = str(field["name"])
            fields[name] = self._ref(field.get("type"))
            if "default" in field:
                defaults[name] = field["default"]
        element = spec.get("elementType")
        relationship = _relationship(spec.get("elementRelationship"))
        return MapType(
            fields=fields,
            element=self._ref(element) if element is not None else None,
            relationship=relationship or SEPARABLE,
            defaults=defaults,
        )


def _relationship(value: object) -> Relationship | None:
    if value is None:
        return None
    if value not in _RELATIONSHIPS:
        raise SchemaError(f"unknown elementRelationship {value!r}")
    return value


def parse_schema(text: str) -> NamedTypes:
    """Parse a schema document (YAML text with a ``types`` list)."""
    document = yaml.safe_load(text) or {}
    types = document.get("types") if isinstance(document, Mapping) else None
    if not isinstance(types, list):
        raise SchemaError("schema must have a 'types' list")
    definitions: dict[str, Mapping[str, Any]] = {}
    for definition in types:
        if not isinstance(definition, Mapping) or "name" not in definition:
            raise SchemaError(f"invalid type definition: {definition!r}")
        definitions[str(definition["name"])] = definition
    return NamedTypes(definitions)
