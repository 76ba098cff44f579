"""Kubernetes OpenAPI schemas as structured-merge types (what kube-apiserver's conversion does).

- ``x-kubernetes-list-type``: ``atomic`` -> atomic list; ``set`` -> associative list of scalars;
  ``map`` + ``x-kubernetes-list-map-keys`` -> associative list with keys; absent -> atomic.
- ``x-kubernetes-map-type``: ``atomic`` -> atomic map; ``granular`` or absent -> separable.
- ``properties`` -> named fields; ``additionalProperties`` -> the element type of other keys;
  ``x-kubernetes-preserve-unknown-fields`` -> other keys are deduced.
- int-or-string and other unions of scalar types (Quantity) -> untyped scalar; a node without
  a type (or no node) -> deduced.
- a field ``default`` supplies a map-list key an item omits.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from fleetops.core.schema import SchemaNode
from fleetops.core.structured.deduced import DEDUCED
from fleetops.core.structured.types import (
    ASSOCIATIVE,
    ATOMIC,
    SEPARABLE,
    Atom,
    ListType,
    MapType,
    ScalarKind,
    TypeRef,
)

__all__ = ["from_schema_node"]

_SCALARS: dict[str, ScalarKind] = {
    "string": "string",
    "integer": "numeric",
    "number": "numeric",
    "boolean": "boolean",
}


def from_schema_node(node: SchemaNode | None) -> TypeRef:
    """The structured-merge type of an OpenAPI node (deduced when there is none).

    The type of a given node object is built once and reused (nodes are immutable), so callers
    may convert the node of a kind on every request.
    """
    if node is None:
        return DEDUCED
    return _cached(node)


@functools.lru_cache(maxsize=1024)
def _cached(node: SchemaNode) -> TypeRef:
    return _ref(node)


def _ref(node: SchemaNode | None) -> TypeRef:
    if node is None:
        return DEDUCED
    return TypeRef(lambda: _atom(node), name=node.ref_name)


def _atom(node: SchemaNode) -> Atom:
    if node.int_or_string:
        return Atom(scalar="untyped")
    kind = node.type
    if kind in _SCALARS:
        return Atom(scalar=_SCALARS[kind])
    if kind == "array":
        return Atom(list=_list(node))
    if kind == "object" or node.properties or node.additional_properties is not None:
        return Atom(map=_map(node))
    if _scalar_alternatives(node):
        return Atom(scalar="untyped")  # e.g. Quantity: oneOf string | number
    return DEDUCED.atom  # no type: anything goes


def _scalar_alternatives(node: SchemaNode) -> bool:
    """A ``oneOf``/``anyOf`` whose choices are all scalar types."""
    for keyword in ("oneOf", "anyOf"):
        choices = node.raw.get(keyword)
        if isinstance(choices, list) and choices:
            kinds: set[object] = set()
            for choice in choices:
                kind = choice.get("type") if isinstance(choice, Mapping) else None
                names = kind if isinstance(kind, list) else [kind]
                kinds.update(name for name in names if name != "null")
            return bool(kinds) and kinds <= _SCALARS.keys()
    return False


def _list(node: SchemaNode) -> ListType:
    element = _ref(node.items)
    list_type = node.list_type
    if list_type == "set":
        return ListType(element, ASSOCIATIVE)
    if list_type == "map":
        return ListType(element, ASSOCIATIVE, node.list_map_keys)
    return ListType(element, ATOMIC)


def _map(node: SchemaNode) -> MapType:
    fields: dict[str, TypeRef] = {}
    defaults = {}
    for name in node.properties:
        child = node.field(name)
        fields[name] = _ref(child)
        if child is not None and child.has_default:
            defaults[name] = child.default
    element: TypeRef | None = None
    if node.additional_properties is not None:
        element = _ref(node.additional_properties)
    elif node.preserve_unknown_fields or not node.properties:
        element = DEDUCED
    return MapType(
        fields=fields,
        element=element,
        relationship=ATOMIC if node.map_type == "atomic" else SEPARABLE,
        defaults=defaults,
    )
