"""The scheduler: binds each pending Pod to a Ready node that fits its nodeSelector (fewest pods first)."""

from __future__ import annotations

import copy
from typing import Any

from fleetops.kubesim import clock
from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads import nodes, pod_status, pods
from fleetops.kubesim.workloads.base import WorkloadController
from fleetops.kubesim.workloads.resources import NODES, PODS

Manifest = dict[str, Any]


def _fits(pod: Manifest, node: Manifest) -> bool:
    selector = (pod.get("spec") or {}).get("nodeSelector") or {}
    labels = node["metadata"].get("labels") or {}
    return all(labels.get(key) == value for key, value in selector.items())


class Scheduler(WorkloadController):
    identity = "system:kube-scheduler"
    manager = "kube-scheduler"
    component = "default-scheduler"

    def accepts(self, event: WatchEvent) -> bool:
        if event.resource == NODES:
            return event.type != "DELETED"
        return (
            event.resource == PODS
            and event.type != "DELETED"
            and not (event.object.get("spec") or {}).get("nodeName")
        )

    def resync(self) -> None:
        self._schedule_all()

    def handle(self, event: WatchEvent) -> None:
        if event.resource == NODES:
            self._schedule_all()
            return
        pod = self.get(
            PODS, str(event.object["metadata"].get("namespace")), str(event.object["metadata"]["name"])
        )
        if pod is not None:
            self._schedule(pod)

    def _schedule_all(self) -> None:
        for pod in self.state.store.list(PODS):
            if not (pod.get("spec") or {}).get("nodeName"):
                self._schedule(pod)

    def _schedule(self, pod: Manifest) -> None:
        spec = pod.get("spec") or {}
        scheduler_name = spec.get("schedulerName", "default-scheduler")
        if spec.get("nodeName") or pods.terminating(pod) or scheduler_name != "default-scheduler":
            return
        candidates = [node for node in self.state.store.list(NODES) if nodes.schedulable(node)]
        fitting = [node for node in candidates if _fits(pod, node)]
        now = clock.rfc3339()
        if not fitting:
            total = len(self.state.store.list(NODES))
            message = (
                f"0/{total} nodes are available: {total - len(candidates)} node(s) were "
                f"unschedulable, {len(candidates)} node(s) didn't match Pod's node affinity/selector. "
                f"preemption: 0/{total} nodes are available: {total} Preemption is not helpful for "
                "scheduling."
            )
            self.write_status(PODS, pod, pod_status.unschedulable(pod, message, now))
            self.event(pod, "Warning", "FailedScheduling", message)
            return
        load = {
            str(node["metadata"]["name"]): sum(
                1 for other in self.index.pods_on(str(node["metadata"]["name"])) if pods.active(other)
            )
            for node in fitting
        }
        chosen = min(load, key=lambda name: (load[name], name))
        bound_pod = copy.deepcopy(pod)
        bound_pod["spec"]["nodeName"] = chosen
        stored = self.write(PODS, bound_pod)
        self.write_status(PODS, stored, pod_status.scheduled(stored, now))
        where = f"{stored['metadata'].get('namespace')}/{stored['metadata']['name']}"
        self.event(stored, "Normal", "Scheduled", f"Successfully assigned {where} to {chosen}")
