"""Scheduler and kubelet: Pods are bound to simulated nodes and go Ready, or fail as the faults say."""

from __future__ import annotations

from typing import Any

from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads.resources import NODES, PODS

from .simulation import Sim

Manifest = dict[str, Any]


def pod(name: str, image: str = "nginx:1.27", *, restart_policy: str = "Always", **spec: Any) -> Manifest:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {"restartPolicy": restart_policy, "containers": [{"name": "app", "image": image}], **spec},
    }


def condition(obj: Manifest | None, kind: str) -> Manifest | None:
    for found in ((obj or {}).get("status") or {}).get("conditions") or []:
        if found.get("type") == kind:
            return dict(found)
    return None


def waiting_reason(obj: Manifest | None) -> str | None:
    statuses = ((obj or {}).get("status") or {}).get("containerStatuses") or []
    return statuses[0].get("state", {}).get("waiting", {}).get("reason") if statuses else None


async def test_three_ready_nodes_exist(sim: Sim) -> None:
    nodes = sim.list(NODES, None)
    assert [n["metadata"]["name"] for n in nodes] == ["kubesim-node-0", "kubesim-node-1", "kubesim-node-2"]
    assert all(condition(n, "Ready")["status"] == "True" for n in nodes)  # type: ignore[index]


async def test_pod_is_scheduled_and_becomes_ready(sim: Sim) -> None:
    sim.create(PODS, pod("web"))
    ready = await sim.wait_for(
        lambda: (p := sim.get(PODS, "web")) and (condition(p, "Ready") or {}).get("status") == "True" and p,
        what="pod Ready",
    )
    status = ready["status"]
    assert ready["spec"]["nodeName"].startswith("kubesim-node-")
    assert status["phase"] == "Running"
    assert {c["type"]: c["status"] for c in status["conditions"]} == {
        "PodReadyToStartContainers": "True",
        "Initialized": "True",
        "Ready": "True",
        "ContainersReady": "True",
        "PodScheduled": "True",
    }
    assert status["podIP"].startswith("10.244.")
    assert status["hostIP"].startswith("172.18.0.")
    container = status["containerStatuses"][0]
    assert container["ready"] is True and container["started"] is True and container["restartCount"] == 0
    assert container["image"] == "docker.io/library/nginx:1.27"
    assert container["imageID"].startswith("docker.io/library/nginx@sha256:")
    assert "startedAt" in container["state"]["running"]


async def test_pods_spread_over_nodes(sim: Sim) -> None:
    for index in range(6):
        sim.create(PODS, pod(f"p{index}"))
    await sim.wait_for(
        lambda: all((p.get("spec") or {}).get("nodeName") for p in sim.list(PODS)), what="bound"
    )
    used = [p["spec"]["nodeName"] for p in sim.list(PODS)]
    assert sorted(used.count(name) for name in set(used)) == [2, 2, 2]


async def test_node_selector_without_match_is_unschedulable(sim: Sim) -> None:
    sim.create(PODS, pod("lonely", nodeSelector={"disk": "ssd"}))
    found = await sim.wait_for(
        lambda: condition(sim.get(PODS, "lonely"), "PodScheduled"), what="PodScheduled"
    )
    assert found["status"] == "False" and found["reason"] == "Unschedulable"
    assert "didn't match Pod's node affinity/selector" in found["message"]


async def test_pod_of_restart_policy_never_succeeds(sim: Sim) -> None:
    sim.create(PODS, pod("once", "busybox", restart_policy="Never"))
    done = await sim.wait_for(
        lambda: (p := sim.get(PODS, "once")) and p.get("status", {}).get("phase") == "Succeeded" and p,
        what="Succeeded",
    )
    terminated = done["status"]["containerStatuses"][0]["state"]["terminated"]
    assert terminated["reason"] == "Completed" and terminated["exitCode"] == 0
    assert condition(done, "Ready")["reason"] == "PodCompleted"  # type: ignore[index]


async def test_denied_tag_gives_err_image_pull_then_back_off(sim: Sim) -> None:
    sim.faults.denied_tags.add("bad")
    sim.create(PODS, pod("broken", "nginx:bad"))
    seen: list[str] = []
    await sim.wait_for(
        lambda: "ImagePullBackOff" in seen,
        what="ImagePullBackOff",
        on_event=lambda e: seen.append(waiting_reason(e.object) or "") if e.resource == PODS else None,
    )
    assert seen.index("ErrImagePull") < seen.index("ImagePullBackOff")
    broken = sim.get(PODS, "broken")
    assert broken is not None and broken["status"]["phase"] == "Pending"
    assert condition(broken, "Ready")["status"] == "False"  # type: ignore[index]
    sim.faults.denied_tags.clear()
    await sim.wait_for(
        lambda: (condition(sim.get(PODS, "broken"), "Ready") or {}).get("status") == "True",
        what="recovered after the fault is lifted",
    )


async def test_registry_not_allowed_fails_to_pull(sim: Sim) -> None:
    sim.faults.allowed_registries.add("registry.internal")
    sim.create(PODS, pod("outside", "ghcr.io/acme/api:1.0"))
    sim.create(PODS, pod("inside", "registry.internal/acme/api:1.0"))
    await sim.wait_for(
        lambda: waiting_reason(sim.get(PODS, "outside")) in ("ErrImagePull", "ImagePullBackOff"),
        what="pull error",
    )
    await sim.wait_for(
        lambda: (condition(sim.get(PODS, "inside"), "Ready") or {}).get("status") == "True",
        what="allowed registry pulls",
    )


async def test_crashing_image_loops_with_growing_restart_count(sim: Sim) -> None:
    sim.faults.crash_images.add("crasher")
    sim.create(PODS, pod("crash", "crasher:1"))

    def restarts() -> int:
        found = sim.get(PODS, "crash")
        statuses = ((found or {}).get("status") or {}).get("containerStatuses") or [{}]
        return int(statuses[0].get("restartCount") or 0)

    await sim.wait_for(lambda: restarts() >= 3, what="three restarts")
    crashed = sim.get(PODS, "crash")
    assert crashed is not None
    assert crashed["status"]["phase"] == "Running"
    assert condition(crashed, "Ready")["status"] == "False"  # type: ignore[index]
    await sim.wait_for(
        lambda: waiting_reason(sim.get(PODS, "crash")) == "CrashLoopBackOff", what="CrashLoopBackOff"
    )
    last = sim.get(PODS, "crash")["status"]["containerStatuses"][0]  # type: ignore[index]
    assert last["lastState"]["terminated"]["exitCode"] == 1


async def test_readiness_delay_keeps_pod_unready_then_ready(sim: Sim) -> None:
    sim.faults.readiness_delays["slow"] = 0.5
    sim.create(PODS, pod("slow", "slow:1"))
    states: list[tuple[bool, bool]] = []

    def observe(event: WatchEvent) -> None:
        statuses = (event.object.get("status") or {}).get("containerStatuses") or []
        if event.resource == PODS and statuses and "running" in statuses[0]["state"]:
            states.append((statuses[0]["started"], statuses[0]["ready"]))

    await sim.wait_for(
        lambda: (condition(sim.get(PODS, "slow"), "Ready") or {}).get("status") == "True",
        what="ready after the delay",
        on_event=observe,
    )
    assert states[0] == (True, False), "running but not ready first"
