"""`ObjectIndex`: the live cache's storage — objects by `ResourceKey`, by kind, by tracking
application and by owner uid — and the change records of each update. Synchronous and
single-threaded: the cache's watch tasks are its only writers.

Objects are kept whole, `managedFields` included (the diff needs them); only a
`kubectl.kubernetes.io/last-applied-configuration` annotation over `LAST_APPLIED_LIMIT` bytes has
its body replaced by a marker with its size and digest, as it repeats the object it annotates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from fleetops.model import GroupKind, ResourceKey
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import TRACKING_ANNOTATION, ChangeType

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
LAST_APPLIED_LIMIT = 32 * 1024
ELIDED_PREFIX = "fleetops.io/elided "

_K = TypeVar("_K")


@dataclass(frozen=True, slots=True)
class Change:
    type: ChangeType
    key: ResourceKey
    old: Manifest | None
    new: Manifest | None


def compact(obj: Manifest) -> Manifest:
    """`obj` with a huge last-applied annotation elided (a new dict only when something changed)."""
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    body = annotations.get(LAST_APPLIED)
    if not isinstance(body, str) or len(body) <= LAST_APPLIED_LIMIT:
        return obj
    digest = hashlib.sha256(body.encode()).hexdigest()[:16]
    marker = f"{ELIDED_PREFIX}{len(body)} bytes sha256:{digest}"
    metadata = {**obj["metadata"], "annotations": {**annotations, LAST_APPLIED: marker}}
    return {**obj, "metadata": metadata}


def tracking_apps(obj: Manifest | None, tracking_label: str | None) -> frozenset[str]:
    """The application names an object's tracking annotation (`app:group/kind:ns/name`) or label names."""
    if obj is None:
        return frozenset()
    metadata = obj.get("metadata") or {}
    apps: set[str] = set()
    tracking = (metadata.get("annotations") or {}).get(TRACKING_ANNOTATION)
    if isinstance(tracking, str) and ":" in tracking:
        apps.add(tracking.split(":", 1)[0])
    if tracking_label:
        label = (metadata.get("labels") or {}).get(tracking_label)
        if isinstance(label, str) and label:
            apps.add(label)
    return frozenset(apps)


def _owner_uids(obj: Manifest) -> Iterator[str]:
    for reference in (obj.get("metadata") or {}).get("ownerReferences") or ():
        uid = reference.get("uid")
        if uid:
            yield str(uid)


def _resource_version(obj: Manifest | None) -> str:
    return str(((obj or {}).get("metadata") or {}).get("resourceVersion", ""))


class ObjectIndex:
    def __init__(self, *, tracking_label: str | None = None) -> None:
        self._tracking_label = tracking_label
        self._objects: dict[ResourceKey, Manifest] = {}
        self._by_kind: dict[GroupKind, set[ResourceKey]] = {}
        self._by_app: dict[str, set[ResourceKey]] = {}
        self._by_owner: dict[str, set[ResourceKey]] = {}

    def __len__(self) -> int:
        return len(self._objects)

    def get(self, key: ResourceKey) -> Manifest | None:
        return self._objects.get(key)

    def of_kind(self, kind: GroupKind) -> list[Manifest]:
        return [self._objects[key] for key in sorted(self._by_kind.get(kind, ()))]

    def all(self) -> list[Manifest]:
        return [self._objects[key] for key in sorted(self._objects)]

    def of_app(self, app: str) -> list[Manifest]:
        return [self._objects[key] for key in sorted(self._by_app.get(app, ()))]

    def owned_by(self, uid: str) -> list[Manifest]:
        return [self._objects[key] for key in sorted(self._by_owner.get(uid, ()))]

    def apps_of(self, obj: Manifest | None) -> frozenset[str]:
        return tracking_apps(obj, self._tracking_label)

    def apps(self) -> dict[str, ResourceKey]:
        """Every application tracking an object, with one of its objects (the first by key)."""
        return {app: min(keys) for app, keys in sorted(self._by_app.items()) if keys}

    def upsert(self, obj: Manifest) -> Change | None:
        """Store `obj`; None when the stored object already has its resourceVersion."""
        obj = compact(obj)
        key = ResourceKey.of(obj)
        old = self._objects.get(key)
        if old is not None and _resource_version(old) == _resource_version(obj) and _resource_version(obj):
            return None
        if old is not None:
            self._unindex(key, old)
        self._objects[key] = obj
        self._index(key, obj)
        return Change("MODIFIED" if old is not None else "ADDED", key, old, obj)

    def remove(self, obj: Manifest) -> Change | None:
        key = ResourceKey.of(obj)
        old = self._objects.pop(key, None)
        if old is None:
            return None
        self._unindex(key, old)
        return Change("DELETED", key, old, None)

    def replace_kind(self, kind: GroupKind, objs: Iterable[Manifest]) -> list[Change]:
        """Make the stored objects of `kind` exactly `objs` (after a list); the changes it took."""
        changes: list[Change] = []
        seen: set[ResourceKey] = set()
        for obj in objs:
            seen.add(ResourceKey.of(obj))
            change = self.upsert(obj)
            if change is not None:
                changes.append(change)
        for key in sorted(self._by_kind.get(kind, set()) - seen):
            change = self.remove(self._objects[key])
            if change is not None:
                changes.append(change)
        return changes

    def _index(self, key: ResourceKey, obj: Manifest) -> None:
        self._by_kind.setdefault(key.group_kind, set()).add(key)
        for app in self.apps_of(obj):
            self._by_app.setdefault(app, set()).add(key)
        for uid in _owner_uids(obj):
            self._by_owner.setdefault(uid, set()).add(key)

    def _unindex(self, key: ResourceKey, obj: Manifest) -> None:
        _discard(self._by_kind, key.group_kind, key)
        for app in self.apps_of(obj):
            _discard(self._by_app, app, key)
        for uid in _owner_uids(obj):
            _discard(self._by_owner, uid, key)


def _discard(index: dict[_K, set[ResourceKey]], name: _K, key: ResourceKey) -> None:
    keys = index.get(name)
    if keys is not None:
        keys.discard(key)
        if not keys:
            del index[name]
