"""CustomResourceDefinitions (`apiextensions.k8s.io/v1`) as schema nodes and resources.

Each served version's `openAPIV3Schema` becomes a `SchemaNode`. As the API server does when it
publishes a CRD's OpenAPI, the root (and every `x-kubernetes-embedded-resource` object) gets
`apiVersion` and `kind` strings and `metadata` as the built-in `ObjectMeta`. Custom resources carry
no strategic-merge metadata; `KubeSchema.is_builtin` tells them apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fleetops.core.schema.definitions import Definitions
from fleetops.core.schema.errors import InvalidCustomResourceDefinitionError
from fleetops.core.schema.node import SchemaNode
from fleetops.core.schema.resource_info import ResourceInfo, ScalePaths, SubresourceInfo
from fleetops.core.schema.structural import check_structural
from fleetops.model import GroupKind, GroupVersionKind, Manifest

CRD_API_VERSION = "apiextensions.k8s.io/v1"
CRD_KIND = "CustomResourceDefinition"
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
SCALE_KIND = GroupVersionKind("autoscaling", "v1", "Scale")
_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
_SUBRESOURCE_VERBS = ("get", "patch", "update")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_SCOPES = {"Namespaced": True, "Cluster": False}


@dataclass(frozen=True)
class CustomResource:
    """The parsed CRD `name` (`<plural>.<group>`): a node and a resource per served version."""

    name: str
    group_kind: GroupKind
    storage_version: str
    nodes: Mapping[GroupVersionKind, SchemaNode]
    resources: tuple[ResourceInfo, ...]


def _fail(path: str, reason: str) -> InvalidCustomResourceDefinitionError:
    return InvalidCustomResourceDefinitionError(path, reason)


def _mapping(parent: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> Mapping[str, Any]:
    value = parent.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, Mapping):
        raise _fail(path, "must be an object" if key in parent else "is required")
    return value


def _string(parent: Mapping[str, Any], key: str, path: str, *, default: str | None = None) -> str:
    value = parent.get(key, default)
    if not isinstance(value, str) or not value:
        raise _fail(path, "must be a non-empty string" if key in parent else "is required")
    return value


def _strings(parent: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
    value = parent.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise _fail(path, "must be a list of non-empty strings")
    return tuple(value)


def _object_root(schema: Mapping[str, Any], definitions: Definitions) -> dict[str, Any]:
    properties = dict(schema.get("properties") or {})
    properties["apiVersion"] = {"type": "string"}
    properties["kind"] = {"type": "string"}
    if definitions.definition(OBJECT_META) is not None:
        properties["metadata"] = {"$ref": f"#/$defs/{OBJECT_META}"}
    return {**schema, "properties": properties}


def _published(schema: Mapping[str, Any], definitions: Definitions) -> dict[str, Any]:
    """A copy of a structural schema (independent of the input manifest) with `apiVersion`,
    `kind` and `metadata` added to every `x-kubernetes-embedded-resource` object."""
    copied: dict[str, Any] = dict(schema)
    if isinstance(schema.get("properties"), Mapping):
        copied["properties"] = {
            name: _published(child, definitions) for name, child in schema["properties"].items()
        }
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), Mapping):
            copied[key] = _published(schema[key], definitions)
    if schema.get("x-kubernetes-embedded-resource") is True:
        return _object_root(copied, definitions)
    return copied


def _root_node(schema: Mapping[str, Any], definitions: Definitions) -> SchemaNode:
    return SchemaNode(_object_root(_published(schema, definitions), definitions), definitions)


def _scale(subresources: Mapping[str, Any], path: str) -> ScalePaths | None:
    scale = _mapping(subresources, "scale", f"{path}.scale", required=False)
    if "scale" not in subresources:
        return None
    selector = scale.get("labelSelectorPath")
    if selector is not None and not isinstance(selector, str):
        raise _fail(f"{path}.scale.labelSelectorPath", "must be a string")
    return ScalePaths(
        spec_replicas_path=_string(scale, "specReplicasPath", f"{path}.scale.specReplicasPath"),
        status_replicas_path=_string(scale, "statusReplicasPath", f"{path}.scale.statusReplicasPath"),
        label_selector_path=selector,
    )


@dataclass(frozen=True)
class _Names:
    group: str
    kind: str
    plural: str
    singular: str
    short_names: tuple[str, ...]
    categories: tuple[str, ...]
    namespaced: bool


def _names(crd: Manifest) -> _Names:
    if crd.get("apiVersion") != CRD_API_VERSION:
        raise _fail("apiVersion", f"must be {CRD_API_VERSION}, got {crd.get('apiVersion')!r}")
    if crd.get("kind") != CRD_KIND:
        raise _fail("kind", f"must be {CRD_KIND}, got {crd.get('kind')!r}")
    spec = _mapping(crd, "spec", "spec")
    group = _string(spec, "group", "spec.group")
    if "." not in group:
        raise _fail("spec.group", f"{group!r} must be a domain with at least one dot")
    names = _mapping(spec, "names", "spec.names")
    plural = _string(names, "plural", "spec.names.plural")
    if not _DNS_LABEL.match(plural):
        raise _fail("spec.names.plural", f"{plural!r} must be a lowercase DNS label")
    kind = _string(names, "kind", "spec.names.kind")
    scope = spec.get("scope")
    if scope not in _SCOPES:
        raise _fail("spec.scope", f"must be Namespaced or Cluster, got {scope!r}")
    name = _mapping(crd, "metadata", "metadata").get("name")
    if name != f"{plural}.{group}":
        raise _fail("metadata.name", f"must be spec.names.plural + '.' + spec.group = {plural}.{group!s}")
    return _Names(
        group=group,
        kind=kind,
        plural=plural,
        singular=_string(names, "singular", "spec.names.singular", default=kind.lower()),
        short_names=_strings(names, "shortNames", "spec.names.shortNames"),
        categories=_strings(names, "categories", "spec.names.categories"),
        namespaced=_SCOPES[scope],
    )


def _versions(crd: Manifest) -> list[Mapping[str, Any]]:
    versions = crd["spec"].get("versions")
    if not isinstance(versions, list) or not versions:
        raise _fail("spec.versions", "must be a non-empty list")
    seen: set[str] = set()
    for index, version in enumerate(versions):
        path = f"spec.versions[{index}]"
        if not isinstance(version, Mapping):
            raise _fail(path, "must be an object")
        name = _string(version, "name", f"{path}.name")
        if not _DNS_LABEL.match(name) or name in seen:
            raise _fail(f"{path}.name", f"{name!r} must be a unique lowercase DNS label")
        seen.add(name)
        for flag in ("served", "storage"):
            if not isinstance(version.get(flag), bool):
                raise _fail(f"{path}.{flag}", "must be a boolean")
    if sum(1 for version in versions if version["storage"]) != 1:
        raise _fail("spec.versions", "exactly one version must be marked storage: true")
    return versions


def parse_crd(crd: Manifest, definitions: Definitions) -> CustomResource:
    """Validate a CRD and build its nodes and resources; raises `InvalidCustomResourceDefinitionError`."""
    names = _names(crd)
    nodes: dict[GroupVersionKind, SchemaNode] = {}
    resources: list[ResourceInfo] = []
    storage = ""
    for index, version in enumerate(_versions(crd)):
        path = f"spec.versions[{index}]"
        schema = _mapping(
            _mapping(version, "schema", f"{path}.schema"), "openAPIV3Schema", f"{path}.schema.openAPIV3Schema"
        )
        check_structural(schema, f"{path}.schema.openAPIV3Schema")
        subresources = _mapping(version, "subresources", f"{path}.subresources", required=False)
        if "status" in subresources and not isinstance(subresources["status"], Mapping):
            raise _fail(f"{path}.subresources.status", "must be an object")
        scale = _scale(subresources, f"{path}.subresources")
        if version["storage"]:
            storage = version["name"]
        if not version["served"]:
            continue
        gvk = GroupVersionKind(names.group, version["name"], names.kind)
        nodes[gvk] = _root_node(schema, definitions)
        details = tuple(
            SubresourceInfo(sub, _SUBRESOURCE_VERBS, SCALE_KIND if sub == "scale" else gvk)
            for sub in ("scale", "status")
            if sub in subresources
        )
        resources.append(
            ResourceInfo(
                gvk=gvk,
                plural=names.plural,
                singular=names.singular,
                namespaced=names.namespaced,
                verbs=_VERBS,
                short_names=names.short_names,
                categories=names.categories,
                subresources=tuple(sub.name for sub in details),
                subresource_details=details,
                builtin=False,
                scale=scale,
            )
        )
    return CustomResource(
        name=f"{names.plural}.{names.group}",
        group_kind=GroupKind(names.group, names.kind),
        storage_version=storage,
        nodes=nodes,
        resources=tuple(resources),
    )
