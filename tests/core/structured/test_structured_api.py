"""The public surface of fleetops.core.structured (other layers call these names)."""

from __future__ import annotations

from fleetops.core import structured


def test_public_surface_is_pinned() -> None:
    assert sorted(structured.__all__) == sorted(
        [
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
    )
    for name in structured.__all__:
        assert getattr(structured, name) is not None
