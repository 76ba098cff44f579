"""The ReplicaSet controller: keep `spec.replicas` Pods, report how many are ready and available."""

from __future__ import annotations

import copy
from typing import Any

from fleetops.kubesim import clock
from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads import ownership, pods
from fleetops.kubesim.workloads.base import WorkloadController
from fleetops.kubesim.workloads.resources import PODS, REPLICA_SETS

Manifest = dict[str, Any]

_PHASE_RANK = {"Pending": 0, "Unknown": 1, "Running": 2}


def deletion_order(pod: Manifest) -> tuple[bool, int, bool, int, str]:
    """Which Pods go first on a scale-down (the controller's ActivePods order): unscheduled before
    scheduled, pending before running, not ready before ready, more restarts, then the newest."""
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    restarts = sum(int(s.get("restartCount") or 0) for s in statuses)
    created = str(pod["metadata"].get("creationTimestamp") or "")
    newest_first = "".join(chr(0x10FFFF - ord(c)) for c in created)
    return (
        bool((pod.get("spec") or {}).get("nodeName")),
        _PHASE_RANK.get(pods.phase(pod), 3),
        pods.ready(pod),
        -restarts,
        newest_first,
    )


class ReplicaSetController(WorkloadController):
    identity = "system:serviceaccount:kube-system:replicaset-controller"
    manager = "kube-controller-manager"
    component = "replicaset-controller"

    def accepts(self, event: WatchEvent) -> bool:
        if event.resource == REPLICA_SETS:
            return event.type != "DELETED"
        return event.resource == PODS and ownership.controller_kind(event.object) in ("ReplicaSet", None)

    def resync(self) -> None:
        for replica_set in self.state.store.list(REPLICA_SETS, None):
            self.reconcile(replica_set)

    def handle(self, event: WatchEvent) -> None:
        if event.resource == REPLICA_SETS:
            metadata = event.object["metadata"]
            current = self.get(REPLICA_SETS, str(metadata.get("namespace")), str(metadata["name"]))
        elif ownership.controller_ref(event.object) is None:
            self._offer_orphan(event.object)
            return
        else:
            current = self.controller_of(event.object, REPLICA_SETS)
        if current is not None:
            self.reconcile(current)

    def _offer_orphan(self, pod: Manifest) -> None:
        """An orphaned Pod: the ReplicaSets whose selector matches it may adopt it."""
        if pods.terminating(pod):
            return
        labels = pod["metadata"].get("labels") or {}
        for replica_set in self.state.store.list(REPLICA_SETS, str(pod["metadata"].get("namespace") or "")):
            if pods.label_selector_matches((replica_set.get("spec") or {}).get("selector"), labels):
                self.reconcile(replica_set)
                return

    def reconcile(self, replica_set: Manifest) -> None:
        if replica_set["metadata"].get("deletionTimestamp"):
            return
        self.adopt(PODS, replica_set, api_version="apps/v1", kind="ReplicaSet")
        self._manage_pods(replica_set)
        self._post_status(replica_set)

    def _manage_pods(self, replica_set: Manifest) -> None:
        spec = replica_set.get("spec") or {}
        wanted = 1 if spec.get("replicas") is None else int(spec["replicas"])
        active = [pod for pod in self.owned(PODS, replica_set) if pods.active(pod)]
        if len(active) < wanted:
            namespace = str(replica_set["metadata"]["namespace"])
            owner = ownership.reference_to(replica_set, api_version="apps/v1", kind="ReplicaSet")
            for _ in range(wanted - len(active)):
                pod = pods.from_template(
                    spec.get("template") or {},
                    owner_ref=owner,
                    generate_name=f"{replica_set['metadata']['name']}-",
                )
                created = self.create(PODS, namespace, pod)
                self.event(
                    replica_set, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}"
                )
        elif len(active) > wanted:
            for pod in sorted(active, key=deletion_order)[: len(active) - wanted]:
                self.remove(PODS, pod)
                self.event(
                    replica_set, "Normal", "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}"
                )

    def _post_status(self, replica_set: Manifest) -> None:
        metadata = replica_set["metadata"]
        current = self.get(REPLICA_SETS, str(metadata["namespace"]), str(metadata["name"]))
        if current is None:
            return
        spec = current.get("spec") or {}
        min_ready = int(spec.get("minReadySeconds") or 0)
        template_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        active = [pod for pod in self.owned(PODS, current) if pods.active(pod)]
        moment = clock.now()
        status = copy.deepcopy(current.get("status") or {})
        status.update(
            replicas=len(active),
            fullyLabeledReplicas=sum(
                1
                for pod in active
                if all((pod["metadata"].get("labels") or {}).get(k) == v for k, v in template_labels.items())
            ),
            readyReplicas=sum(1 for pod in active if pods.ready(pod)),
            availableReplicas=sum(1 for pod in active if pods.available(pod, min_ready, moment)),
            observedGeneration=int(current["metadata"].get("generation") or 1),
        )
        for key in ("readyReplicas", "availableReplicas", "fullyLabeledReplicas"):
            if not status[key]:
                status.pop(key)
        self.write_status(REPLICA_SETS, current, status)
        wait = pods.seconds_until_available(active, min_ready, moment)
        if wait is not None:
            namespace, name = str(current["metadata"]["namespace"]), str(current["metadata"]["name"])
            self.after(
                wait + 0.01, ("available", current["metadata"]["uid"]), lambda: self._recheck(namespace, name)
            )

    def _recheck(self, namespace: str, name: str) -> None:
        found = self.get(REPLICA_SETS, namespace, name)
        if found is not None:
            self.reconcile(found)
