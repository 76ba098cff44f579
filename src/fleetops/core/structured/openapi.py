"""Kubernetes OpenAPI schemas as structured-merge types (what kube-apiserver's conversion does).

- ``x-kubernetes-list-type``: ``atomic`` -> atomic list; ``set`` -> associative list of scalars;
  ``map`` + ``x-kubernetes-list-map-keys`` -> associative list with keys; absent -> atomic.
- ``x-kubernetes-map-type``: ``atomic`` -> atomic map; ``granular`` or absent -> separable.
- ``properties`` -> named fields; ``additionalProperties`` -> the element type of other keys;
  ``x-kubernetes-preserve-unknown-fields`` -> other keys are deduced.
- int-or-string and other unions of scalar types (Quantity) -> untyped scalar; a node without
  a type (or no node) -> deduced.
- a field ``default`` supplies a map-list key an item omits. The OpenAPI definitions shipped by
  ``kubernetes-validate`` drop the defaults kube-apiserver publishes for list-map keys, so the
  known ones (``protocol: TCP`` of container, Service and endpoint ports) come from
  ``KNOWN_KEY_DEFAULTS``; without them ``{containerPort: 8080}`` would not match its live item
  ``k:{"containerPort":8080,"protocol":"TCP"}`` and every apply would add a port.
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

__all__ = ["KNOWN_KEY_DEFAULTS", "from_schema_node"]

KNOWN_KEY_DEFAULTS: Mapping[str, object] = {"protocol": "TCP"}
"""Defaults of list-map key fields that the API server applies but the shipped schemas omit."""

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


def _ref(node: SchemaNode | None, key_defaults: Mapping[str, object] | None = None) -> TypeRef:
    if node is None:
        return DEDUCED
    return TypeRef(lambda: _atom(node, key_defaults), name=node.ref_name)


def _atom(node: SchemaNode, key_defaults: Mapping[str, object] | None = None) -> Atom:
    if node.int_or_string:
        return Atom(scalar="untyped")
    kind = node.type
    if kind in _SCALARS:
        return Atom(scalar=_SCALARS[kind])
    if kind == "array":
        return Atom(list=_list(node))
    if kind == "object" or node.properties or node.additional_properties is not None:
        return Atom(map=_map(node, key_defaults))
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
    list_type = node.list_type
    if list_type == "set":
        return ListType(_ref(node.items), ASSOCIATIVE)
    if list_type == "map":
        keys = node.list_map_keys
        known = {key: KNOWN_KEY_DEFAULTS[key] for key in keys if key in KNOWN_KEY_DEFAULTS}
        # A single-key list cannot default its only key: an item without it has no identity.
        element = _ref(node.items, known if len(keys) > 1 else None)
        return ListType(element, ASSOCIATIVE, keys)
    return ListType(_ref(node.items), ATOMIC)


def _map(node: SchemaNode, key_defaults: Mapping[str, object] | None = None) -> MapType:
    fields: dict[str, TypeRef] = {}
    defaults = {}
    for name in node.properties:
        child = node.field(name)
        fields[name] = _ref(child)
        if child is not None and child.has_default:
            defaults[name] = child.default
        elif key_defaults and name in key_defaults:
            defaults[name] = key_defaults[name]
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
