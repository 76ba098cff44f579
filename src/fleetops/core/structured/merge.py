"""Merging an applied configuration into a live value (upstream's ``TypedValue.Merge``).

The right-hand side wins for leaves (scalars, atomic lists and maps). Separable maps merge by
field; associative lists merge by item name, keeping the live order for items the configuration
does not mention and the configuration's order for the items it does.
"""

from __future__ import annotations

from typing import Any

from fleetops.core.structured.forms import pair_atom
from fleetops.core.structured.pathelements import Path
from fleetops.core.structured.types import ListType, MapType, TypeRef
from fleetops.core.structured.values import MISSING, StructuredMergeError, item_element, values_equal

__all__ = ["merge"]


def merge(lhs: Any, rhs: Any, type_ref: TypeRef) -> Any:
    """``rhs`` merged onto ``lhs``; MISSING stands for an absent value on either side."""
    return _merge(lhs, rhs, type_ref, ())


def _merge(lhs: Any, rhs: Any, type_ref: TypeRef, path: Path) -> Any:
    if rhs is MISSING:
        return lhs
    if lhs is MISSING:
        return rhs
    atom = pair_atom(type_ref.atom, lhs, rhs)
    if atom.map is not None:
        return _merge_map(lhs, rhs, atom.map, path)
    if atom.scalar is not None:
        return rhs
    assert atom.list is not None
    return _merge_list(lhs, rhs, atom.list, path)


def _merge_map(lhs: Any, rhs: Any, map_type: MapType, path: Path) -> Any:
    left = lhs if isinstance(lhs, dict) else None
    right = rhs if isinstance(rhs, dict) else None
    if map_type.atomic or (not left and not right):
        return rhs
    out: dict[str, Any] = {}
    fields = map_type.fields
    if left:
        for name, value in left.items():
            other = right.get(name, MISSING) if right else MISSING
            if other is MISSING:
                out[name] = value
                continue
            field_type = fields.get(name) or map_type.element
            if field_type is None:
                raise StructuredMergeError("field not declared in schema", (*path, "f:" + name))
            merged = _merge(value, other, field_type, (*path, "f:" + name))
            if merged is not MISSING:
                out[name] = merged
    if right:
        for name, value in right.items():
            if left is None or name not in left:
                out[name] = value
    return out if out else MISSING


def _index(
    list_type: ListType, items: list[Any], path: Path, *, allow_duplicates: bool
) -> tuple[list[str], dict[str, Any]]:
    names: list[str] = []
    observed: dict[str, Any] = {}
    for position, item in enumerate(items):
        name = item_element(list_type, position, item, path)
        if name in observed:
            if not allow_duplicates:
                raise StructuredMergeError(f"duplicate entries for key {name}", path)
            observed[name] = None  # duplicated items are not merged with the new value
        else:
            observed[name] = item
        names.append(name)
    return names, observed


def _merge_list(lhs: Any, rhs: Any, list_type: ListType, path: Path) -> Any:
    left = lhs if isinstance(lhs, list) else None
    right = rhs if isinstance(rhs, list) else None
    if list_type.atomic or (not left and not right):
        return rhs
    left = left or []
    right = right or []
    right_names, right_items = _index(list_type, right, path, allow_duplicates=False)
    left_names, left_items = _index(list_type, left, path, allow_duplicates=True)
    shared = [name for name in right_names if name in left_items]
    shared_at = 0
    next_shared = shared[0] if shared else None
    element = list_type.element
    merged_right: set[str] = set()
    out: list[Any] = []

    def emit(name: str, left_item: Any, right_item: Any) -> None:
        if type(left_item) is dict and values_equal(left_item, right_item):
            out.append(left_item)  # unchanged: keep the live item (comparisons then skip it)
            return
        merged = _merge(left_item, right_item, element, (*path, name))
        if merged is not MISSING:
            out.append(merged)

    li = ri = 0
    n_left, n_right = len(left_names), len(right_names)
    while li < n_left or ri < n_right:
        if li < n_left and ri < n_right:
            name = left_names[li]
            if name == right_names[ri]:
                merged_right.add(name)
                emit(name, left_items[name], right_items[name])
                li += 1
                ri += 1
                shared_at += 1
                next_shared = shared[shared_at] if shared_at < len(shared) else None
                continue
            if name in right_items and next_shared is not None and next_shared != name:
                li += 1  # a shared item, but not the one wanted in this round
                continue
        if li < n_left:
            name = left_names[li]
            if name not in right_items:
                emit(name, left[li], MISSING)
                li += 1
                continue
            if name in merged_right:
                li += 1
                continue
        if ri < n_right:
            name = right_names[ri]
            merged_right.add(name)
            emit(name, left_items.get(name, MISSING), right_items[name])
            ri += 1
            if next_shared is not None and next_shared == name:
                shared_at += 1
                next_shared = shared[shared_at] if shared_at < len(shared) else None
    return out if out else MISSING
