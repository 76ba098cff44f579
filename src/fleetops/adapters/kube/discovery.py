"""Discovery: the server's resources from `/api` and `/apis`, and REST mapping from them.

Aggregated discovery (`apidiscovery.k8s.io` v2, then v2beta1) takes two requests; servers that
do not offer it get the legacy walk (`/api/v1`, `/apis`, every `/apis/G/V`). The result is cached
and refreshed when a kind is not found (e.g. just after its CRD was created); concurrent misses
share one refresh.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from fleetops.core.schema import ResourceInfo, SubresourceInfo
from fleetops.model import GroupKind, GroupVersionKind
from fleetops.ports.kube import UnknownKind

AGGREGATED_ACCEPT = ",".join(
    [
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
        "application/json",
    ]
)

Fetch = Callable[[str, str], Awaitable[Any]]
"""GET `path` with an `Accept` header; returns the decoded JSON body."""


def _builtin(group: str) -> bool:
    # Custom resources live in DNS-style groups; Kubernetes' own groups are bare or *.k8s.io.
    return "." not in group or group.endswith(".k8s.io")


def _info(
    group: str,
    version: str,
    *,
    kind: str,
    plural: str,
    singular: str,
    namespaced: bool,
    verbs: Iterable[str],
    short_names: Iterable[str] = (),
    categories: Iterable[str] = (),
    subresources: Iterable[SubresourceInfo] = (),
) -> ResourceInfo:
    details = tuple(sorted(subresources, key=lambda s: s.name))
    return ResourceInfo(
        gvk=GroupVersionKind(group, version, kind),
        plural=plural,
        singular=singular or kind.lower(),
        namespaced=namespaced,
        verbs=tuple(verbs),
        short_names=tuple(short_names),
        categories=tuple(categories),
        subresources=tuple(s.name for s in details),
        subresource_details=details,
        builtin=_builtin(group),
    )


def _response_kind(entry: Mapping[str, Any], group: str, version: str) -> GroupVersionKind | None:
    kind = entry.get("responseKind") or {}
    if not kind.get("kind"):
        return None
    return GroupVersionKind(kind.get("group") or group, kind.get("version") or version, kind["kind"])


def parse_aggregated(document: Mapping[str, Any]) -> list[ResourceInfo]:
    """An `APIGroupDiscoveryList`; versions are listed preferred first."""
    infos: list[ResourceInfo] = []
    for group_entry in document.get("items") or ():
        group = str((group_entry.get("metadata") or {}).get("name") or "")
        for version_entry in group_entry.get("versions") or ():
            version = str(version_entry.get("version"))
            for entry in version_entry.get("resources") or ():
                response = _response_kind(entry, group, version)
                if response is None:
                    continue
                subresources = [
                    SubresourceInfo(
                        str(s["subresource"]), tuple(s.get("verbs") or ()), _response_kind(s, group, version)
                    )
                    for s in entry.get("subresources") or ()
                ]
                infos.append(
                    _info(
                        group,
                        version,
                        kind=response.kind,
                        plural=str(entry["resource"]),
                        singular=str(entry.get("singularResource") or ""),
                        namespaced=entry.get("scope") == "Namespaced",
                        verbs=entry.get("verbs") or (),
                        short_names=entry.get("shortNames") or (),
                        categories=entry.get("categories") or (),
                        subresources=subresources,
                    )
                )
    return infos


def parse_resource_list(document: Mapping[str, Any]) -> list[ResourceInfo]:
    """A legacy `APIResourceList` of one group version."""
    group_version = str(document.get("groupVersion") or "")
    group, _, version = group_version.rpartition("/")
    entries = document.get("resources") or ()
    subs: dict[str, list[SubresourceInfo]] = {}
    for entry in entries:
        name = str(entry.get("name", ""))
        if "/" in name:
            parent, sub = name.split("/", 1)
            kind = GroupVersionKind(
                entry.get("group") or group, entry.get("version") or version, entry["kind"]
            )
            subs.setdefault(parent, []).append(SubresourceInfo(sub, tuple(entry.get("verbs") or ()), kind))
    infos: list[ResourceInfo] = []
    for entry in entries:
        name = str(entry.get("name", ""))
        if "/" in name:
            continue
        infos.append(
            _info(
                group,
                version,
                kind=str(entry["kind"]),
                plural=name,
                singular=str(entry.get("singularName") or ""),
                namespaced=bool(entry.get("namespaced")),
                verbs=entry.get("verbs") or (),
                short_names=entry.get("shortNames") or (),
                categories=entry.get("categories") or (),
                subresources=subs.get(name, ()),
            )
        )
    return infos


class Discovery:
    def __init__(self, fetch: Fetch) -> None:
        self._fetch = fetch
        self._resources: tuple[ResourceInfo, ...] | None = None
        self._by_gvk: dict[GroupVersionKind, ResourceInfo] = {}
        self._preferred: dict[GroupKind, ResourceInfo] = {}
        self._lock = asyncio.Lock()
        self._generation = 0
        self.refreshes = 0

    def invalidate(self) -> None:
        self._resources = None

    async def resources(self) -> tuple[ResourceInfo, ...]:
        if self._resources is None:
            await self._refresh(self._generation)
        assert self._resources is not None
        return self._resources

    async def resource_for(self, what: GroupVersionKind | GroupKind) -> ResourceInfo:
        await self.resources()
        generation = self._generation
        found = self._lookup(what)
        if found is None:
            await self._refresh(generation)
            found = self._lookup(what)
        if found is None:
            raise UnknownKind(what)
        return found

    def cached_resource_for(self, what: GroupVersionKind | GroupKind) -> ResourceInfo | None:
        return self._lookup(what) if self._resources is not None else None

    def _lookup(self, what: GroupVersionKind | GroupKind) -> ResourceInfo | None:
        if isinstance(what, GroupKind):
            return self._preferred.get(what)
        return self._by_gvk.get(what)

    async def _refresh(self, seen_generation: int) -> None:
        async with self._lock:
            if self._generation != seen_generation and self._resources is not None:
                return  # another caller refreshed while this one waited
            infos = await self._discover()
            self._by_gvk = {}
            self._preferred = {}
            for info in infos:
                self._by_gvk.setdefault(info.gvk, info)
                self._preferred.setdefault(info.group_kind, info)
            self._resources = tuple(infos)
            self._generation += 1
            self.refreshes += 1

    async def _discover(self) -> list[ResourceInfo]:
        core, groups = await asyncio.gather(
            self._fetch("/api", AGGREGATED_ACCEPT), self._fetch("/apis", AGGREGATED_ACCEPT)
        )
        if (
            isinstance(core, dict)
            and core.get("kind") == "APIGroupDiscoveryList"
            and isinstance(groups, dict)
            and groups.get("kind") == "APIGroupDiscoveryList"
        ):
            return parse_aggregated(core) + parse_aggregated(groups)
        return await self._discover_legacy(core, groups)

    async def _discover_legacy(self, core: Any, groups: Any) -> list[ResourceInfo]:
        paths = [f"/api/{v}" for v in (core or {}).get("versions") or ()]
        for group in (groups or {}).get("groups") or ():
            preferred = (group.get("preferredVersion") or {}).get("groupVersion")
            versions = [v["groupVersion"] for v in group.get("versions") or ()]
            ordered = ([preferred] if preferred in versions else []) + [v for v in versions if v != preferred]
            paths.extend(f"/apis/{gv}" for gv in ordered)
        documents = await asyncio.gather(*(self._fetch(path, "application/json") for path in paths))
        infos: list[ResourceInfo] = []
        for document in documents:
            infos.extend(parse_resource_list(document or {}))
        return infos
