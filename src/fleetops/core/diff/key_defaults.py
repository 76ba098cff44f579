"""Defaults of list-map keys, filled into the applied object as the API server does before merging.

A port written as ``{containerPort: 8080}`` is the item ``k:{"containerPort":8080,"protocol":"TCP"}``
to the API server: the key field's default (``protocol: TCP`` for container and Service ports)
completes the key. The OpenAPI definitions the schema is built from do not publish these
defaults, so the known ones are added here (from `core.structured.openapi.KNOWN_KEY_DEFAULTS`, the
table the structured merge uses too; a CRD's published key default is used as well);
without them the applied item would not match its defaulted live item.
"""

from __future__ import annotations

from typing import Any

from fleetops.core.schema import SchemaNode
from fleetops.core.structured.openapi import KNOWN_KEY_DEFAULTS

__all__ = ["KNOWN_KEY_DEFAULTS", "with_key_defaults"]


def with_key_defaults(value: Any, node: SchemaNode | None) -> Any:
    """``value`` with omitted list-map key fields set to their defaults (copied only where changed)."""
    if node is None:
        return value
    if isinstance(value, dict):
        changed: dict[str, Any] | None = None
        for name, item in value.items():
            child = node.field(name) or node.additional_properties
            if child is None or not isinstance(item, dict | list):
                continue
            new = with_key_defaults(item, child)
            if new is not item:
                changed = changed if changed is not None else dict(value)
                changed[name] = new
        return changed if changed is not None else value
    if isinstance(value, list):
        items = node.items
        if items is None:
            return value
        defaults = _key_defaults(node, items)
        result = []
        for item in value:
            new = with_key_defaults(item, items)
            if defaults and isinstance(new, dict) and any(key not in new for key in defaults):
                new = {**{k: v for k, v in defaults.items() if k not in new}, **new}
            result.append(new)
        return result if any(a is not b for a, b in zip(result, value, strict=True)) else value
    return value


def _key_defaults(node: SchemaNode, items: SchemaNode) -> dict[str, Any]:
    if node.list_type != "map":
        return {}
    defaults: dict[str, Any] = {}
    for key in node.list_map_keys:
        field = items.field(key)
        if field is not None and field.has_default:
            defaults[key] = field.default
        elif key in KNOWN_KEY_DEFAULTS and len(node.list_map_keys) > 1:
            defaults[key] = KNOWN_KEY_DEFAULTS[key]
    return defaults
