"""Structured merge for server-side apply: schemas, field sets, apply/update with ownership."""

from fleetops.core.structured.deduced import DEDUCED
from fleetops.core.structured.fieldset import FieldSet, FieldsV1Error
from fleetops.core.structured.managed_fields import decode_managed_fields, encode_managed_fields
from fleetops.core.structured.managers import Conflict, ConflictError, ManagedFields, VersionedSet
from fleetops.core.structured.openapi import from_schema_node
from fleetops.core.structured.server_side_apply import ApplyResult, apply, update
from fleetops.core.structured.smd_schema import NamedTypes, parse_schema
from fleetops.core.structured.tofieldset import to_field_set, validate
from fleetops.core.structured.types import Atom, ListType, MapType, SchemaError, TypeRef
from fleetops.core.structured.updater import (
    Converter,
    IdentityConverter,
    MissingVersionError,
    Typed,
    Updater,
)
from fleetops.core.structured.values import StructuredMergeError, values_equal

__all__ = [
    "DEDUCED",
    "ApplyResult",
    "Atom",
    "Conflict",
    "ConflictError",
    "Converter",
    "FieldSet",
    "FieldsV1Error",
    "IdentityConverter",
    "ListType",
    "ManagedFields",
    "MapType",
    "MissingVersionError",
    "NamedTypes",
    "SchemaError",
    "StructuredMergeError",
    "TypeRef",
    "Typed",
    "Updater",
    "VersionedSet",
    "apply",
    "decode_managed_fields",
    "encode_managed_fields",
    "from_schema_node",
    "parse_schema",
    "to_field_set",
    "update",
    "validate",
    "values_equal",
]
