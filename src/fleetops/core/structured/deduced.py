"""The deduced type (upstream's ``DeducedParseableType``): for objects without a schema.

Maps are separable at every level, lists are atomic, scalars are untyped, any field is accepted.
"""

from __future__ import annotations

from fleetops.core.structured.smd_schema import parse_schema
from fleetops.core.structured.types import TypeRef

__all__ = ["DEDUCED", "DEDUCED_SCHEMA_YAML"]

DEDUCED_SCHEMA_YAML = """\
types:
- name: __untyped_atomic_
  scalar: untyped
  list:
    elementType:
      namedType: __untyped_atomic_
    elementRelationship: atomic
  map:
    elementType:
      namedType: __untyped_atomic_
    elementRelationship: atomic
- name: __untyped_deduced_
  scalar: untyped
  list:
    elementType:
      namedType: __untyped_atomic_
    elementRelationship: atomic
  map:
    elementType:
      namedType: __untyped_deduced_
    elementRelationship: separable
"""

DEDUCED: TypeRef = parse_schema(DEDUCED_SCHEMA_YAML).type("__untyped_deduced_")
