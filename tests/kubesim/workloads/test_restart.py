"""A restarted kubesim (`--data-dir`) picks up its workloads where they were."""

from __future__ import annotations

import copy
from pathlib import Path

from fleetops.kubesim.cluster import SimCluster
from fleetops.kubesim.workloads import WorkloadExtension, WorkloadSettings
from fleetops.kubesim.workloads.resources import DEPLOYMENTS, NODES, PODS, REPLICA_SETS

from .simulation import Sim


def settings() -> WorkloadSettings:
    return WorkloadSettings(pod_startup_seconds=0.05)


def deployment(image: str) -> dict[str, object]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "a", "image": image}]},
            },
        },
    }


def rolled_out(sim: Sim, generation: int) -> bool:
    found = sim.get(DEPLOYMENTS, "web") or {}
    status = found.get("status") or {}
    return (
        status.get("observedGeneration") == generation
        and status.get("availableReplicas") == 2
        and status.get("updatedReplicas") == 2
        and status.get("replicas") == 2
    )


async def test_workloads_survive_a_restart_and_keep_rolling(tmp_path: Path) -> None:
    first = SimCluster("dev", data_dir=tmp_path, tls=False, extension=WorkloadExtension(settings()))
    await first.start()
    try:
        assert first.state is not None
        sim = Sim(first.state, settings())
        sim.create(DEPLOYMENTS, deployment("nginx:1.27"))
        await sim.wait_for(lambda: rolled_out(sim, 1), what="first rollout")
        pods_before = sorted(p["metadata"]["name"] for p in sim.list(PODS))
        sets_before = sorted(rs["metadata"]["name"] for rs in sim.list(REPLICA_SETS))
    finally:
        await first.stop()
    second = SimCluster("dev", data_dir=tmp_path, tls=False, extension=WorkloadExtension(settings()))
    await second.start()
    try:
        assert second.state is not None
        sim = Sim(second.state, settings())
        assert len(sim.list(NODES, None)) == 3, "nodes are not created twice"
        assert sorted(p["metadata"]["name"] for p in sim.list(PODS)) == pods_before
        assert sorted(rs["metadata"]["name"] for rs in sim.list(REPLICA_SETS)) == sets_before
        assert rolled_out(sim, 1)
        changed = copy.deepcopy(sim.get(DEPLOYMENTS, "web"))
        assert changed is not None
        changed["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
        sim.update(DEPLOYMENTS, changed)
        await sim.wait_for(lambda: rolled_out(sim, 2), what="rollout after the restart")
        assert len(sim.list(REPLICA_SETS)) == 2
    finally:
        await second.stop()
