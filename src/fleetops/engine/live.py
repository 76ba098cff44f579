"""Live objects: what the destination's watch cache holds for an application — the objects it
tracks and the live copies of its desired objects — after making sure their kinds are watched."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fleetops.model import GroupKind, manifest
from fleetops.model.keys import ResourceKey
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import LiveCache, UnknownKind


def kinds_of(desired: Sequence[Manifest], previous: Iterable[Mapping[str, Any]]) -> list[GroupKind]:
    """The kinds to watch: every desired kind and every kind the last status listed (so a kind
    that left Git is still seen, and pruned)."""
    kinds: dict[GroupKind, None] = {}
    for obj in desired:
        kinds[ResourceKey.of(obj).group_kind] = None
    for entry in previous:
        kinds[GroupKind(str(entry.get("group") or ""), str(entry.get("kind") or ""))] = None
    return [kind for kind in kinds if kind.kind]


async def watch_kinds(cache: LiveCache, desired: Sequence[Manifest], previous: Iterable[GroupKind]) -> None:
    """Watch every desired kind (UnknownKind raised) and every kind listed before (ignored when
    the cluster no longer serves it)."""
    for obj in desired:
        await cache.ensure_watched(manifest.gvk(obj))
    for kind in previous:
        try:
            await cache.ensure_watched(kind)
        except UnknownKind:
            continue


def live_objects(cache: LiveCache, instance: str, desired: Sequence[Manifest]) -> dict[ResourceKey, Manifest]:
    live = {ResourceKey.of(obj): obj for obj in cache.objects_of_app(instance)}
    for obj in desired:
        key = ResourceKey.of(obj)
        found = cache.get(key)
        if found is not None:
            live[key] = found
    return live
