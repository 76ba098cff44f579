"""The DaemonSet controller: one Pod on every schedulable node that fits the nodeSelector, rolling
updates `maxUnavailable` nodes at a time, and the status `kubectl rollout status` reads."""

from __future__ import annotations

import copy
from typing import Any

from fleetops.kubesim import clock
from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads import intstr, nodes, ownership, pods
from fleetops.kubesim.workloads.base import WorkloadController
from fleetops.kubesim.workloads.resources import DAEMON_SETS, NODES, PODS
from fleetops.kubesim.workloads.revisions import REVISION_LABEL, ensure_revision, trim_history

Manifest = dict[str, Any]


def _fits(daemon_set: Manifest, node: Manifest) -> bool:
    selector = (((daemon_set.get("spec") or {}).get("template") or {}).get("spec") or {}).get(
        "nodeSelector"
    ) or {}
    labels = node["metadata"].get("labels") or {}
    return nodes.schedulable(node) and all(labels.get(k) == v for k, v in selector.items())


def _revision(pod: Manifest) -> str:
    return str((pod["metadata"].get("labels") or {}).get(REVISION_LABEL) or "")


class DaemonSetController(WorkloadController):
    identity = "system:serviceaccount:kube-system:daemon-set-controller"
    manager = "kube-controller-manager"
    component = "daemonset-controller"

    def accepts(self, event: WatchEvent) -> bool:
        if event.resource == DAEMON_SETS:
            return event.type != "DELETED"
        if event.resource == NODES:
            return True
        return event.resource == PODS and ownership.controller_kind(event.object) == "DaemonSet"

    def resync(self) -> None:
        for daemon_set in self.state.store.list(DAEMON_SETS, None):
            self.reconcile(daemon_set)

    def handle(self, event: WatchEvent) -> None:
        if event.resource == NODES:
            self.resync()
            return
        if event.resource == DAEMON_SETS:
            metadata = event.object["metadata"]
            current = self.get(DAEMON_SETS, str(metadata.get("namespace")), str(metadata["name"]))
        else:
            current = self.controller_of(event.object, DAEMON_SETS)
        if current is not None:
            self.reconcile(current)

    def reconcile(self, daemon_set: Manifest) -> None:
        if daemon_set["metadata"].get("deletionTimestamp"):
            return
        revision = ensure_revision(self, daemon_set, "DaemonSet")
        wanted = [node for node in self.state.store.list(NODES) if _fits(daemon_set, node)]
        self._manage(daemon_set, wanted, revision)
        self._post_status(daemon_set, wanted, revision)

    def _by_node(self, daemon_set: Manifest) -> dict[str, list[Manifest]]:
        found: dict[str, list[Manifest]] = {}
        for pod in self.owned(PODS, daemon_set):
            if not pods.terminating(pod):
                found.setdefault(str((pod.get("spec") or {}).get("nodeName") or ""), []).append(pod)
        return found

    def _manage(self, daemon_set: Manifest, wanted: list[Manifest], revision: str) -> None:
        by_node = self._by_node(daemon_set)
        wanted_names = {str(node["metadata"]["name"]) for node in wanted}
        for node_name, placed in by_node.items():
            for pod in placed[1:] if node_name in wanted_names else placed:
                self.remove(PODS, pod)
        busy = {
            str((pod.get("spec") or {}).get("nodeName"))
            for pod in self.owned(PODS, daemon_set)
            if pods.terminating(pod)
        }
        for node_name in sorted(wanted_names - set(by_node) - busy):
            self._create_pod(daemon_set, node_name, revision)
        self._roll(
            daemon_set, {n: p[0] for n, p in by_node.items() if n in wanted_names}, len(wanted), revision
        )

    def _roll(self, daemon_set: Manifest, placed: dict[str, Manifest], desired: int, revision: str) -> None:
        strategy = (daemon_set.get("spec") or {}).get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") != "RollingUpdate":
            return
        budget = (
            intstr.scaled_value(
                (strategy.get("rollingUpdate") or {}).get("maxUnavailable", 1), desired, round_up=True
            )
            or 1
        )
        unavailable = desired - sum(1 for pod in placed.values() if pods.ready(pod))
        for pod in sorted(placed.values(), key=lambda p: str(p["spec"].get("nodeName"))):
            if unavailable >= budget:
                return
            if _revision(pod) != revision:
                was_ready = pods.ready(pod)
                self.remove(PODS, pod)
                unavailable += 1 if was_ready else 0

    def _create_pod(self, daemon_set: Manifest, node_name: str, revision: str) -> None:
        spec = daemon_set.get("spec") or {}
        owner = ownership.reference_to(daemon_set, api_version="apps/v1", kind="DaemonSet")
        pod = pods.from_template(
            spec.get("template") or {},
            owner_ref=owner,
            generate_name=f"{daemon_set['metadata']['name']}-",
            extra_labels={
                REVISION_LABEL: revision,
                "pod-template-generation": str(daemon_set["metadata"].get("generation") or 1),
            },
        )
        pod["spec"]["nodeName"] = node_name
        pod["spec"]["affinity"] = {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node_name]}]}
                    ]
                }
            }
        }
        tolerations = list(pod["spec"].get("tolerations") or [])
        for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
            tolerations.append({"key": key, "operator": "Exists", "effect": "NoExecute"})
        pod["spec"]["tolerations"] = tolerations
        created = self.create(PODS, str(daemon_set["metadata"]["namespace"]), pod)
        self.event(daemon_set, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}")

    def _post_status(self, daemon_set: Manifest, wanted: list[Manifest], revision: str) -> None:
        metadata = daemon_set["metadata"]
        current = self.get(DAEMON_SETS, str(metadata["namespace"]), str(metadata["name"]))
        if current is None:
            return
        wanted_names = {str(node["metadata"]["name"]) for node in wanted}
        by_node = self._by_node(current)
        placed = [p[0] for n, p in by_node.items() if n in wanted_names]
        min_ready = int((current.get("spec") or {}).get("minReadySeconds") or 0)
        moment = clock.now()
        available = sum(1 for pod in placed if pods.available(pod, min_ready, moment))
        status: Manifest = {
            "currentNumberScheduled": len(placed),
            "desiredNumberScheduled": len(wanted_names),
            "numberMisscheduled": sum(1 for n in by_node if n not in wanted_names),
            "numberReady": sum(1 for pod in placed if pods.ready(pod)),
            "numberAvailable": available,
            "numberUnavailable": len(wanted_names) - available,
            "observedGeneration": int(metadata.get("generation") or 1),
            "updatedNumberScheduled": sum(1 for pod in placed if _revision(pod) == revision),
        }
        for key in ("numberAvailable", "numberUnavailable", "updatedNumberScheduled"):
            if not status[key]:
                status.pop(key)
        self.write_status(DAEMON_SETS, current, copy.deepcopy(status))
        trim_history(self, current, {revision})
