"""A structural check of an object against a CRD's schema node, as the API server does it:
declared fields only (unless unknown fields are preserved), JSON types, required fields."""

from __future__ import annotations

from typing import Any

from fleetops.core.schema import SchemaNode

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
}


def problems(value: Any, node: SchemaNode, path: str = "") -> list[str]:
    """Every place `value` does not fit `node` (empty: accepted as written, nothing pruned)."""
    found: list[str] = []
    _check(value, node, path, found)
    return found


def _check(value: Any, node: SchemaNode, path: str, found: list[str]) -> None:
    if node.int_or_string:
        if not isinstance(value, int | str) or isinstance(value, bool):
            found.append(f"{path}: must be an integer or a string")
        return
    expected = node.type
    if expected is not None:
        wrong_bool = isinstance(value, bool) and expected in ("integer", "number")
        if wrong_bool or not isinstance(value, _TYPES[expected]):
            found.append(f"{path}: must be of type {expected}, not {type(value).__name__}")
            return
    if isinstance(value, dict):
        for name in node.required:
            if name not in value:
                found.append(f"{path}.{name}: required")
        for key, item in value.items():
            child = node.field(key) or node.additional_properties
            if child is None:
                if not node.preserve_unknown_fields and not node.embedded_resource:
                    found.append(f"{path}.{key}: unknown field (would be pruned)")
                continue
            _check(item, child, f"{path}.{key}", found)
    elif isinstance(value, list) and node.items is not None:
        for index, item in enumerate(value):
            _check(item, node.items, f"{path}[{index}]", found)
