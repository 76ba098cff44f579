"""Discovery documents: aggregated (apidiscovery.k8s.io v2 / v2beta1) and legacy."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim.catalog import Catalog

Manifest = dict[str, Any]

AGGREGATED_VERSIONS = ("v2", "v2beta1")


def aggregated_version(accept: str) -> str | None:
    """The apidiscovery version the client accepts (first acceptable in its order), else None."""
    for part in accept.split(","):
        params = dict(item.strip().split("=", 1) for item in part.split(";")[1:] if "=" in item)
        if params.get("g") == "apidiscovery.k8s.io" and params.get("as") == "APIGroupDiscoveryList":
            version = params.get("v", "")
            if version in AGGREGATED_VERSIONS:
                return version
    return None


def aggregated_content_type(version: str) -> str:
    return f"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList"


def _kind(gvk_group: str, version: str, kind: str) -> Manifest:
    return {"group": gvk_group, "version": version, "kind": kind}


def _resource(info: ResourceInfo) -> Manifest:
    entry: Manifest = {
        "resource": info.plural,
        "responseKind": _kind(info.gvk.group, info.gvk.version, info.gvk.kind),
        "scope": "Namespaced" if info.namespaced else "Cluster",
        "singularResource": info.singular,
        "verbs": list(info.verbs),
    }
    if info.short_names:
        entry["shortNames"] = list(info.short_names)
    if info.categories:
        entry["categories"] = list(info.categories)
    subresources = []
    for sub in info.subresource_details:
        item: Manifest = {"subresource": sub.name, "verbs": list(sub.verbs)}
        if sub.kind is not None:
            item["responseKind"] = _kind(sub.kind.group, sub.kind.version, sub.kind.kind)
        subresources.append(item)
    if subresources:
        entry["subresources"] = subresources
    return entry


def _group_entry(catalog: Catalog, group: str) -> Manifest:
    return {
        "metadata": {"name": group, "creationTimestamp": None},
        "versions": [
            {
                "version": version,
                "resources": [
                    _resource(i)
                    for i in sorted(catalog.in_group_version(group, version), key=lambda i: i.plural)
                ],
                "freshness": "Current",
            }
            for version in catalog.versions(group)
        ],
    }


def aggregated(catalog: Catalog, version: str, *, core: bool) -> Manifest:
    groups = [""] if core else [g for g in catalog.groups() if g]
    return {
        "kind": "APIGroupDiscoveryList",
        "apiVersion": f"apidiscovery.k8s.io/{version}",
        "metadata": {},
        "items": [_group_entry(catalog, group) for group in groups],
    }


def api_versions(server_address: str) -> Manifest:
    return {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}],
    }


def _group(catalog: Catalog, group: str) -> Manifest:
    versions = [{"groupVersion": f"{group}/{v}", "version": v} for v in catalog.versions(group)]
    return {"name": group, "versions": versions, "preferredVersion": versions[0]}


def api_group_list(catalog: Catalog) -> Manifest:
    return {
        "kind": "APIGroupList",
        "apiVersion": "v1",
        "groups": [_group(catalog, g) for g in catalog.groups() if g],
    }


def api_group(catalog: Catalog, group: str) -> Manifest | None:
    if not catalog.versions(group):
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group(catalog, group)}


def _storage_hash(info: ResourceInfo) -> str:
    digest = hashlib.sha256(f"{info.gvk.group}/{info.gvk.version}/{info.gvk.kind}".encode()).digest()
    return base64.b64encode(digest[:8]).decode()


def api_resource_list(catalog: Catalog, group: str, version: str) -> Manifest | None:
    infos = catalog.in_group_version(group, version)
    if not infos:
        return None
    resources: list[Manifest] = []
    for info in sorted(infos, key=lambda i: i.plural):
        entry: Manifest = {
            "name": info.plural,
            "singularName": info.singular,
            "namespaced": info.namespaced,
            "kind": info.gvk.kind,
            "verbs": list(info.verbs),
        }
        if info.short_names:
            entry["shortNames"] = list(info.short_names)
        if info.categories:
            entry["categories"] = list(info.categories)
        entry["storageVersionHash"] = _storage_hash(info)
        resources.append(entry)
        for sub in info.subresource_details:
            sub_entry: Manifest = {
                "name": f"{info.plural}/{sub.name}",
                "singularName": "",
                "namespaced": info.namespaced,
                "kind": sub.kind.kind if sub.kind else info.gvk.kind,
                "verbs": list(sub.verbs),
            }
            if sub.kind is not None and (sub.kind.group, sub.kind.version) != (group, version):
                sub_entry["group"] = sub.kind.group
                sub_entry["version"] = sub.kind.version
            resources.append(sub_entry)
    group_version = f"{group}/{version}" if group else version
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version,
        "resources": resources,
    }
