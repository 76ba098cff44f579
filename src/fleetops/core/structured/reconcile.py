"""Reconciling a recorded field set with a changed schema (upstream's
``ReconcileFieldSetWithSchema``): a map or list that was granular and is now atomic is owned as
one value from then on. (An atomic type that became granular stays owned as a whole, as upstream
does today: the owner keeps the field itself, not what is below it.)
"""

from __future__ import annotations

from fleetops.core.structured.fieldset import FieldSet, FieldSetBuilder
from fleetops.core.structured.pathelements import Path
from fleetops.core.structured.types import TypeRef
from fleetops.core.structured.values import StructuredMergeError

__all__ = ["reconcile_field_set"]


def reconcile_field_set(items: FieldSet, type_ref: TypeRef) -> FieldSet | None:
    """The reconciled set, or None when ``items`` already fits the schema."""
    now_atomic = FieldSetBuilder()
    _visit(items, type_ref, (), now_atomic)
    atomic = now_atomic.build()
    if atomic.empty:
        return None
    return items.recursive_difference(atomic).union(atomic)


def _visit(items: FieldSet, type_ref: TypeRef, path: Path, now_atomic: FieldSetBuilder) -> None:
    """Collect granular paths (paths with children in ``items``) whose type is now atomic."""
    atom = type_ref.atom
    if atom.map is not None:
        map_type = atom.map
        if map_type.atomic:
            if path:
                now_atomic.insert(path)
            return
        for element, below in items.children.items():
            field_type = map_type.fields.get(element[2:]) if element[0] == "f" else None
            field_type = field_type or map_type.element
            if field_type is None:
                raise StructuredMergeError("field not declared in schema", (*path, element))
            _visit(below, field_type, (*path, element), now_atomic)
        return
    if atom.list is not None and atom.scalar is None:
        list_type = atom.list
        if list_type.atomic:
            if path:
                now_atomic.insert(path)
            return
        for element, below in items.children.items():
            _visit(below, list_type.element, (*path, element), now_atomic)
