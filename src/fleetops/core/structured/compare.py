"""Comparing two values of a type (upstream's ``TypedValue.Compare``).

The result names the paths removed, modified and added from ``lhs`` to ``rhs``. Leaves (scalars,
atomic and empty lists/maps) are compared by value; a map field or list item that appears or
disappears is added/removed together with everything below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fleetops.core.structured import pathelements
from fleetops.core.structured.fieldset import FieldSet, FieldSetBuilder
from fleetops.core.structured.forms import pair_atom
from fleetops.core.structured.pathelements import Path
from fleetops.core.structured.tofieldset import to_field_set
from fleetops.core.structured.types import ListType, MapType, TypeRef
from fleetops.core.structured.values import MISSING, StructuredMergeError, item_element, values_equal

__all__ = ["Comparison", "compare"]


@dataclass(frozen=True, slots=True)
class Comparison:
    removed: FieldSet
    modified: FieldSet
    added: FieldSet

    @property
    def empty(self) -> bool:
        return self.removed.empty and self.modified.empty and self.added.empty

    def exclude(self, ignored: FieldSet | None) -> Comparison:
        """Without the ignored paths and everything below them."""
        if ignored is None or ignored.empty:
            return self
        return Comparison(
            self.removed.recursive_difference(ignored),
            self.modified.recursive_difference(ignored),
            self.added.recursive_difference(ignored),
        )


class _Collector:
    __slots__ = ("added", "modified", "removed")

    def __init__(self) -> None:
        self.removed = FieldSetBuilder()
        self.modified = FieldSetBuilder()
        self.added = FieldSetBuilder()


def compare(lhs: Any, rhs: Any, type_ref: TypeRef) -> Comparison:
    collector = _Collector()
    _compare(lhs, rhs, type_ref, (), collector)
    return Comparison(collector.removed.build(), collector.modified.build(), collector.added.build())


def _leaf(lhs: Any, rhs: Any, path: Path, out: _Collector) -> None:
    if lhs is MISSING:
        out.added.insert(path)
    elif rhs is MISSING:
        out.removed.insert(path)
    elif not values_equal(lhs, rhs):
        out.modified.insert(path)


def _node(lhs: Any, rhs: Any, path: Path, out: _Collector) -> None:
    if lhs is MISSING:
        out.added.insert(path)
    elif rhs is MISSING:
        out.removed.insert(path)


def _compare(lhs: Any, rhs: Any, type_ref: TypeRef, path: Path, out: _Collector) -> None:
    if lhs is rhs:
        return
    atom = pair_atom(type_ref.atom, lhs, rhs)
    if atom.map is not None:
        _compare_map(lhs, rhs, atom.map, path, out)
    elif atom.scalar is not None:
        _leaf(lhs, rhs, path, out)
    else:
        assert atom.list is not None
        _compare_list(lhs, rhs, atom.list, path, out)


def _compare_map(lhs: Any, rhs: Any, map_type: MapType, path: Path, out: _Collector) -> None:
    left = lhs if isinstance(lhs, dict) else None
    right = rhs if isinstance(rhs, dict) else None
    if map_type.atomic or (not left and not right):
        _leaf(lhs, rhs, path, out)
        return
    fields = map_type.fields
    for name in _union(left, right):
        field_type = fields.get(name) or map_type.element
        element = pathelements.field(name)
        if field_type is None:
            raise StructuredMergeError("field not declared in schema", (*path, element))
        left_value = left.get(name, MISSING) if left else MISSING
        right_value = right.get(name, MISSING) if right else MISSING
        _compare(left_value, right_value, field_type, (*path, element), out)
    _node(lhs, rhs, path, out)


def _union(left: dict[str, Any] | None, right: dict[str, Any] | None) -> list[str]:
    if not right:
        return list(left or ())
    if not left:
        return list(right)
    return [*left, *(k for k in right if k not in left)]


def _index(list_type: ListType, items: list[Any] | None, path: Path) -> dict[str, list[Any]]:
    observed: dict[str, list[Any]] = {}
    for position, item in enumerate(items or ()):
        name = item_element(list_type, position, item, path)
        occurrences = observed.get(name)
        if occurrences is None:
            observed[name] = [item]
        else:
            occurrences.append(item)
    return observed


def _compare_list(lhs: Any, rhs: Any, list_type: ListType, path: Path, out: _Collector) -> None:
    left = lhs if isinstance(lhs, list) else None
    right = rhs if isinstance(rhs, list) else None
    if list_type.atomic or (not left and not right):
        _leaf(lhs, rhs, path, out)
        return
    left_items = _index(list_type, left, path)
    right_items = _index(list_type, right, path)
    element = list_type.element
    for name in _union(left_items, right_items):
        left_occurrences = left_items.get(name)
        right_occurrences = right_items.get(name)
        item_path = (*path, name)
        if (left_occurrences is not None and len(left_occurrences) > 1) or (
            right_occurrences is not None and len(right_occurrences) > 1
        ):
            _duplicated(left_occurrences, right_occurrences, element, item_path, out)
            continue
        _compare(
            left_occurrences[0] if left_occurrences else MISSING,
            right_occurrences[0] if right_occurrences else MISSING,
            element,
            item_path,
            out,
        )
    _node(lhs, rhs, path, out)


def _duplicated(
    left: list[Any] | None, right: list[Any] | None, element: TypeRef, path: Path, out: _Collector
) -> None:
    """An item duplicated on a side is compared as a whole; the single side's fields go or come."""
    _leaf(MISSING if left is None else left, MISSING if right is None else right, path, out)
    if left is not None and len(left) == 1:
        _insert_below(out.removed, path, to_field_set(left[0], element))
    if right is not None and len(right) == 1:
        _insert_below(out.added, path, to_field_set(right[0], element))


def _insert_below(builder: FieldSetBuilder, path: Path, items: FieldSet) -> None:
    for sub in items.paths():
        builder.insert((*path, *sub))
