"""The StatefulSet controller: Pods `<name>-0..N-1` with their volume claims, created in order
(OrderedReady) or all at once (Parallel), rolling updates from the highest ordinal down to the
partition, and status with current/update revisions."""

from __future__ import annotations

import copy
from typing import Any

from fleetops.kubesim import clock
from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads import ownership, pods
from fleetops.kubesim.workloads.base import WorkloadController
from fleetops.kubesim.workloads.resources import PERSISTENT_VOLUME_CLAIMS, PODS, STATEFUL_SETS
from fleetops.kubesim.workloads.revisions import REVISION_LABEL, ensure_revision, trim_history

Manifest = dict[str, Any]


def ordinal(pod: Manifest, set_name: str) -> int | None:
    name = str(pod["metadata"]["name"])
    prefix, _, number = name.rpartition("-")
    if prefix != set_name or not number.isdigit():
        return None
    return int(number)


def revision_of(pod: Manifest) -> str:
    return str((pod["metadata"].get("labels") or {}).get(REVISION_LABEL) or "")


class StatefulSetController(WorkloadController):
    identity = "system:serviceaccount:kube-system:statefulset-controller"
    manager = "kube-controller-manager"
    component = "statefulset-controller"

    def accepts(self, event: WatchEvent) -> bool:
        if event.resource == STATEFUL_SETS:
            return event.type != "DELETED"
        return event.resource == PODS and ownership.controller_kind(event.object) == "StatefulSet"

    def resync(self) -> None:
        for stateful_set in self.state.store.list(STATEFUL_SETS, None):
            self.reconcile(stateful_set)

    def handle(self, event: WatchEvent) -> None:
        if event.resource == STATEFUL_SETS:
            metadata = event.object["metadata"]
            current = self.get(STATEFUL_SETS, str(metadata.get("namespace")), str(metadata["name"]))
        else:
            current = self.controller_of(event.object, STATEFUL_SETS)
        if current is not None:
            self.reconcile(current)

    def reconcile(self, stateful_set: Manifest) -> None:
        if stateful_set["metadata"].get("deletionTimestamp"):
            return
        update_revision = ensure_revision(self, stateful_set, "StatefulSet")
        self._manage(stateful_set, update_revision)
        self._post_status(stateful_set, update_revision)

    def _pods(self, stateful_set: Manifest) -> dict[int, Manifest]:
        name = str(stateful_set["metadata"]["name"])
        found: dict[int, Manifest] = {}
        for pod in self.owned(PODS, stateful_set):
            number = ordinal(pod, name)
            if number is not None:
                found[number] = pod
        return found

    def _manage(self, stateful_set: Manifest, update_revision: str) -> None:
        spec = stateful_set.get("spec") or {}
        replicas = 1 if spec.get("replicas") is None else int(spec["replicas"])
        ordered = spec.get("podManagementPolicy", "OrderedReady") != "Parallel"
        existing = self._pods(stateful_set)
        if ordered and any(pods.terminating(pod) for pod in existing.values()):
            return  # one Pod at a time: wait until the terminating one is gone
        for number, pod in sorted(existing.items(), reverse=True):
            if number >= replicas and not pods.terminating(pod):
                self.remove(PODS, pod)
                if ordered:
                    return
        for number in range(replicas):
            found = existing.get(number)
            if found is not None and pods.terminating(found):
                continue  # its replacement comes once it is gone
            if found is None:
                self._create_pod(stateful_set, number, update_revision)
                if ordered:
                    return
                continue
            if pods.phase(found) in ("Succeeded", "Failed"):
                self.remove(PODS, found)
                return
            if ordered and not (pods.ready(found) and pods.phase(found) == "Running"):
                return
        self._roll(stateful_set, existing, replicas, update_revision)

    def _roll(
        self, stateful_set: Manifest, existing: dict[int, Manifest], replicas: int, update_revision: str
    ) -> None:
        strategy = (stateful_set.get("spec") or {}).get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") != "RollingUpdate":
            return
        partition = int((strategy.get("rollingUpdate") or {}).get("partition") or 0)
        if not all(
            pods.ready(existing[n]) and not pods.terminating(existing[n])
            for n in range(replicas)
            if n in existing
        ):
            return
        for number in range(replicas - 1, partition - 1, -1):
            pod = existing.get(number)
            if pod is not None and revision_of(pod) != update_revision:
                self.remove(PODS, pod)
                return

    def _create_pod(self, stateful_set: Manifest, number: int, revision: str) -> None:
        spec = stateful_set.get("spec") or {}
        set_name = str(stateful_set["metadata"]["name"])
        namespace = str(stateful_set["metadata"]["namespace"])
        pod_name = f"{set_name}-{number}"
        owner = ownership.reference_to(stateful_set, api_version="apps/v1", kind="StatefulSet")
        pod = pods.from_template(
            spec.get("template") or {},
            owner_ref=owner,
            name=pod_name,
            extra_labels={
                REVISION_LABEL: revision,
                "statefulset.kubernetes.io/pod-name": pod_name,
                "apps.kubernetes.io/pod-index": str(number),
            },
        )
        pod["spec"]["hostname"] = pod_name
        if spec.get("serviceName"):
            pod["spec"]["subdomain"] = spec["serviceName"]
        volumes = pod["spec"].setdefault("volumes", [])
        for template in spec.get("volumeClaimTemplates") or []:
            claim = f"{template['metadata']['name']}-{pod_name}"
            self._ensure_claim(stateful_set, template, claim, namespace)
            volumes[:] = [v for v in volumes if v.get("name") != template["metadata"]["name"]]
            volumes.append(
                {"name": template["metadata"]["name"], "persistentVolumeClaim": {"claimName": claim}}
            )
        if not volumes:
            pod["spec"].pop("volumes")
        self.create(PODS, namespace, pod)
        self.event(
            stateful_set,
            "Normal",
            "SuccessfulCreate",
            f"create Pod {pod_name} in StatefulSet {set_name} successful",
        )

    def _ensure_claim(self, stateful_set: Manifest, template: Manifest, claim: str, namespace: str) -> None:
        if self.get(PERSISTENT_VOLUME_CLAIMS, namespace, claim) is not None:
            return
        selector_labels = ((stateful_set.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
        body = {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {
                "name": claim,
                "labels": {**(template["metadata"].get("labels") or {}), **selector_labels},
            },
            "spec": copy.deepcopy(template.get("spec") or {}),
        }
        self.create(PERSISTENT_VOLUME_CLAIMS, namespace, body)

    def _post_status(self, stateful_set: Manifest, update_revision: str) -> None:
        metadata = stateful_set["metadata"]
        current = self.get(STATEFUL_SETS, str(metadata["namespace"]), str(metadata["name"]))
        if current is None:
            return
        spec = current.get("spec") or {}
        replicas = 1 if spec.get("replicas") is None else int(spec["replicas"])
        existing = [pod for pod in self._pods(current).values() if not pods.terminating(pod)]
        old_status = current.get("status") or {}
        current_revision = str(old_status.get("currentRevision") or update_revision)
        updated = sum(1 for pod in existing if revision_of(pod) == update_revision)
        ready = sum(1 for pod in existing if pods.ready(pod))
        if updated == replicas and ready == replicas and len(existing) == replicas:
            current_revision = update_revision
        min_ready = int(spec.get("minReadySeconds") or 0)
        status: Manifest = {
            "observedGeneration": int(metadata.get("generation") or 1),
            "replicas": len(existing),
            "readyReplicas": ready,
            "currentReplicas": sum(1 for pod in existing if revision_of(pod) == current_revision),
            "updatedReplicas": updated,
            "availableReplicas": sum(1 for pod in existing if pods.available(pod, min_ready, clock.now())),
            "currentRevision": current_revision,
            "updateRevision": update_revision,
            "collisionCount": 0,
        }
        status = {
            k: v for k, v in status.items() if v or k in ("replicas", "availableReplicas", "collisionCount")
        }
        self.write_status(STATEFUL_SETS, current, status)
        trim_history(self, current, {current_revision, update_revision})
