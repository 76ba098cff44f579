"""The simulated kubelet of every node: Pods go through the stages KWOK uses.

Bound Pod → (ContainerCreating, Pending) → after the start-up delay its containers run and the
Pod is Ready (phase Running, IPs, container statuses). Pods of a `restartPolicy` other than
`Always` (Jobs) run for a while and then complete (Succeeded). Faults change the path: images that
fail to pull (ErrImagePull / ImagePullBackOff, retried), crashing images (Error, then
CrashLoopBackOff with a growing restartCount and back-off, or Failed for `restartPolicy: Never`),
readiness delays. A Pod being deleted (deletionTimestamp, no finalizers left) is removed.

Every step is recomputed from the Pod's last status and the current faults, so faults changed at
run time apply on the next retry, and a restarted kubesim picks up where it was.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fleetops.kubesim import clock
from fleetops.kubesim.rest.caller import DeleteOptions
from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads import container_status, nodes, pod_status, pods
from fleetops.kubesim.workloads.base import WorkloadController
from fleetops.kubesim.workloads.container_steps import ContainerStep, next_container_step
from fleetops.kubesim.workloads.resources import NODES, PODS
from fleetops.kubesim.writelog import WriteRecord

Manifest = dict[str, Any]


class Kubelet(WorkloadController):
    identity = "system:node:kubesim"
    manager = "kubelet"
    component = "kubelet"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._next_ip: dict[str, int] = {}
        self._starts: dict[tuple[str, str], datetime] = {}

    def accepts(self, event: WatchEvent) -> bool:
        return event.resource == PODS and bool((event.object.get("spec") or {}).get("nodeName"))

    def resync(self) -> None:
        for pod in self.state.store.list(PODS):
            if (pod.get("spec") or {}).get("nodeName"):
                self._sync(pod)

    def handle(self, event: WatchEvent) -> None:
        metadata = event.object["metadata"]
        if event.type == "DELETED":
            self.cancel(metadata.get("uid"))
            for container in (event.object.get("spec") or {}).get("containers") or []:
                self._starts.pop((str(metadata.get("uid")), str(container.get("name"))), None)
            return
        pod = self.get(PODS, str(metadata.get("namespace") or ""), str(metadata["name"]))
        if pod is not None:
            self._sync(pod)

    # -- stages ----------------------------------------------------------------------------------
    def _sync(self, pod: Manifest) -> None:
        uid = pod["metadata"].get("uid")
        if pods.terminating(pod):
            self.cancel(uid)
            if not pod["metadata"].get("finalizers"):
                self._remove(pod)
            return
        node = self.get(NODES, "", str(pod["spec"]["nodeName"]))
        if node is None or pods.phase(pod) in ("Succeeded", "Failed") or self.pending(uid):
            return
        if not (pod.get("status") or {}).get("startTime"):
            self._creating(pod, node)
            self._wake(pod, self.settings.pod_startup_seconds)
            return
        self._step(pod)

    def _wake(self, pod: Manifest, seconds: float) -> None:
        namespace, name, uid = (
            pod["metadata"].get("namespace"),
            pod["metadata"]["name"],
            pod["metadata"]["uid"],
        )

        def step() -> None:
            current = self.get(PODS, str(namespace or ""), str(name))
            if (
                current is not None
                and current["metadata"].get("uid") == uid
                and not pods.terminating(current)
            ):
                self._step(current)

        self.after(seconds, uid, step)

    def _creating(self, pod: Manifest, node: Manifest) -> None:
        now = clock.rfc3339()
        statuses = [
            container_status.waiting(c, "ContainerCreating") for c in pod["spec"].get("containers") or []
        ]
        status = pod_status.assemble(
            pod, statuses, phase="Pending", now=now, host_ip=nodes.address_of(node), pod_ip="", start_time=now
        )
        status.pop("initContainerStatuses", None)
        self.write_status(PODS, pod, status)

    def _step(self, pod: Manifest) -> None:
        node = self.get(NODES, "", str(pod["spec"].get("nodeName")))
        if node is None:
            return
        moment = clock.now()
        restart_policy = str(pod["spec"].get("restartPolicy") or "Always")
        uid = str(pod["metadata"]["uid"])
        pod_name = f"{pod['metadata']['name']}_{pod['metadata'].get('namespace')}({uid})"
        steps: list[ContainerStep] = []
        for container in pod["spec"].get("containers") or []:
            name = str(container.get("name"))
            step = next_container_step(
                container,
                container_status.previous(pod, name),
                pod_name=pod_name,
                restart_policy=restart_policy,
                settings=self.settings,
                moment=moment,
                known_start=self._starts.get((uid, name)),
            )
            if step.started_moment is not None:
                self._starts[(uid, name)] = step.started_moment
            self._container_events(pod, container, step.status)
            steps.append(step)
        phase = _phase(steps, restart_policy)
        status = pod_status.assemble(
            pod,
            [step.status for step in steps],
            phase=phase,
            now=clock.rfc3339(moment),
            host_ip=nodes.address_of(node),
            pod_ip=self._pod_ip(pod, node),
            start_time=str(pod["status"]["startTime"]),
            completed=phase in ("Succeeded", "Failed"),
        )
        stored = self.write_status(PODS, pod, status)
        waits = [step.wake_after for step in steps if step.wake_after is not None]
        if waits and phase not in ("Succeeded", "Failed"):
            self._wake(stored, min(waits))

    def _container_events(self, pod: Manifest, container: Manifest, status: Manifest) -> None:
        """The Events a kubelet records when a container changes state."""
        name = str(container.get("name"))
        image = str(container.get("image") or "")
        previous = container_status.previous(pod, name) or {}
        before = _state_reason(previous)
        after = _state_reason(status)
        restarted = int(status.get("restartCount") or 0) != int(previous.get("restartCount") or 0)
        if before == after and not restarted:
            return
        path = f"spec.containers{{{name}}}"
        node = str(pod["spec"].get("nodeName") or "")

        def emit(kind: str, reason: str, message: str) -> None:
            self.event(pod, kind, reason, message, field_path=path, host=node)

        if after in ("running", "terminated:Error") and before not in ("running",):
            emit("Normal", "Pulled", f'Container image "{image}" already present on machine')
            emit("Normal", "Created", f"Created container: {name}")
            emit("Normal", "Started", f"Started container {name}")
        elif after == "waiting:ErrImagePull":
            message = str(((status.get("state") or {}).get("waiting") or {}).get("message") or "")
            emit("Normal", "Pulling", f'Pulling image "{image}"')
            emit("Warning", "Failed", f'Failed to pull image "{image}": {message}')
            emit("Warning", "Failed", "Error: ErrImagePull")
        elif after == "waiting:ImagePullBackOff":
            emit("Normal", "BackOff", f'Back-off pulling image "{image}"')
            emit("Warning", "Failed", "Error: ImagePullBackOff")
        elif after == "waiting:CrashLoopBackOff":
            metadata = pod["metadata"]
            emit(
                "Warning",
                "BackOff",
                f"Back-off restarting failed container {name} in pod "
                f"{metadata['name']}_{metadata.get('namespace')}({metadata.get('uid')})",
            )

    def _pod_ip(self, pod: Manifest, node: Manifest) -> str:
        existing = (pod.get("status") or {}).get("podIP")
        if existing:
            return str(existing)
        if (pod.get("spec") or {}).get("hostNetwork"):
            return nodes.address_of(node)
        index = nodes.index_of(node)
        name = str(node["metadata"]["name"])
        number = self._next_ip.get(name, 0)
        self._next_ip[name] = number + 1
        return f"10.244.{index}.{2 + number % 252}"

    def _remove(self, pod: Manifest) -> None:
        """The kubelet's final delete of a terminated Pod (grace period over)."""
        metadata = pod["metadata"]
        namespace, name = str(metadata.get("namespace") or ""), str(metadata["name"])
        self.deleter.delete(
            self.info(PODS), namespace, name, DeleteOptions(grace_period_seconds=0), self.caller
        )
        if self.get(PODS, namespace, name) is None:
            return
        gone = self.state.store.delete(PODS, namespace, name)
        if gone is None:
            return
        self.state.write_log.record(
            WriteRecord(
                verb="delete",
                resource="pods",
                namespace=str(metadata.get("namespace") or ""),
                name=str(metadata["name"]),
                field_manager="",
                identity=self.identity,
                user_agent=self.caller.user_agent,
                time=clock.rfc3339_micro(),
                resource_version=str(gone["metadata"].get("resourceVersion") or ""),
            )
        )


def _phase(steps: list[ContainerStep], restart_policy: str) -> str:
    if not steps:
        return "Pending"
    if all(step.finished for step in steps) and restart_policy != "Always":
        failed = any(step.exit_code for step in steps)
        if not failed:
            return "Succeeded"
        if restart_policy == "Never":
            return "Failed"
    if any(step.started for step in steps):
        return "Running"
    return "Pending"


def _state_reason(status: Manifest) -> str:
    """`running`, `waiting:<reason>`, `terminated:<reason>`, or "" for no state."""
    for kind, body in (status.get("state") or {}).items():
        if kind == "running":
            return "running"
        return f"{kind}:{(body or {}).get('reason') or ''}"
    return ""
