"""Desired objects: the rendered manifests placed in the destination namespace and marked with
Argo CD's tracking annotation (`<app>:<group>/<kind>:<namespace>/<name>`)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

from fleetops.core.sync import with_tracking
from fleetops.model import GroupKind
from fleetops.model.keys import ResourceKey
from fleetops.model.manifest import Manifest

IsNamespaced = Callable[[GroupKind], bool | None]


def desired_objects(
    rendered: Sequence[Manifest], *, instance: str, namespace: str, is_namespaced: IsNamespaced
) -> list[Manifest]:
    out: list[Manifest] = []
    for obj in rendered:
        placed = copy.deepcopy(obj)
        key = ResourceKey.of(placed)
        metadata = placed.setdefault("metadata", {})
        if not key.namespace and namespace and is_namespaced(key.group_kind) is not False:
            metadata["namespace"] = namespace
        out.append(with_tracking(placed, instance))
    return out
