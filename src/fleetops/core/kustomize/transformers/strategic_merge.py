"""Apply one strategic merge patch to selected resources, as kustomize's ApplySmPatch does."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.openapi import CustomSchema
from fleetops.core.kustomize.resmap import ResMap
from fleetops.core.kustomize.resource import Resource
from fleetops.core.kustomize.smp_schema import SCHEMA_VERSION, merge_definitions
from fleetops.core.yamlio.reader import deep_copy

if TYPE_CHECKING:
    from fleetops.core.schema import SchemaNode

__all__ = ["SCHEMA_VERSION", "apply_patch_to", "kyaml_list_order", "schema_node"]

# kustomize merges with its built-in Kubernetes 1.21 schema; 1.25 is the oldest schema we ship
# (precompiled in smp_schema).
#
# Where the two differ: kinds of group versions removed between 1.21 and 1.25 (batch/v1beta1
# CronJob, networking.k8s.io/v1beta1 and extensions/v1beta1 Ingress, rbac/.../v1beta1, policy/v1beta1
# PodDisruptionBudget, autoscaling/v2beta1 ...) use their successor's metadata, as listed below;
# fields added in 1.22-1.25 carry merge metadata here that kustomize lacks (it replaces such lists);
# kinds added after 1.21 (e.g. autoscaling/v2 HorizontalPodAutoscaler) are known here, not to
# kustomize — none of their lists has a merge key, so the results agree.


# Group versions kustomize's Kubernetes 1.21 schema knows but 1.25 removed: their kinds merge
# with the metadata of the version that replaced them. (Versions removed before 1.21, such as
# extensions/v1beta1 Deployment, have no metadata in kustomize either: lists are replaced.)
_SUCCESSORS: dict[tuple[str, str], tuple[str, str]] = {
    ("batch", "v1beta1"): ("batch", "v1"),
    ("networking.k8s.io", "v1beta1"): ("networking.k8s.io", "v1"),
    ("policy", "v1beta1"): ("policy", "v1"),
    ("autoscaling", "v2beta1"): ("autoscaling", "v2"),
    **{
        (group, "v1beta1"): (group, "v1")
        for group in (
            "rbac.authorization.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io",
            "apiregistration.k8s.io", "certificates.k8s.io", "coordination.k8s.io", "scheduling.k8s.io",
            "storage.k8s.io", "discovery.k8s.io", "events.k8s.io", "node.k8s.io", "authentication.k8s.io",
            "authorization.k8s.io",
        )
    },
}  # fmt: skip
_EXTENSIONS_KINDS_IN_1_21 = {"Ingress": ("networking.k8s.io", "v1")}
_ONLY_KINDS = {
    ("batch", "v1beta1"): {"CronJob"},
    ("policy", "v1beta1"): {"PodDisruptionBudget"},
    ("autoscaling", "v2beta1"): {"HorizontalPodAutoscaler"},
    ("networking.k8s.io", "v1beta1"): {"Ingress", "IngressClass"},
}


def schema_node(obj: dict[str, Any], custom: CustomSchema | None = None) -> SchemaNode | None:
    if custom is not None:
        # kustomize's custom schema replaces the built-in one for kinds (its $refs may still
        # name built-in definitions)
        return custom.node_for(obj)
    api_version = str(obj.get("apiVersion") or "")
    group, _, version = api_version.rpartition("/")
    kind = str(obj.get("kind") or "")
    schema = merge_definitions()
    if schema.is_builtin(group, version, kind):
        return schema.node_for(group, version, kind)
    successor = _SUCCESSORS.get((group, version))
    if (group, version) in _ONLY_KINDS and kind not in _ONLY_KINDS[group, version]:
        successor = None
    if group == "extensions" and version == "v1beta1":
        successor = _EXTENSIONS_KINDS_IN_1_21.get(kind)
    if successor is None:
        return None
    return schema.node_for(successor[0], successor[1], kind)


def _is_delete(patch: dict[str, Any]) -> bool:
    return str(patch.get("$patch") or "").lower() == "delete"


def apply_patch_to(resources: ResMap, targets: list[Resource], patch: Resource) -> None:
    from fleetops.core.patch import PatchError, apply_strategic_merge_patch_node  # noqa: PLC0415

    selected = {id(t) for t in targets}
    allow_name = bool(getattr(patch, "allow_name_change", False))
    allow_kind = bool(getattr(patch, "allow_kind_change", False))
    for resource in list(resources):
        if id(resource) not in selected:
            continue
        body = deep_copy(patch.obj)
        body["apiVersion"] = resource.obj.get("apiVersion")
        if _is_delete(body):
            resources.remove(resource)
            continue
        name, namespace, kind = resource.name, resource.namespace, resource.kind
        if allow_name or allow_kind:
            resource.store_previous_id()
        node = schema_node(resource.obj, resources.openapi)
        try:
            merged = apply_strategic_merge_patch_node(resource.obj, body, node)
        except PatchError as error:
            raise KustomizeError(f"failed to apply patch to {resource.cur_id()}: {error}") from None
        if not merged:
            resources.remove(resource)
            continue
        kyaml_list_order(body, merged, node)
        resource.obj = merged
        if not allow_kind:
            resource.obj["kind"] = kind
        if not allow_name:
            resource.metadata["name"] = name
        if namespace:
            resource.metadata["namespace"] = namespace
        elif isinstance(resource.obj.get("metadata"), dict):
            resource.metadata.pop("namespace", None)


def kyaml_list_order(patch: Any, merged: Any, node: SchemaNode | None) -> None:
    """Reorder merged lists as kustomize's kyaml merge leaves them: the patch's elements first, in
    the patch's order, then the original's other elements in their order (kubectl keeps the
    original's order for elements it already had)."""
    if node is None:
        return
    if isinstance(patch, dict) and isinstance(merged, dict):
        for key, value in patch.items():
            if key in merged and not str(key).startswith("$"):
                kyaml_list_order(value, merged[key], node.field(str(key)))
        return
    if not (isinstance(patch, list) and isinstance(merged, list)):
        return
    key = node.patch_merge_key
    if key and all(isinstance(item, dict) for item in merged):
        position: dict[str, int] = {}
        for item in patch:
            if isinstance(item, dict) and key in item and _key_of(item, key) not in position:
                position[_key_of(item, key)] = len(position)
        first = sorted(
            (i for i in merged if _key_of(i, key) in position), key=lambda i: position[_key_of(i, key)]
        )
        rest = [i for i in merged if _key_of(i, key) not in position]
        merged[:] = first + rest
        by_key = {_key_of(i, key): i for i in patch if isinstance(i, dict) and key in i}
        for item in first:
            kyaml_list_order(by_key[_key_of(item, key)], item, node.items)
    elif "merge" in node.patch_strategy and all(not isinstance(i, (dict, list)) for i in merged):
        order: dict[str, int] = {}
        for value in patch:
            order.setdefault(_scalar(value), len(order))
        first_values = sorted((v for v in merged if _scalar(v) in order), key=lambda v: order[_scalar(v)])
        merged[:] = first_values + [v for v in merged if _scalar(v) not in order]


def _key_of(item: dict[str, Any], key: str) -> str:
    return _scalar(item.get(key))


def _scalar(value: Any) -> str:
    return f"{type(value).__name__}:{value}"
