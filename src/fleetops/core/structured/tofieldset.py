"""The set of fields a value sets (upstream's ``TypedValue.ToFieldSet``), validating as it goes.

Scalars, atomic lists and atomic maps are members; a map field is a member when its value is
null or an empty map, or when the field is not declared in the schema (an ``element`` field);
list items are members. Duplicate list items (allowed only with ``allow_duplicates``) are owned
as whole items.
"""

from __future__ import annotations

from typing import Any

from fleetops.core.structured import pathelements
from fleetops.core.structured.fieldset import FieldSet, FieldSetBuilder
from fleetops.core.structured.pathelements import Path
from fleetops.core.structured.types import SEPARABLE, Atom, ListType, MapType, TypeRef
from fleetops.core.structured.values import StructuredMergeError, item_element, scalar_fits

__all__ = ["to_field_set", "validate"]


def to_field_set(value: Any, type_ref: TypeRef, *, allow_duplicates: bool = True) -> FieldSet:
    """The fields ``value`` sets; raises StructuredMergeError when it does not fit the schema."""
    root = FieldSetBuilder()
    _walk(value, type_ref, root, None, path=(), allow_duplicates=allow_duplicates)
    return root.build()


def validate(value: Any, type_ref: TypeRef, *, allow_duplicates: bool = False) -> None:
    to_field_set(value, type_ref, allow_duplicates=allow_duplicates)


def _walk(
    value: Any,
    type_ref: TypeRef,
    parent: FieldSetBuilder,
    element: str | None,
    *,
    path: Path,
    allow_duplicates: bool,
) -> None:
    atom = type_ref.atom.deduce(value)
    if atom.map is not None and (value is None or isinstance(value, dict) or _only_map(atom)):
        _map(value, atom.map, parent, element, path=path, allow_duplicates=allow_duplicates)
    elif atom.scalar is not None and (atom.list is None or not isinstance(value, list)):
        if not scalar_fits(atom.scalar, value):
            raise StructuredMergeError(f"expected {atom.scalar}, got {value!r}", path)
        if element is not None:
            parent.members.add(element)
    elif atom.list is not None:
        _list(value, atom.list, parent, element, path=path, allow_duplicates=allow_duplicates)
    else:
        raise StructuredMergeError(f"value {value!r} does not fit the schema", path)


def _only_map(atom: Atom) -> bool:
    return atom.scalar is None and atom.list is None


def _list(
    value: Any,
    list_type: ListType,
    parent: FieldSetBuilder,
    element: str | None,
    *,
    path: Path,
    allow_duplicates: bool,
) -> None:
    if value is not None and not isinstance(value, list):
        raise StructuredMergeError(f"expected list, got {value!r}", path)
    if list_type.atomic:
        if element is not None:
            parent.members.add(element)
        if value:
            for position, item in enumerate(value):
                _check(item, list_type.element, (*path, pathelements.index(position)))
        return
    if not value:
        return
    node = parent if element is None else parent.child(element)
    names = [item_element(list_type, position, item, path) for position, item in enumerate(value)]
    seen: set[str] = set()
    duplicated: set[str] = set()
    for name in names:
        if name in seen:
            if not allow_duplicates:
                raise StructuredMergeError(f"duplicate entries for key {name}", path)
            duplicated.add(name)
        seen.add(name)
    for name, item in zip(names, value, strict=True):
        if name in duplicated:
            _check(item, list_type.element, (*path, name))
            node.members.add(name)
            continue
        _walk(item, list_type.element, node, name, path=(*path, name), allow_duplicates=allow_duplicates)
        node.members.add(name)


def _map(
    value: Any,
    map_type: MapType,
    parent: FieldSetBuilder,
    element: str | None,
    *,
    path: Path,
    allow_duplicates: bool,
) -> None:
    if value is not None and not isinstance(value, dict):
        raise StructuredMergeError(f"expected map, got {value!r}", path)
    if map_type.atomic:
        if element is not None:
            parent.members.add(element)
        if value:
            _check(value, TypeRef.of(_as_separable(map_type)), path)
        return
    if not value:
        return
    node = parent if element is None else parent.child(element)
    fields = map_type.fields
    for name, item in value.items():
        child = pathelements.field(name)
        declared = fields.get(name)
        field_type = declared if declared is not None else map_type.element
        if field_type is None:
            raise StructuredMergeError("field not declared in schema", (*path, child))
        _walk(item, field_type, node, child, path=(*path, child), allow_duplicates=allow_duplicates)
        if declared is None or item is None or (isinstance(item, dict) and not item):
            node.members.add(child)


def _as_separable(map_type: MapType) -> Atom:
    return Atom(map=MapType(map_type.fields, map_type.element, SEPARABLE, map_type.defaults))


def _check(value: Any, type_ref: TypeRef, path: Path) -> None:
    """Validate the inside of an atomic value (its fields are not owned separately)."""
    _walk(value, type_ref, FieldSetBuilder(), None, path=path, allow_duplicates=True)
