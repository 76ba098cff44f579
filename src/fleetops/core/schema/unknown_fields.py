"""Fields the schema does not declare: what the API server refuses with `fieldValidation=Strict`
and drops with `Ignore` (kubesim's writes; the engine's diff, which compares what the server
would store).

Paths are printed as the API server's strict decoder prints them: `spec.template.spec.containers[0].foo`.
"""

from __future__ import annotations

from typing import Any

from fleetops.core.schema.node import SchemaNode


def prune_unknown(value: Any, node: SchemaNode | None, path: str = "") -> tuple[Any, list[str]]:
    """A copy of `value` without undeclared fields, and the paths of the fields removed."""
    found: list[str] = []
    return _prune(value, node, path, found), found


def _is_open(node: SchemaNode) -> bool:
    if node.preserve_unknown_fields or node.int_or_string or node.embedded_resource:
        return True
    return node.type is None and not node.properties and node.items is None


def _prune(value: Any, node: SchemaNode | None, path: str, found: list[str]) -> Any:
    if node is None or _is_open(node):
        return value
    if isinstance(value, dict):
        if node.properties:
            out: dict[str, Any] = {}
            for key, item in value.items():
                child = node.field(key)
                child_path = f"{path}.{key}" if path else key
                if child is None and node.additional_properties is None:
                    found.append(child_path)
                    continue
                out[key] = _prune(item, child or node.additional_properties, child_path, found)
            return out
        if node.additional_properties is not None:
            return {
                key: _prune(item, node.additional_properties, f"{path}.{key}" if path else key, found)
                for key, item in value.items()
            }
        return value
    if isinstance(value, list) and node.items is not None:
        return [_prune(item, node.items, f"{path}[{index}]", found) for index, item in enumerate(value)]
    return value
