"""Ingresses: the simulated ingress controller publishes its address on each Ingress."""

from __future__ import annotations

import copy
from typing import Any

from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads.base import WorkloadController
from fleetops.kubesim.workloads.resources import INGRESSES
from fleetops.kubesim.workloads.services import INGRESS_ADDRESS

Manifest = dict[str, Any]


class IngressController(WorkloadController):
    identity = "system:serviceaccount:ingress-nginx:ingress-nginx"
    manager = "nginx-ingress-controller"
    component = "nginx-ingress-controller"

    def accepts(self, event: WatchEvent) -> bool:
        return event.resource == INGRESSES and event.type != "DELETED"

    def resync(self) -> None:
        for ingress in self.state.store.list(INGRESSES, None):
            self.reconcile(ingress)

    def handle(self, event: WatchEvent) -> None:
        metadata = event.object["metadata"]
        current = self.get(INGRESSES, str(metadata.get("namespace")), str(metadata["name"]))
        if current is not None:
            self.reconcile(current)

    def reconcile(self, ingress: Manifest) -> None:
        if ingress["metadata"].get("deletionTimestamp"):
            return
        status = copy.deepcopy(ingress.get("status") or {})
        if (status.get("loadBalancer") or {}).get("ingress"):
            return
        status["loadBalancer"] = {"ingress": [{"ip": INGRESS_ADDRESS}]}
        self.write_status(INGRESSES, ingress, status)
