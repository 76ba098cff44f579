"""Making named (struct) fields members of a set (upstream's ``EnsureNamedFieldsAreMembers``).

A set built from a value names a declared map field only through its children. Pruning needs
the field itself, so that a field whose children are all removed goes too.
"""

from __future__ import annotations

from fleetops.core.structured.fieldset import FieldSet
from fleetops.core.structured.types import TypeRef

__all__ = ["with_named_fields"]


def with_named_fields(items: FieldSet, type_ref: TypeRef | None) -> FieldSet:
    if not items.children:
        return items
    atom = type_ref.atom if type_ref is not None else None
    map_type = atom.map if atom is not None else None
    list_type = atom.list if atom is not None else None
    members = set(items.members)
    children: dict[str, FieldSet] = {}
    for element, below in items.children.items():
        child_type: TypeRef | None = None
        if element[0] == "f" and map_type is not None:
            name = element[2:]
            declared = map_type.fields.get(name)
            if declared is not None:
                members.add(element)
                child_type = declared
            else:
                child_type = map_type.element
        elif element[0] == "k" and list_type is not None:
            child_type = list_type.element
        children[element] = with_named_fields(below, child_type)
    return FieldSet(members, children)
