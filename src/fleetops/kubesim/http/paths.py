"""Resource URLs: `/api/v1[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]` and the same under
`/apis/{group}/{version}`."""

from __future__ import annotations

from dataclasses import dataclass

from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim import errors
from fleetops.kubesim.catalog import Catalog


@dataclass(frozen=True)
class Target:
    info: ResourceInfo
    namespace: str
    """"" for cluster-scoped resources and for lists across all namespaces."""
    name: str
    subresource: str

    @property
    def all_namespaces(self) -> bool:
        return self.info.namespaced and not self.namespace


def split_group_version(segments: list[str]) -> tuple[str, str, list[str]] | None:
    """(group, version, rest) of `api/v1/...` or `apis/g/v/...`; None for other paths."""
    if len(segments) >= 2 and segments[0] == "api":
        return "", segments[1], segments[2:]
    if len(segments) >= 3 and segments[0] == "apis":
        return segments[1], segments[2], segments[3:]
    return None


def resolve(catalog: Catalog, group: str, version: str, rest: list[str]) -> Target:
    """The target of a resource path; 404 (with the API server's message) when nothing serves it."""
    if len(rest) >= 3 and rest[0] == "namespaces":
        info = catalog.by_url(group, version, rest[2])
        if info is not None and info.namespaced:
            return _target(info, rest[1], rest[3:])
    if not rest:
        raise errors.ApiError(404, "NotFound", "the server could not find the requested resource")
    info = catalog.by_url(group, version, rest[0])
    if info is None:
        raise errors.ApiError(404, "NotFound", "the server could not find the requested resource")
    return _target(info, "", rest[1:])


def _target(info: ResourceInfo, namespace: str, rest: list[str]) -> Target:
    if len(rest) > 2:
        raise errors.ApiError(404, "NotFound", "the server could not find the requested resource")
    name = rest[0] if rest else ""
    subresource = rest[1] if len(rest) > 1 else ""
    if subresource and subresource not in info.subresources and subresource != "finalize":
        raise errors.ApiError(404, "NotFound", "the server could not find the requested resource")
    return Target(info, namespace, name, subresource)
