"""A Pod's `status` from its containers' statuses: phase, conditions, IPs, QoS class."""

from __future__ import annotations

from typing import Any

from fleetops.kubesim.workloads import conditions, container_status

Manifest = dict[str, Any]


def qos_class(pod: Manifest) -> str:
    containers = list((pod.get("spec") or {}).get("containers") or [])
    requests = [((c.get("resources") or {}).get("requests") or {}) for c in containers]
    limits = [((c.get("resources") or {}).get("limits") or {}) for c in containers]
    if not any(requests) and not any(limits):
        return "BestEffort"
    guaranteed = all(
        lim.get("cpu")
        and lim.get("memory")
        and req.get("cpu", lim["cpu"]) == lim["cpu"]
        and req.get("memory", lim["memory"]) == lim["memory"]
        for req, lim in zip(requests, limits, strict=True)
    )
    return "Guaranteed" if guaranteed else "Burstable"


def _not_ready_message(statuses: list[Manifest]) -> str:
    names = " ".join(str(s.get("name")) for s in statuses if not s.get("ready"))
    return f"containers with unready status: [{names}]"


def assemble(
    pod: Manifest,
    container_statuses: list[Manifest],
    *,
    phase: str,
    now: str,
    host_ip: str,
    pod_ip: str,
    start_time: str,
    completed: bool = False,
) -> Manifest:
    """The status a kubelet posts; conditions keep their `lastTransitionTime` when unchanged."""
    old = pod.get("status") or {}
    found = list(old.get("conditions") or [])
    ready = bool(container_statuses) and all(s.get("ready") for s in container_statuses)
    started = any(s.get("started") or "terminated" in (s.get("state") or {}) for s in container_statuses)
    if completed:
        ready_status, reason, message = "False", "PodCompleted", ""
    elif ready:
        ready_status, reason, message = "True", "", ""
    else:
        ready_status, reason, message = "False", "ContainersNotReady", _not_ready_message(container_statuses)
    found = conditions.put(found, "PodReadyToStartContainers", "True", "", "", now=now, probe_time=True)
    found = conditions.put(
        found, "Initialized", "True", "PodCompleted" if completed else "", "", now=now, probe_time=True
    )
    found = conditions.put(found, "Ready", ready_status, reason, message, now=now, probe_time=True)
    found = conditions.put(found, "ContainersReady", ready_status, reason, message, now=now, probe_time=True)
    found = conditions.put(found, "PodScheduled", "True", "", "", now=now, probe_time=True)
    order = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
    found.sort(key=lambda c: order.index(c["type"]) if c.get("type") in order else len(order))
    status: Manifest = {
        "phase": phase,
        "conditions": found,
        "hostIP": host_ip,
        "hostIPs": [{"ip": host_ip}],
        "startTime": start_time,
        "containerStatuses": container_statuses,
        "qosClass": qos_class(pod),
    }
    if pod_ip and (started or phase == "Running"):
        status["podIP"] = pod_ip
        status["podIPs"] = [{"ip": pod_ip}]
    init = list((pod.get("spec") or {}).get("initContainers") or [])
    if init:
        status["initContainerStatuses"] = [_init_done(c, start_time) for c in init]
    return status


def _init_done(container: Manifest, start_time: str) -> Manifest:
    return container_status.terminated(
        container, exit_code=0, reason="Completed", started_at=start_time, finished_at=start_time
    )


def scheduled(pod: Manifest, now: str) -> Manifest:
    """The status the scheduler leaves after binding (only `PodScheduled`)."""
    old = pod.get("status") or {}
    found = conditions.put(
        list(old.get("conditions") or []), "PodScheduled", "True", "", "", now=now, probe_time=True
    )
    return {
        **old,
        "phase": old.get("phase") or "Pending",
        "conditions": found,
        "qosClass": old.get("qosClass") or qos_class(pod),
    }


def unschedulable(pod: Manifest, message: str, now: str) -> Manifest:
    old = pod.get("status") or {}
    found = conditions.put(
        list(old.get("conditions") or []),
        "PodScheduled",
        "False",
        "Unschedulable",
        message,
        now=now,
        probe_time=True,
    )
    return {**old, "phase": "Pending", "conditions": found, "qosClass": old.get("qosClass") or qos_class(pod)}
