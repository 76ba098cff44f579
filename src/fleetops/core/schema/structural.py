"""Checks that a CRD's `openAPIV3Schema` is a structural schema fleetops can use.

The rules are those of the Kubernetes documentation ("Specifying a structural schema" and the
`x-kubernetes-*` extensions): every node has a type, unless it is `x-kubernetes-int-or-string`
or `x-kubernetes-preserve-unknown-fields`; arrays have `items`; `properties` and
`additionalProperties` exclude each other; no `$ref`; the list/map extensions take their documented
values and `x-kubernetes-list-map-keys` name fields of the items. Value validations under
`anyOf`/`allOf`/`oneOf`/`not` are not descended into: they do not shape the object.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.schema.errors import InvalidCustomResourceDefinitionError

_TYPES = frozenset({"object", "array", "string", "integer", "number", "boolean"})
_SCALARS = frozenset({"string", "integer", "number", "boolean"})
_BOOLEAN_EXTENSIONS = (
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-int-or-string",
    "x-kubernetes-embedded-resource",
)


def _fail(path: str, message: str) -> InvalidCustomResourceDefinitionError:
    return InvalidCustomResourceDefinitionError(path, message)


def check_structural(schema: object, path: str, *, root: bool = True) -> None:
    """Raise `InvalidCustomResourceDefinitionError` naming the first offending path."""
    if not isinstance(schema, Mapping):
        raise _fail(path, "must be a schema object")
    if "$ref" in schema:
        raise _fail(f"{path}.$ref", "$ref is not allowed in a structural schema")
    for key in _BOOLEAN_EXTENSIONS:
        if key in schema and not isinstance(schema[key], bool):
            raise _fail(f"{path}.{key}", "must be a boolean")
    schema_type = _check_type(schema, path, root=root)
    _check_children(schema, path, schema_type)
    _check_list_extensions(schema, path, schema_type)
    _check_value_keywords(schema, path)


def _check_type(schema: Mapping[str, Any], path: str, *, root: bool) -> str | None:
    schema_type = schema.get("type")
    if schema_type is None:
        if root:
            raise _fail(f"{path}.type", "the root of a custom resource schema must have type object")
        untyped_allowed = schema.get("x-kubernetes-int-or-string") is True or (
            schema.get("x-kubernetes-preserve-unknown-fields") is True
        )
        if not untyped_allowed:
            raise _fail(f"{path}.type", "must be specified (structural schema)")
        return None
    if not isinstance(schema_type, str) or schema_type not in _TYPES:
        raise _fail(f"{path}.type", f"unsupported type {schema_type!r}; expected one of {sorted(_TYPES)}")
    if root and schema_type != "object":
        raise _fail(f"{path}.type", "the root of a custom resource schema must have type object")
    if schema.get("x-kubernetes-embedded-resource") is True and schema_type != "object":
        raise _fail(f"{path}.type", "x-kubernetes-embedded-resource requires type object")
    if schema.get("x-kubernetes-int-or-string") is True and schema_type is not None:
        raise _fail(f"{path}.type", "must be empty for x-kubernetes-int-or-string")
    return schema_type


def _check_children(schema: Mapping[str, Any], path: str, schema_type: str | None) -> None:
    properties = schema.get("properties")
    additional = schema.get("additionalProperties")
    if properties is not None:
        if not isinstance(properties, Mapping):
            raise _fail(f"{path}.properties", "must be a map of field names to schemas")
        if schema_type not in ("object", None):
            raise _fail(f"{path}.properties", f"not allowed for type {schema_type}")
        for name, child in properties.items():
            check_structural(child, f"{path}.properties.{name}", root=False)
    if additional is not None and not isinstance(additional, bool):
        if properties is not None:
            raise _fail(f"{path}.additionalProperties", "properties and additionalProperties are exclusive")
        check_structural(additional, f"{path}.additionalProperties", root=False)
    items = schema.get("items")
    if schema_type == "array" and items is None:
        raise _fail(f"{path}.items", "must be specified for type array")
    if items is not None:
        if schema_type != "array":
            raise _fail(f"{path}.items", "only allowed for type array")
        check_structural(items, f"{path}.items", root=False)


def _check_list_extensions(schema: Mapping[str, Any], path: str, schema_type: str | None) -> None:
    list_type = schema.get("x-kubernetes-list-type")
    map_keys = schema.get("x-kubernetes-list-map-keys")
    map_type = schema.get("x-kubernetes-map-type")
    if list_type is not None:
        if list_type not in ("atomic", "set", "map"):
            raise _fail(f"{path}.x-kubernetes-list-type", f"unsupported value {list_type!r}")
        if schema_type != "array":
            raise _fail(f"{path}.x-kubernetes-list-type", "only allowed for type array")
    if map_type is not None:
        if map_type not in ("atomic", "granular"):
            raise _fail(f"{path}.x-kubernetes-map-type", f"unsupported value {map_type!r}")
        if schema_type != "object":
            raise _fail(f"{path}.x-kubernetes-map-type", "only allowed for type object")
    if list_type == "map":
        _check_map_keys(schema, path, map_keys)
    elif map_keys is not None:
        raise _fail(f"{path}.x-kubernetes-list-map-keys", "requires x-kubernetes-list-type: map")
    if list_type == "set":
        items = schema["items"]
        if items.get("type") == "object" and items.get("x-kubernetes-map-type") != "atomic":
            raise _fail(f"{path}.items", "a list of type set may only hold scalars or atomic maps")


def _check_map_keys(schema: Mapping[str, Any], path: str, map_keys: object) -> None:
    key_path = f"{path}.x-kubernetes-list-map-keys"
    if not isinstance(map_keys, list) or not map_keys or not all(isinstance(key, str) for key in map_keys):
        raise _fail(key_path, "must be a non-empty list of field names when x-kubernetes-list-type is map")
    items = schema["items"]
    if items.get("type") != "object":
        raise _fail(f"{path}.items.type", "the items of a list of type map must be objects")
    declared = items.get("properties") or {}
    for key in map_keys:
        if key not in declared:
            raise _fail(key_path, f"key {key!r} is not a property of the items")
        if declared[key].get("type") not in _SCALARS:
            raise _fail(f"{path}.items.properties.{key}.type", "a list map key must be a scalar")


def _check_value_keywords(schema: Mapping[str, Any], path: str) -> None:
    required = schema.get("required")
    if required is not None and not (
        isinstance(required, list) and all(isinstance(name, str) for name in required)
    ):
        raise _fail(f"{path}.required", "must be a list of field names")
    enum = schema.get("enum")
    if enum is not None and not isinstance(enum, list):
        raise _fail(f"{path}.enum", "must be a list")
