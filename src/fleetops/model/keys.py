"""`ResourceKey`: the identity of one object in a cluster, independent of its API version."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fleetops.model import manifest as manifests
from fleetops.model.gvk import GroupKind, split_api_version


@dataclass(frozen=True, order=True, slots=True)
class ResourceKey:
    """(group, kind, namespace, name); `namespace` is `""` for cluster-scoped objects."""

    group: str
    kind: str
    namespace: str
    name: str

    @classmethod
    def of(cls, manifest: Mapping[str, Any]) -> ResourceKey:
        group, _ = split_api_version(manifests.api_version(manifest))
        return cls(group, manifests.kind(manifest), manifests.namespace(manifest), manifests.name(manifest))

    @property
    def group_kind(self) -> GroupKind:
        return GroupKind(self.group, self.kind)

    def __str__(self) -> str:
        return f"{self.group}/{self.kind}/{self.namespace}/{self.name}"
