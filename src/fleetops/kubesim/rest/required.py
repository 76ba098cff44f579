"""Required fields of built-in kinds (from the schema's `required` lists): 422 `Required value`.

Only the desired state is checked (not `metadata`, which the server fills, nor `status`, which
controllers write piecemeal), as the API server's validation does for the fields it requires.
"""

from __future__ import annotations

from typing import Any

from fleetops.core.schema.node import SchemaNode
from fleetops.kubesim import errors

_SKIP_ROOT = frozenset({"metadata", "status", "apiVersion", "kind"})
# Listed as required by the OpenAPI definitions but optional in the API server's validation.
_OPTIONAL = frozenset({"spec.serviceName"})


def missing_required(obj: dict[str, Any], node: SchemaNode | None) -> list[errors.Cause]:
    causes: list[errors.Cause] = []
    if node is not None:
        _walk(obj, node, "", causes, root=True)
    return causes


def _walk(value: Any, node: SchemaNode, path: str, causes: list[errors.Cause], *, root: bool = False) -> None:
    if isinstance(value, dict):
        if node.properties:
            for name in node.required:
                field_path = f"{path}.{name}".lstrip(".")
                if name not in value and not (root and name in _SKIP_ROOT) and field_path not in _OPTIONAL:
                    causes.append(
                        errors.Cause("FieldValueRequired", "Required value", f"{path}.{name}".lstrip("."))
                    )
            for key, item in value.items():
                if root and key in _SKIP_ROOT:
                    continue
                child = node.field(key)
                if child is not None:
                    _walk(item, child, f"{path}.{key}".lstrip("."), causes)
        elif node.additional_properties is not None:
            for key, item in value.items():
                _walk(item, node.additional_properties, f"{path}.{key}".lstrip("."), causes)
    elif isinstance(value, list) and node.items is not None:
        for index, item in enumerate(value):
            _walk(item, node.items, f"{path}[{index}]", causes)
