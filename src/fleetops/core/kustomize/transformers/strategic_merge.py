"""Apply one strategic merge patch to selected resources, as kustomize's ApplySmPatch does."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fleetops.core.kustomize.errors import KustomizeError
from fleetops.core.kustomize.openapi import CustomSchema
from fleetops.core.kustomize.resmap import ResMap
from fleetops.core.kustomize.resource import Resource
from fleetops.core.patch import PatchError, apply_strategic_merge_patch_node
from fleetops.core.schema import KubeSchema, SchemaNode, load_schema
from fleetops.core.yamlio.reader import deep_copy
from fleetops.model.gvk import GroupVersionKind

SCHEMA_VERSION = "1.25"
"""kustomize merges with its built-in Kubernetes 1.21 schema; 1.25 is the oldest schema we ship."""


@lru_cache(maxsize=1)
def _schema() -> KubeSchema:
    return load_schema(SCHEMA_VERSION)


def schema_node(obj: dict[str, Any], custom: CustomSchema | None = None) -> SchemaNode | None:
    if custom is not None:
        node = custom.node_for(obj)
        if node is not None:
            return node
    api_version = str(obj.get("apiVersion") or "")
    group, _, version = api_version.rpartition("/")
    gvk = GroupVersionKind(group, version, str(obj.get("kind") or ""))
    schema = _schema()
    if not schema.is_builtin(gvk):
        return None
    return schema.node_for(gvk)


def _is_delete(patch: dict[str, Any]) -> bool:
    return str(patch.get("$patch") or "").lower() == "delete"


def apply_patch_to(resources: ResMap, targets: list[Resource], patch: Resource) -> None:
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
        try:
            merged = apply_strategic_merge_patch_node(
                resource.obj, body, schema_node(resource.obj, resources.openapi)
            )
        except PatchError as error:
            raise KustomizeError(f"failed to apply patch to {resource.cur_id()}: {error}") from None
        if not merged:
            resources.remove(resource)
            continue
        resource.obj = merged
        if not allow_kind:
            resource.obj["kind"] = kind
        if not allow_name:
            resource.metadata["name"] = name
        if namespace:
            resource.metadata["namespace"] = namespace
        elif isinstance(resource.obj.get("metadata"), dict):
            resource.metadata.pop("namespace", None)
