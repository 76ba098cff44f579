"""Reconciling a recorded field set with a changed schema (upstream's
``ReconcileFieldSetWithSchema``): a granular type that became atomic is owned as one value; an
atomic type that became granular is owned field by field, as the live object sets it.
"""

from __future__ import annotations

from typing import Any

from fleetops.core.structured.fieldset import FieldSet, FieldSetBuilder
from fleetops.core.structured.pathelements import Path
from fleetops.core.structured.tofieldset import to_field_set
from fleetops.core.structured.types import ATOMIC, SEPARABLE, TypeRef
from fleetops.core.structured.values import StructuredMergeError

__all__ = ["reconcile_field_set"]


class _Changes:
    __slots__ = ("live", "live_set", "to_add", "to_remove", "type_ref")

    def __init__(self, live: Any, type_ref: TypeRef) -> None:
        self.live = live
        self.type_ref = type_ref
        self.live_set: FieldSet | None = None
        self.to_remove = FieldSetBuilder()
        self.to_add: list[FieldSet] = []

    def granular(self, path: Path) -> None:
        if self.live_set is None:
            self.live_set = to_field_set(self.live, self.type_ref)
        builder = FieldSetBuilder()
        builder.insert(path)
        grown = builder.build()
        below = self.live_set.at(path)
        if below is not None and not below.empty:
            grown = grown.union(_prefixed(path, below))
        self.to_add.append(grown)

    def atomic(self, path: Path) -> None:
        self.to_remove.insert(path)
        builder = FieldSetBuilder()
        builder.insert(path)
        self.to_add.append(builder.build())


def _prefixed(path: Path, items: FieldSet) -> FieldSet:
    for element in reversed(path):
        items = FieldSet((), {element: items})
    return items


def reconcile_field_set(items: FieldSet, live: Any, type_ref: TypeRef) -> FieldSet | None:
    """The reconciled set, or None when ``items`` already fits the schema."""
    changes = _Changes(live, type_ref)
    _visit(items, type_ref, (), False, changes)
    removed = changes.to_remove.build()
    if removed.empty and not changes.to_add:
        return None
    out = items.recursive_difference(removed)
    for added in changes.to_add:
        out = out.union(added)
    return out


def _visit(items: FieldSet | None, type_ref: TypeRef, path: Path, is_atomic: bool, changes: _Changes) -> None:
    atom = type_ref.atom
    if atom.map is not None:
        map_type = atom.map
        if not is_atomic and map_type.relationship == ATOMIC:
            if items is not None and not items.empty and path:
                changes.atomic(path)
            return
        if is_atomic and map_type.relationship == SEPARABLE:
            changes.granular(path)
        if items is not None:
            for element, below, member in _elements(items):
                field_type = map_type.fields.get(element[2:]) if element[0] == "f" else None
                field_type = field_type or map_type.element
                if field_type is None:
                    raise StructuredMergeError("field not declared in schema", (*path, element))
                _visit(below, field_type, (*path, element), member and below is None, changes)
        return
    if atom.scalar is not None:
        return
    if atom.list is None:
        return
    list_type = atom.list
    if not is_atomic and list_type.atomic:
        if path:
            changes.atomic(path)
        return
    if is_atomic and not list_type.atomic:
        changes.granular(path)
    if items is not None:
        for element, below, member in _elements(items):
            _visit(below, list_type.element, (*path, element), member and below is None, changes)


def _elements(items: FieldSet) -> list[tuple[str, FieldSet | None, bool]]:
    out: list[tuple[str, FieldSet | None, bool]] = [
        (element, below, element in items.members)
        for element, below in items.children.items()
    ]
    out.extend((element, None, True) for element in items.members if element not in items.children)
    return out
