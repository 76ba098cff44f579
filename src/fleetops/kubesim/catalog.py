"""What a cluster serves: the resources of its Kubernetes schema plus the established CRDs.

The built-in resources come from `fleetops.core.schema`; alpha and beta versions are not served
(as on a real API server with default settings). Lookups are by URL (group, version, plural), by
GroupResource and by kind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fleetops.core.schema.kube_schema import KubeSchema
from fleetops.core.schema.resource_info import ResourceInfo
from fleetops.kubesim.keys import GroupResource
from fleetops.model import GroupVersionKind

_VERSION = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")


def version_priority(version: str) -> tuple[int, int, int]:
    """Sort key of Kubernetes API versions, highest first when sorted descending: GA > beta > alpha."""
    match = _VERSION.match(version)
    if match is None:
        return (-1, 0, 0)
    major, stage, minor = match.groups()
    rank = {"alpha": 0, "beta": 1}.get(stage or "", 2)
    return (rank, int(major), int(minor or 0))


def served(info: ResourceInfo) -> bool:
    """Built-in alpha and beta versions are off, as on an API server with default settings (new beta
    APIs have been disabled by default since Kubernetes 1.24); custom resources serve every version."""
    version = info.gvk.version
    return not info.builtin or ("alpha" not in version and "beta" not in version)


class Catalog:
    """An immutable index over one schema; rebuilt when the set of CRDs changes."""

    def __init__(self, schema: KubeSchema) -> None:
        self.schema = schema
        self._resources = [info for info in schema.resources() if served(info)]
        self._by_url = {(i.gvk.group, i.gvk.version, i.plural): i for i in self._resources}
        self._by_kind = {i.gvk: i for i in self._resources}
        versions: dict[str, set[str]] = {}
        for info in self._resources:
            versions.setdefault(info.gvk.group, set()).add(info.gvk.version)
        self._versions = {
            group: sorted(found, key=version_priority, reverse=True) for group, found in versions.items()
        }
        self._preferred: dict[GroupResource, ResourceInfo] = {}
        for info in sorted(self._resources, key=lambda i: version_priority(i.gvk.version), reverse=True):
            self._preferred.setdefault(GroupResource(info.gvk.group, info.plural), info)

    def resources(self) -> Sequence[ResourceInfo]:
        return self._resources

    def groups(self) -> list[str]:
        """Groups in discovery order: the core group, then the built-in groups, then CRD groups."""
        builtin = [g for g in self._versions if any(i.builtin for i in self._resources if i.gvk.group == g)]
        custom = sorted(g for g in self._versions if g not in builtin)
        ordered = sorted(builtin, key=lambda g: (g != "", "." in g and not g.endswith(".k8s.io"), g))
        return ordered + custom

    def versions(self, group: str) -> list[str]:
        """Served versions of a group, preferred first."""
        return self._versions.get(group, [])

    def in_group_version(self, group: str, version: str) -> list[ResourceInfo]:
        return [i for i in self._resources if i.gvk.group == group and i.gvk.version == version]

    def by_url(self, group: str, version: str, plural: str) -> ResourceInfo | None:
        return self._by_url.get((group, version, plural))

    def by_kind(self, gvk: GroupVersionKind) -> ResourceInfo | None:
        return self._by_kind.get(gvk)

    def by_group_kind(self, group: str, kind: str) -> ResourceInfo | None:
        for version in self.versions(group):
            found = self._by_kind.get(GroupVersionKind(group, version, kind))
            if found is not None:
                return found
        return None

    def preferred(self, resource: GroupResource) -> ResourceInfo | None:
        return self._preferred.get(resource)


def group_resource(info: ResourceInfo) -> GroupResource:
    return GroupResource(info.gvk.group, info.plural)
