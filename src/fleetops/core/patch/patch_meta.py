"""Strategic-merge metadata looked up field by field, the way kubectl's struct lookup does.

A `PatchMeta` describes one value's type. `map_field(key)` answers for a key whose value is an
object, `list_field(key)` for one whose value is a list (its `value` then describes the items).
Over a built-in Kubernetes schema an undeclared field is an error, as it is for kubectl; the
GENERIC meta (no schema) knows no strategies: maps merge, lists are replaced.
Lookups are cached per schema node, so a patch pays for each path once.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from fleetops.core.schema import SchemaNode

MERGE = "merge"
REPLACE = "replace"
RETAIN_KEYS = "retainKeys"


class MetaLookupError(Exception):
    """A field the schema cannot describe; the caller turns it into a PatchError with a path."""


@dataclass(frozen=True, slots=True)
class FieldMeta:
    """How one field patches: `strategy` is "merge", "replace" or "" (retainKeys apart)."""

    strategy: str
    retain_keys: bool
    merge_key: str
    value: PatchMeta


class PatchMeta:
    """The strategic-merge view of one schema node (None: no metadata at all)."""

    __slots__ = ("__weakref__", "_list_fields", "_map_fields", "_node")

    def __init__(self, node: SchemaNode | None) -> None:
        self._node = node
        self._map_fields: dict[str, FieldMeta | str] = {}
        self._list_fields: dict[str, FieldMeta | str] = {}

    @property
    def node(self) -> SchemaNode | None:
        return self._node

    def map_field(self, key: str) -> FieldMeta:
        found = self._map_fields.get(key)
        if found is None:
            found = self._lookup(key, want_list=False)
            self._map_fields[key] = found
        if isinstance(found, str):
            raise MetaLookupError(found)
        return found

    def list_field(self, key: str) -> FieldMeta:
        found = self._list_fields.get(key)
        if found is None:
            found = self._lookup(key, want_list=True)
            self._list_fields[key] = found
        if isinstance(found, str):
            raise MetaLookupError(found)
        return found

    def _lookup(self, key: str, *, want_list: bool) -> FieldMeta | str:
        node = self._node
        if node is None:
            return _GENERIC_FIELD
        field: SchemaNode | None = None
        strategies: frozenset[str] = frozenset()
        merge_key = ""
        if node.properties:
            field = node.field(key)
            if field is not None:
                strategies = field.patch_strategy
                merge_key = field.patch_merge_key or ""
        if field is None:
            field = node.additional_properties
        if field is None:
            if node.preserve_unknown_fields or (node.type is None and not node.properties):
                return _GENERIC_FIELD
            if node.properties:
                return f'unable to find api field "{key}" in {node.ref_name or "the schema"}'
            return f'cannot merge field "{key}": the schema type is {node.type}, not a map or struct'
        others = sorted(strategies - {RETAIN_KEYS})
        if len(others) > 1:
            return f"unexpected patch strategy: {sorted(strategies)}"
        strategy = others[0] if others else ""
        value: SchemaNode | None = field
        if want_list:
            value = field.items
            if value is None and field.type not in (None, "array"):
                return f'expected a list type for field "{key}", but the schema says {field.type}'
        return FieldMeta(strategy, RETAIN_KEYS in strategies, merge_key, meta_for(value))


GENERIC = PatchMeta(None)
_GENERIC_FIELD = FieldMeta("", False, "", GENERIC)
_CACHE: weakref.WeakKeyDictionary[SchemaNode, PatchMeta] = weakref.WeakKeyDictionary()


def meta_for(node: SchemaNode | None) -> PatchMeta:
    """The (cached) PatchMeta of a schema node; None gives GENERIC."""
    if node is None:
        return GENERIC
    meta = _CACHE.get(node)
    if meta is None:
        meta = PatchMeta(node)
        _CACHE[node] = meta
    return meta
