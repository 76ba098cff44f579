"""replicas: set the replica count of the named workloads."""

from __future__ import annotations

from typing import Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.fieldspec import FieldSpec, apply_field_spec
from fleetops.core.kustomize.resmap import ResMap


def set_replicas(resources: ResMap, replica: dict[str, Any], specs: list[FieldSpec]) -> None:
    name = str(replica.get("name") or "")
    count = replica.get("count")
    if not isinstance(count, int) or isinstance(count, bool):
        raise KustomizeError(f"replica count for '{name}' must be an integer")
    found = False
    for spec in specs:
        for resource in resources:
            if any(i.name == name and i.gvk.selected_by(spec.gvk) for i in resource.all_ids()):
                found = True
                apply_field_spec(resource.obj, spec, lambda _value: count, create_kind="scalar")
    if not found:
        gvks = " ".join(str(spec.gvk) for spec in specs)
        raise KustomizeError(
            f"resource with name {name} does not match a config with the following GVK [{gvks}]"
        )
