"""Garbage collection by ownerReferences: background, foreground and orphan propagation."""

from __future__ import annotations

import copy
from typing import Any

from fleetops.kubesim.catalog import group_resource
from fleetops.kubesim.controllers.base import Controller
from fleetops.kubesim.rest.deletion import FOREGROUND, ORPHAN
from fleetops.kubesim.watch import WatchEvent

Manifest = dict[str, Any]


def _refs(obj: Manifest) -> list[Manifest]:
    return list((obj.get("metadata") or {}).get("ownerReferences") or [])


class GarbageCollector(Controller):
    identity = "system:serviceaccount:kube-system:generic-garbage-collector"
    manager = "generic-garbage-collector"

    def _exists(self, uid: str) -> bool:
        return self.state.store.by_uid(uid) is not None

    def _dependents(self, uid: str) -> list[Manifest]:
        return [obj for _, obj in self.state.store.dependents(uid)]

    def resync(self) -> None:
        for _, obj in list(self.state.store.items()):
            self._process_owner(obj)
            if _refs(obj) and not any(self._exists(str(ref.get("uid"))) for ref in _refs(obj)):
                self._collect(obj)

    def handle(self, event: WatchEvent) -> None:
        if event.type == "DELETED":
            uid = str(event.object["metadata"].get("uid"))
            for dependent in self._dependents(uid):
                self._collect(dependent)
            for ref in _refs(event.object):
                self._retry_owner(ref, event.object)
        else:
            self._process_owner(event.object)

    def _collect(self, dependent: Manifest) -> None:
        """Delete a dependent whose owners are all gone; drop references to gone owners otherwise."""
        info = self.info_of(dependent)
        if info is None or dependent["metadata"].get("deletionTimestamp"):
            return
        alive = [ref for ref in _refs(dependent) if self._exists(str(ref.get("uid")))]
        if not alive:
            self.delete(info, dependent, "Background")
        elif len(alive) != len(_refs(dependent)):
            changed = copy.deepcopy(dependent)
            changed["metadata"]["ownerReferences"] = alive
            self.update(info, changed)

    def _process_owner(self, owner: Manifest) -> None:
        metadata = owner.get("metadata") or {}
        if not metadata.get("deletionTimestamp"):
            return
        finalizers = metadata.get("finalizers") or []
        info = self.info_of(owner)
        if info is None:
            return
        uid = str(metadata.get("uid"))
        if ORPHAN in finalizers:
            for dependent in self._dependents(uid):
                dependent_info = self.info_of(dependent)
                if dependent_info is None:
                    continue
                changed = copy.deepcopy(dependent)
                remaining = [ref for ref in _refs(dependent) if ref.get("uid") != uid]
                if remaining:
                    changed["metadata"]["ownerReferences"] = remaining
                else:
                    changed["metadata"].pop("ownerReferences", None)
                self.update(dependent_info, changed)
            current = self.stored(info, owner)
            if current is not None:
                self.remove_finalizer(info, current, ORPHAN)
        elif FOREGROUND in finalizers:
            for dependent in self._dependents(uid):
                dependent_info = self.info_of(dependent)
                if dependent_info is not None and not dependent["metadata"].get("deletionTimestamp"):
                    self.delete(dependent_info, dependent, "Foreground")
            blocking = any(
                r.get("uid") == uid and r.get("blockOwnerDeletion")
                for dependent in self._dependents(uid)
                for r in _refs(dependent)
            )
            current = self.stored(info, owner)
            if not blocking and current is not None:
                self.remove_finalizer(info, current, FOREGROUND)

    def _retry_owner(self, ref: Manifest, dependent: Manifest) -> None:
        """A dependent went away: an owner waiting in foreground deletion may now finish."""
        api_version = str(ref.get("apiVersion") or "")
        info = self.state.catalog.by_group_kind(api_version.rpartition("/")[0], str(ref.get("kind") or ""))
        if info is None:
            return
        namespace = str(dependent["metadata"].get("namespace") or "") if info.namespaced else ""
        owner = self.state.store.get(group_resource(info), namespace, str(ref.get("name") or ""))
        if owner is not None and owner["metadata"].get("uid") == ref.get("uid"):
            self._process_owner(owner)
