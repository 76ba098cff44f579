"""Indexes over a cluster's store that the simulated controllers share: objects by controlling
owner, Pods by node. Kept current synchronously, at the moment the store publishes each change
(the hub calls every subscriber's filter as it publishes), so a read right after a write sees it.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from typing import Any

from fleetops.kubesim.keys import GroupResource
from fleetops.kubesim.store import ObjectStore
from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads import ownership
from fleetops.kubesim.workloads.resources import PODS, REPLICA_SETS

Manifest = dict[str, Any]
Key = tuple[GroupResource, str, str]
ADOPTABLE = frozenset({PODS, REPLICA_SETS})


def _key(resource: GroupResource, obj: Manifest) -> Key:
    metadata = obj.get("metadata") or {}
    return resource, str(metadata.get("namespace") or ""), str(metadata.get("name") or "")


def _node(obj: Manifest) -> str:
    return str((obj.get("spec") or {}).get("nodeName") or "")


class StoreIndex:
    def __init__(self, store: ObjectStore) -> None:
        self._store = store
        self._by_owner: dict[str, set[Key]] = defaultdict(set)
        self._by_node: dict[str, set[Key]] = defaultdict(set)
        self._orphans: dict[tuple[GroupResource, str], set[Key]] = defaultdict(set)
        for resource, obj in store.items():
            self._add(resource, obj)
        store.hub.subscribe(self._observe)

    def _add(self, resource: GroupResource, obj: Manifest) -> None:
        uid = ownership.controller_uid(obj)
        if uid is not None:
            self._by_owner[uid].add(_key(resource, obj))
        elif resource in ADOPTABLE:
            key = _key(resource, obj)
            self._orphans[(resource, key[1])].add(key)
        if resource == PODS and _node(obj):
            self._by_node[_node(obj)].add(_key(resource, obj))

    def _discard(self, resource: GroupResource, obj: Manifest) -> None:
        uid = ownership.controller_uid(obj)
        if uid is not None:
            keys = self._by_owner.get(uid)
            if keys is not None:
                keys.discard(_key(resource, obj))
                if not keys:
                    del self._by_owner[uid]
        elif resource in ADOPTABLE:
            key = _key(resource, obj)
            self._orphans[(resource, key[1])].discard(key)
        if resource == PODS and _node(obj):
            keys = self._by_node.get(_node(obj))
            if keys is not None:
                keys.discard(_key(resource, obj))

    def _observe(self, event: WatchEvent) -> bool:
        if event.old is not None:
            self._discard(event.resource, event.old)
        if event.type == "DELETED":
            self._discard(event.resource, event.object)
        else:
            self._add(event.resource, event.object)
        return False

    def owned(self, resource: GroupResource, uid: str) -> list[Manifest]:
        """Objects of `resource` whose controller has `uid`, by name."""
        found = []
        for key in sorted(self._by_owner.get(uid, ())):
            if key[0] == resource:
                obj = self._store.get(*key)
                if obj is not None and ownership.controller_uid(obj) == uid:
                    found.append(obj)
        return found

    def orphans(self, resource: GroupResource, namespace: str) -> list[Manifest]:
        """Pods or ReplicaSets of a namespace without a controller (a controller may adopt them)."""
        found = []
        for key in sorted(self._orphans.get((resource, namespace), ())):
            obj = self._store.get(*key)
            if obj is not None and ownership.controller_uid(obj) is None:
                found.append(obj)
        return found

    def pods_on(self, node: str) -> list[Manifest]:
        found = []
        for key in sorted(self._by_node.get(node, ())):
            obj = self._store.get(*key)
            if obj is not None and _node(obj) == node:
                found.append(obj)
        return found


_INDEXES: weakref.WeakKeyDictionary[ObjectStore, StoreIndex] = weakref.WeakKeyDictionary()


def index_of(store: ObjectStore) -> StoreIndex:
    """The store's index, built on first use."""
    found = _INDEXES.get(store)
    if found is None:
        found = _INDEXES[store] = StoreIndex(store)
    return found
