"""The object store of one simulated cluster: every object in memory, one global revision counter,
writes persisted through a `Backend` and published to the `WatchHub`.

The store is deliberately dumb: it assigns `metadata.resourceVersion` and nothing else. API
semantics (defaulting, validation, preconditions, finalizers) live in `fleetops.kubesim.rest`.
Stored objects are shared: callers copy (`copy.deepcopy`) before changing one.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import Any

from fleetops.kubesim.indexes import StoreIndexes
from fleetops.kubesim.keys import GroupResource, ObjectName
from fleetops.kubesim.storage import Backend, MemoryBackend, StoredObject
from fleetops.kubesim.watch import EventType, WatchEvent, WatchHub

Manifest = dict[str, Any]


def object_name(obj: Manifest) -> ObjectName:
    metadata = obj.get("metadata") or {}
    return str(metadata.get("namespace") or ""), str(metadata.get("name") or "")


class ObjectStore:
    def __init__(self, backend: Backend | None = None, *, history: int = 5000) -> None:
        self._backend: Backend = backend or MemoryBackend()
        self._objects: dict[GroupResource, dict[ObjectName, Manifest]] = {}
        revision, stored = self._backend.load()
        self.indexes = StoreIndexes()
        for item in stored:
            resource = GroupResource(item.group, item.resource)
            bucket = self._objects.setdefault(resource, {})
            bucket[(item.namespace, item.name)] = item.body
            self.indexes.add((resource, item.namespace, item.name), item.body, None)
        self._revision = revision
        self.hub = WatchHub(history, floor=revision)

    @property
    def revision(self) -> int:
        return self._revision

    @property
    def backend(self) -> Backend:
        return self._backend

    def get(self, resource: GroupResource, namespace: str, name: str) -> Manifest | None:
        return self._objects.get(resource, {}).get((namespace, name))

    def list(self, resource: GroupResource, namespace: str | None = None) -> list[Manifest]:
        """Objects of a resource, in (namespace, name) order; all namespaces when `namespace` is None."""
        bucket = self._objects.get(resource, {})
        keys = sorted(key for key in bucket if namespace is None or key[0] == namespace)
        return [bucket[key] for key in keys]

    def by_uid(self, uid: str) -> tuple[GroupResource, Manifest] | None:
        location = self.indexes.location_of(uid)
        if location is None:
            return None
        found = self.get(*location)
        return None if found is None else (location[0], found)

    def dependents(self, uid: str) -> builtins.list[tuple[GroupResource, Manifest]]:
        """Objects with an ownerReference to `uid`."""
        found = ((location[0], self.get(*location)) for location in self.indexes.dependents_of(uid))
        return [(resource, obj) for resource, obj in found if obj is not None]

    def in_namespace(self, namespace: str) -> builtins.list[tuple[GroupResource, Manifest]]:
        """Every object of the namespace (any resource)."""
        found = ((location[0], self.get(*location)) for location in self.indexes.in_namespace(namespace))
        return [(resource, obj) for resource, obj in found if obj is not None]

    def resources(self) -> builtins.list[GroupResource]:
        return [resource for resource, bucket in self._objects.items() if bucket]

    def items(self) -> Iterator[tuple[GroupResource, Manifest]]:
        for resource, bucket in list(self._objects.items()):
            for obj in list(bucket.values()):
                yield resource, obj

    def count(self) -> int:
        return sum(len(bucket) for bucket in self._objects.values())

    def create(self, resource: GroupResource, obj: Manifest) -> Manifest:
        return self._write(resource, obj, "ADDED")

    def update(self, resource: GroupResource, obj: Manifest) -> Manifest:
        return self._write(resource, obj, "MODIFIED")

    def delete(self, resource: GroupResource, namespace: str, name: str) -> Manifest | None:
        bucket = self._objects.get(resource, {})
        old = bucket.pop((namespace, name), None)
        if old is None:
            return None
        self.indexes.remove((resource, namespace, name), old)
        self._revision += 1
        final = {**old, "metadata": {**old["metadata"], "resourceVersion": str(self._revision)}}
        self._backend.delete(resource.group, resource.resource, namespace, name, self._revision)
        self.hub.publish(WatchEvent("DELETED", resource, final, old, self._revision))
        return final

    def _write(self, resource: GroupResource, obj: Manifest, event: EventType) -> Manifest:
        namespace, name = object_name(obj)
        bucket = self._objects.setdefault(resource, {})
        old = bucket.get((namespace, name))
        self._revision += 1
        obj["metadata"]["resourceVersion"] = str(self._revision)
        bucket[(namespace, name)] = obj
        self.indexes.add((resource, namespace, name), obj, old)
        self._backend.put(
            StoredObject(resource.group, resource.resource, namespace, name, obj), self._revision
        )
        self.hub.publish(WatchEvent(event, resource, obj, old, self._revision))
        return obj

    def close(self) -> None:
        self.hub.close()
        self._backend.close()
