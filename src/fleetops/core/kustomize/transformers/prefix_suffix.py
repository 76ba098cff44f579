"""namePrefix / nameSuffix: change names (and remember the old id for name references)."""

from __future__ import annotations

from typing import Any

from fleetops.core.kustomize.fieldspec import KEEP, FieldSpec, apply_field_spec
from fleetops.core.kustomize.resid import Gvk
from fleetops.core.kustomize.resmap import ResMap

_SKIPPED = (Gvk(kind="CustomResourceDefinition"), Gvk("apiregistration.k8s.io", "", "APIService"),
            Gvk(kind="Namespace"))


def add_prefix_suffix(resources: ResMap, prefix: str, suffix: str, specs: list[FieldSpec]) -> None:
    for resource in resources:
        org_gvk = resource.org_id().gvk
        if any(org_gvk.selected_by(skip) for skip in _SKIPPED):
            continue
        for spec in specs:
            if not org_gvk.selected_by(spec.gvk):
                continue
            if spec.path == "metadata/name":
                resource.prefixes.append(prefix)
                resource.suffixes.append(suffix)
                if prefix or suffix:
                    resource.store_previous_id()

            def setter(value: Any) -> Any:
                if not isinstance(value, str) or value == "":
                    return KEEP if not isinstance(value, str) else f"{prefix}{value}{suffix}"
                return f"{prefix}{value}{suffix}"

            apply_field_spec(resource.obj, spec, setter)
