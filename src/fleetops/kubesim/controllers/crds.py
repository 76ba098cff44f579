"""CustomResourceDefinitions: serve new kinds (conditions NamesAccepted and Established), and on
deletion remove every custom resource before the definition goes."""

from __future__ import annotations

import copy
from typing import Any

from fleetops.core.schema.errors import InvalidCustomResourceDefinitionError
from fleetops.kubesim import clock
from fleetops.kubesim.catalog import group_resource
from fleetops.kubesim.controllers.base import Controller
from fleetops.kubesim.keys import GroupResource
from fleetops.kubesim.state import CRDS
from fleetops.kubesim.watch import WatchEvent

Manifest = dict[str, Any]

CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io"


def _condition(kind: str, reason: str, message: str, now: str) -> Manifest:
    return {"type": kind, "status": "True", "lastTransitionTime": now, "reason": reason, "message": message}


class CrdController(Controller):
    identity = "system:apiextensions-apiserver"
    manager = "kube-apiserver"

    def accepts(self, event: WatchEvent) -> bool:
        return event.resource == CRDS or event.type == "DELETED"

    def resync(self) -> None:
        for crd in self.state.store.list(CRDS):
            self._reconcile(crd)

    def handle(self, event: WatchEvent) -> None:
        if event.resource == CRDS:
            if event.type == "DELETED":
                self.state.replace_schema(
                    self.state.schema.without_crd(str(event.object["metadata"]["name"]))
                )
            else:
                self._reconcile(event.object)
            return
        for crd in self.state.store.list(CRDS):
            if crd["metadata"].get("deletionTimestamp"):
                self._reconcile(crd)

    def _reconcile(self, crd: Manifest) -> None:
        name = str(crd["metadata"]["name"])
        if crd["metadata"].get("deletionTimestamp"):
            self._clean_up(crd)
            return
        try:
            schema = self.state.schema.with_crd(crd)
        except InvalidCustomResourceDefinitionError:
            return
        if name not in self.state.schema.crd_names() or self._changed(crd):
            self.state.replace_schema(schema)
        self._establish(crd)

    def _changed(self, crd: Manifest) -> bool:
        served = self.state.schema
        return served.with_crd(crd).resources() != served.resources()

    def _establish(self, crd: Manifest) -> None:
        status = crd.get("status") or {}
        conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
        if conditions.get("Established") == "True" and conditions.get("NamesAccepted") == "True":
            return
        info = self.state.info_for(CRDS)
        if info is None:
            return
        now = clock.rfc3339()
        spec = crd.get("spec") or {}
        names = copy.deepcopy(spec.get("names") or {})
        names.setdefault("singular", str(names.get("kind", "")).lower())
        names.setdefault("listKind", f"{names.get('kind', '')}List")
        storage = [v.get("name") for v in spec.get("versions") or [] if v.get("storage")]
        changed = copy.deepcopy(crd)
        changed["status"] = {
            "acceptedNames": names,
            "conditions": [
                _condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                _condition(
                    "Established", "InitialNamesAccepted", "the initial names have been accepted", now
                ),
            ],
            "storedVersions": storage,
        }
        self.update(info, changed, "status")

    def _clean_up(self, crd: Manifest) -> None:
        spec = crd.get("spec") or {}
        resource = GroupResource(
            str(spec.get("group") or ""), str((spec.get("names") or {}).get("plural") or "")
        )
        info = self.state.info_for(resource)
        remaining = self.state.store.list(resource) if info is not None else []
        for obj in remaining:
            if info is not None and not obj["metadata"].get("deletionTimestamp"):
                self.delete(info, obj, "Background")
        if info is not None and self.state.store.list(group_resource(info)):
            return
        crd_info = self.state.info_for(CRDS)
        current = self.state.store.get(CRDS, "", str(crd["metadata"]["name"]))
        if (
            crd_info is not None
            and current is not None
            and CLEANUP_FINALIZER in (current["metadata"].get("finalizers") or [])
        ):
            self.remove_finalizer(crd_info, current, CLEANUP_FINALIZER)
