"""Indexes the store keeps beside its objects: by uid, by owner uid, and by namespace, so garbage
collection and namespace termination do not scan every object."""

from __future__ import annotations

from typing import Any

from fleetops.kubesim.keys import GroupResource

Manifest = dict[str, Any]
Location = tuple[GroupResource, str, str]
"""(resource, namespace, name)"""


def _uid(obj: Manifest) -> str:
    return str((obj.get("metadata") or {}).get("uid") or "")


def _owners(obj: Manifest) -> set[str]:
    refs = (obj.get("metadata") or {}).get("ownerReferences") or []
    return {str(ref.get("uid")) for ref in refs if isinstance(ref, dict) and ref.get("uid")}


class StoreIndexes:
    def __init__(self) -> None:
        self._by_uid: dict[str, Location] = {}
        self._dependents: dict[str, set[Location]] = {}
        self._by_namespace: dict[str, set[Location]] = {}

    def add(self, location: Location, obj: Manifest, old: Manifest | None) -> None:
        if old is not None:
            self.remove(location, old)
        uid = _uid(obj)
        if uid:
            self._by_uid[uid] = location
        for owner in _owners(obj):
            self._dependents.setdefault(owner, set()).add(location)
        if location[1]:
            self._by_namespace.setdefault(location[1], set()).add(location)

    def remove(self, location: Location, obj: Manifest) -> None:
        uid = _uid(obj)
        if uid and self._by_uid.get(uid) == location:
            del self._by_uid[uid]
        for owner in _owners(obj):
            found = self._dependents.get(owner)
            if found is not None:
                found.discard(location)
                if not found:
                    del self._dependents[owner]
        if location[1]:
            members = self._by_namespace.get(location[1])
            if members is not None:
                members.discard(location)
                if not members:
                    del self._by_namespace[location[1]]

    def location_of(self, uid: str) -> Location | None:
        return self._by_uid.get(uid)

    def dependents_of(self, uid: str) -> list[Location]:
        return sorted(self._dependents.get(uid, ()))

    def in_namespace(self, namespace: str) -> list[Location]:
        return sorted(self._by_namespace.get(namespace, ()))
