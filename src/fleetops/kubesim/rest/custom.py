"""Custom resources: structural-schema defaults and validation (422 causes worded as the API server's)."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from fleetops.core.schema.node import SchemaNode
from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim import errors
from fleetops.kubesim.state import ClusterState

Manifest = dict[str, Any]

_SKIP_ROOT = frozenset({"apiVersion", "kind", "metadata"})


def _node(state: ClusterState, info: ResourceInfo) -> SchemaNode | None:
    return None if info.builtin else state.schema.node_for(info.gvk)


def apply_schema_defaults(state: ClusterState, info: ResourceInfo, obj: Manifest) -> None:
    node = _node(state, info)
    if node is not None:
        _default(obj, node, root=True)


def _default(value: Any, node: SchemaNode, *, root: bool = False) -> None:
    if isinstance(value, dict):
        for name in node.properties:
            if root and name in _SKIP_ROOT:
                continue
            child = node.field(name)
            if child is None:
                continue
            if name not in value and child.has_default:
                value[name] = copy.deepcopy(child.default)
            if name in value:
                _default(value[name], child)
        if not node.properties and node.additional_properties is not None:
            for item in value.values():
                _default(item, node.additional_properties)
    elif isinstance(value, list) and node.items is not None:
        for item in value:
            _default(item, node.items)


def schema_causes(state: ClusterState, info: ResourceInfo, obj: Manifest) -> list[errors.Cause]:
    node = _node(state, info)
    if node is None:
        return []
    causes: list[errors.Cause] = []
    for name in node.properties:
        if name in _SKIP_ROOT or name not in obj:
            continue
        child = node.field(name)
        if child is not None:
            _check(obj[name], child, name, causes)
    for name in node.required:
        if name not in obj and name not in _SKIP_ROOT:
            causes.append(errors.Cause("FieldValueRequired", "Required value", name))
    return causes


def _show(value: Any) -> str:
    return json.dumps(value) if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
}


def _type_ok(value: Any, expected: str) -> bool:
    if isinstance(value, bool) and expected in ("integer", "number"):
        return False
    if expected == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _PYTHON_TYPES.get(expected, (object,)))


def _check(value: Any, node: SchemaNode, path: str, causes: list[errors.Cause]) -> None:
    if value is None:
        if not node.nullable and node.type is not None:
            causes.append(
                errors.Cause(
                    "FieldValueInvalid",
                    f'Invalid value: "null": {path} in body must be of type {node.type}: "null"',
                    path,
                )
            )
        return
    if node.int_or_string or (node.preserve_unknown_fields and node.type is None):
        return
    if node.type is not None and not _type_ok(value, node.type):
        actual = _json_type(value)
        causes.append(
            errors.Cause(
                "FieldValueTypeInvalid",
                f'Invalid value: "{actual}": {path} in body must be of type {node.type}: "{actual}"',
                path,
            )
        )
        return
    enum = node.enum
    if enum is not None and value not in enum:
        supported = ", ".join(_show(item) for item in enum)
        causes.append(
            errors.Cause(
                "FieldValueNotSupported",
                f"Unsupported value: {_show(value)}: supported values: {supported}",
                path,
            )
        )
    _check_bounds(value, node, path, causes)
    if isinstance(value, dict):
        for name in node.required:
            if name not in value:
                causes.append(errors.Cause("FieldValueRequired", "Required value", f"{path}.{name}"))
        for key, item in value.items():
            child = node.field(key) or node.additional_properties
            if child is not None:
                _check(item, child, f"{path}.{key}", causes)
    elif isinstance(value, list) and node.items is not None:
        for index, item in enumerate(value):
            _check(item, node.items, f"{path}[{index}]", causes)


def _check_bounds(value: Any, node: SchemaNode, path: str, causes: list[errors.Cause]) -> None:
    raw = node.raw
    if isinstance(value, int | float) and not isinstance(value, bool):
        minimum, maximum = raw.get("minimum"), raw.get("maximum")
        if isinstance(minimum, int | float) and value < minimum:
            causes.append(
                errors.Cause(
                    "FieldValueInvalid",
                    f"Invalid value: {_show(value)}: {path} in body should be greater than "
                    f"or equal to {minimum}",
                    path,
                )
            )
        if isinstance(maximum, int | float) and value > maximum:
            causes.append(
                errors.Cause(
                    "FieldValueInvalid",
                    f"Invalid value: {_show(value)}: {path} in body should be less than "
                    f"or equal to {maximum}",
                    path,
                )
            )
    if isinstance(value, str):
        max_length = raw.get("maxLength")
        if isinstance(max_length, int) and len(value) > max_length:
            causes.append(
                errors.Cause("FieldValueTooLong", f"Too long: may not be more than {max_length} bytes", path)
            )
        pattern = raw.get("pattern")
        if isinstance(pattern, str) and re.search(pattern, value) is None:
            causes.append(
                errors.Cause(
                    "FieldValueInvalid",
                    f"Invalid value: {_show(value)}: {path} in body should match '{pattern}'",
                    path,
                )
            )


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
