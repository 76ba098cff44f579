"""Removing or extracting the fields of a set from a value (upstream's ``RemoveItems`` and
``ExtractItems``).

Removal drops map fields and list items named by the set and descends where the set has paths
below an element. Extraction keeps only what the set names. A map or list left empty becomes
null in its parent, as upstream does.
"""

from __future__ import annotations

from typing import Any

from fleetops.core.structured import pathelements
from fleetops.core.structured.fieldset import FieldSet
from fleetops.core.structured.pathelements import Path
from fleetops.core.structured.types import TypeRef
from fleetops.core.structured.values import item_element

__all__ = ["extract_items", "remove_items"]


def remove_items(value: Any, items: FieldSet, type_ref: TypeRef) -> Any:
    """``value`` without the fields in ``items`` (None when nothing is left)."""
    if items.empty:
        return value
    return _walk(value, items, type_ref, (), extract=False)


def extract_items(value: Any, items: FieldSet, type_ref: TypeRef) -> Any:
    """Only the fields of ``value`` in ``items`` (None when nothing is selected)."""
    return _walk(value, items, type_ref, (), extract=True)


def _walk(value: Any, items: FieldSet, type_ref: TypeRef, path: Path, *, extract: bool) -> Any:
    atom = type_ref.atom.deduce(value)
    if atom.map is not None:
        if not isinstance(value, dict) or not value:
            return None
        if atom.map.atomic:
            return value if extract else None
        map_type = atom.map
        out: dict[str, Any] = {}
        for name, item in value.items():
            element = pathelements.field(name)
            field_type = map_type.fields.get(name) or map_type.element
            if element in items.members:
                if extract:
                    assert field_type is not None
                    out[name] = _walk(item, items, field_type, (*path, element), extract=True)
                continue
            below = items.children.get(element)
            if below is not None:
                assert field_type is not None
                item = _walk(item, below, field_type, (*path, element), extract=extract)
            elif extract:
                continue
            out[name] = item
        return out or None
    if atom.scalar is not None:
        return value
    assert atom.list is not None
    list_type = atom.list
    if not isinstance(value, list) or not value:
        return None
    if list_type.atomic:
        return value if extract else None
    kept: list[Any] = []
    for position, item in enumerate(value):
        element = item_element(list_type, position, item, path)
        below = items.children.get(element)
        named = element in items.members
        if extract:
            if below is not None:
                item = _walk(item, below, list_type.element, (*path, element), extract=True)
            if named or below is not None:
                kept.append(item)
        else:
            if named:
                continue
            if below is not None:
                item = _walk(item, below, list_type.element, (*path, element), extract=False)
            kept.append(item)
    return kept or None
