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

    def setter(value: Any) -> Any:
        if value is MISSING or value is None:
            value = {}
        if not isinstance(value, dict):
            raise KustomizeError("expected a mapping node")
        value.update(values)
        return value

    for resource in resources:
        for spec in specs:
            apply_field_spec(resource.obj, spec, setter, create_kind="map")


def _as_string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
