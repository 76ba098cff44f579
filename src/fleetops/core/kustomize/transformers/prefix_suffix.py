"""namePrefix / nameSuffix: change names (and remember the old id for name references)."""

from __future__ import annotations

from typing import Any

from fleetops.core.kustomize.fieldspec import KEEP, FieldSpec, apply_field_spec
from fleetops.core.kustomize.resid import Gvk
from fleetops.core.kustomize.resmap import ResMap

_SKIPPED = (
    Gvk(kind="CustomResourceDefinition"),
    Gvk("apiregistration.k8s.io", "", "APIService"),
    Gvk(kind="Namespace"),
)


def add_prefix(resources: ResMap, prefix: str, specs: list[FieldSpec]) -> None:
    _rename(resources, prefix, "", specs)


def add_suffix(resources: ResMap, suffix: str, specs: list[FieldSpec]) -> None:
    _rename(resources, "", suffix, specs)


def add_prefix_suffix(resources: ResMap, prefix: str, suffix: str, specs: list[FieldSpec]) -> None:
    """The PrefixSuffixTransformer plugin: both at once."""
    _rename(resources, prefix, suffix, specs)


def _rename(resources: ResMap, prefix: str, suffix: str, specs: list[FieldSpec]) -> None:
    def setter(value: Any) -> Any:
        if not isinstance(value, str):
            return KEEP
        return f"{prefix}{value}{suffix}"

    for resource in resources:
        org_gvk = resource.org_id().gvk
        if any(org_gvk.selected_by(skip) for skip in _SKIPPED):
            continue
        for spec in specs:
            if not org_gvk.selected_by(spec.gvk):
                continue
            if spec.path == "metadata/name":
                if prefix:
                    resource.prefixes.append(prefix)
                if suffix:
                    resource.suffixes.append(suffix)
                if prefix or suffix:
                    resource.store_previous_id()
            apply_field_spec(resource.obj, spec, setter)
