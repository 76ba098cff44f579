"""namespace: set metadata.namespace of namespaced objects and the fields that name a namespace."""

from __future__ import annotations

from typing import Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.fieldspec import FieldSpec, apply_field_spec
from fleetops.core.kustomize.resmap import ResMap

_ROLE_BINDINGS = ("RoleBinding", "ClusterRoleBinding")


def set_namespace(
    resources: ResMap,
    namespace: str,
    specs: list[FieldSpec],
    *,
    unset_only: bool = False,
    subjects: str = "defaultOnly",
) -> None:
    if not namespace:
        return

    def setter(value: Any) -> Any:
        if unset_only and isinstance(value, str) and value:
            return value
        return namespace

    for resource in resources:
        if not resource.obj:
            continue
        resource.store_previous_id()
        obj = resource.obj
        gvk = resource.gvk
        remaining = [s for s in specs if s.path != "metadata/namespace"]
        if not gvk.cluster_scoped:
            apply_field_spec(obj, FieldSpec("metadata/namespace", create=True), setter, create_kind="scalar")
        if gvk.kind in _ROLE_BINDINGS:
            remaining = [
                s for s in remaining if not (s.gvk.kind in _ROLE_BINDINGS and s.path.startswith("subjects"))
            ]
            _subjects(obj, namespace, subjects)
        for spec in remaining:
            if (
                spec.path == "metadata/name"
                and (spec.gvk.kind == "Namespace")
                and obj.get("apiVersion") != "v1"
            ):
                continue
            apply_field_spec(obj, spec, setter, create_kind="scalar")
    seen: dict[tuple[object, str, str], object] = {}
    for resource in resources:
        cur = resource.cur_id()
        key = (cur.gvk, cur.name, cur.effective_namespace)
        if key in seen:
            raise KustomizeError(f"namespace transformation produces ID conflict: {cur}")
        seen[key] = resource


def _subjects(obj: dict[str, Any], namespace: str, mode: str) -> None:
    subjects = obj.get("subjects")
    if not isinstance(subjects, list) or mode == "none":
        return
    for subject in subjects:
        if not isinstance(subject, dict):
            continue
        if mode == "allServiceAccounts":
            if subject.get("kind") == "ServiceAccount":
                subject["namespace"] = namespace
        elif subject.get("name") == "default":
            subject["namespace"] = namespace
