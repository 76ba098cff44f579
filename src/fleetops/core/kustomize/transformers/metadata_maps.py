"""commonLabels / labels / commonAnnotations: set keys in label and annotation maps."""

from __future__ import annotations

from typing import Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.fieldspec import MISSING, FieldSpec, apply_field_spec
from fleetops.core.kustomize.resmap import ResMap


def set_map_entries(resources: ResMap, entries: dict[str, Any], specs: list[FieldSpec]) -> None:
    """Set every key of `entries` in the maps `specs` name (creating them where allowed)."""
    if not entries:
        return
    values = {str(k): _as_string(v) for k, v in entries.items()}

    shared = {key: text for key, text in values.items() if "$(" in text}

    for resource in resources:
        touched: dict[int, dict[str, Any]] = {}
        added: dict[int, list[str]] = {}

        def setter(
            value: Any, touched: dict[int, dict[str, Any]] = touched, added: dict[int, list[str]] = added
        ) -> Any:
            if value is MISSING or value is None:
                value = {}
            if not isinstance(value, dict):
                raise KustomizeError("expected a mapping node")
            added.setdefault(id(value), []).extend(k for k in shared if k not in value)
            value.update(values)
            touched[id(value)] = value
            return value

        for spec in specs:
            apply_field_spec(resource.obj, spec, setter, create_kind="map")
        if shared:
            # kustomize adds one shared YAML node per key to the maps that lacked the key (where
            # the key was already set, the existing node is overwritten with a copy): a var later
            # substituted in the object's metadata shows through every shared copy of it (see
            # vars.resolve_vars), and a replacement written into one of them too
            for path, node_id in _paths_of(resource.obj, touched):
                resource.shared_values.extend((path, key, shared[key]) for key in added.get(node_id, ()))


def _paths_of(
    node: Any, wanted: dict[int, dict[str, Any]], path: tuple[Any, ...] = ()
) -> list[tuple[tuple[Any, ...], int]]:
    found: list[tuple[tuple[Any, ...], int]] = []
    if isinstance(node, dict):
        if id(node) in wanted:
            found.append((path, id(node)))
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                found.extend(_paths_of(value, wanted, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, (dict, list)):
                found.extend(_paths_of(value, wanted, (*path, index)))
    return found


def _as_string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
