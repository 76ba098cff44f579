"""`ResourceInfo`: how a kind is served by the API (plural, scope, verbs, subresources)."""

from __future__ import annotations

from dataclasses import dataclass

from fleetops.model import GroupKind, GroupVersionKind, GroupVersionResource


@dataclass(frozen=True, slots=True)
class ScalePaths:
    """A custom resource's `scale` subresource: JSON paths such as `.spec.replicas`."""

    spec_replicas_path: str
    status_replicas_path: str
    label_selector_path: str | None = None


@dataclass(frozen=True, slots=True)
class SubresourceInfo:
    """One subresource (`status`, `scale`, `log`, …): its verbs and the kind it reads and writes
    (`None` when it has no object body of its own, e.g. `exec` or `proxy`)."""

    name: str
    verbs: tuple[str, ...]
    kind: GroupVersionKind | None


@dataclass(frozen=True, slots=True)
class ResourceInfo:
    gvk: GroupVersionKind
    plural: str
    singular: str
    namespaced: bool
    verbs: tuple[str, ...]
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    subresources: tuple[str, ...] = ()
    subresource_details: tuple[SubresourceInfo, ...] = ()
    builtin: bool = True
    scale: ScalePaths | None = None

    @property
    def gvr(self) -> GroupVersionResource:
        return GroupVersionResource(self.gvk.group, self.gvk.version, self.plural)

    @property
    def group_kind(self) -> GroupKind:
        return self.gvk.group_kind

    def subresource(self, name: str) -> SubresourceInfo | None:
        return next((sub for sub in self.subresource_details if sub.name == name), None)
