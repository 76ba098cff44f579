"""REST paths of resources: `/api/v1/...` for the core group, `/apis/G/V/...` otherwise."""

from __future__ import annotations

from urllib.parse import quote

from fleetops.core.schema import ResourceInfo


def group_version_path(info: ResourceInfo) -> str:
    gvk = info.gvk
    return f"/apis/{gvk.group}/{gvk.version}" if gvk.group else f"/api/{gvk.version}"


def resource_path(info: ResourceInfo, namespace: str | None, name: str = "", subresource: str = "") -> str:
    """Collection path without `name`; a namespace is used only for namespaced resources."""
    path = group_version_path(info)
    if info.namespaced and namespace:
        path += f"/namespaces/{quote(namespace, safe='')}"
    path += f"/{info.plural}"
    if name:
        path += f"/{quote(name, safe='')}"
        if subresource:
            path += f"/{subresource}"
    return path
