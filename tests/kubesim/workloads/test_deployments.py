"""Deployments: ReplicaSets, Pods, rolling updates within maxSurge/maxUnavailable, status and conditions
as `kubectl rollout status` and Argo CD read them."""

from __future__ import annotations

import copy
from typing import Any

from fleetops.kubesim.rest.caller import DeleteOptions
from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads.resources import DEPLOYMENTS, EVENTS, PODS, REPLICA_SETS

from .simulation import USER, Manifest, Sim


def deployment(name: str = "web", image: str = "nginx:1.27", replicas: int = 3, **spec: Any) -> Manifest:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "app", "image": image}]},
            },
            **spec,
        },
    }


def rollout_status(obj: Manifest | None) -> str:
    """What `kubectl rollout status` decides for a Deployment (its documented rules)."""
    assert obj is not None
    spec, status = obj["spec"], obj.get("status") or {}
    if obj["metadata"]["generation"] > status.get("observedGeneration", 0):
        return "waiting: generation"
    for condition in status.get("conditions") or []:
        if condition["type"] == "Progressing" and condition.get("reason") == "ProgressDeadlineExceeded":
            return "error: exceeded its progress deadline"
    replicas = spec.get("replicas", 1)
    if status.get("updatedReplicas", 0) < replicas:
        return "waiting: updated"
    if status.get("replicas", 0) > status.get("updatedReplicas", 0):
        return "waiting: old replicas pending termination"
    if status.get("availableReplicas", 0) < status.get("updatedReplicas", 0):
        return "waiting: available"
    return "successfully rolled out"


def conditions_of(obj: Manifest | None) -> dict[str, Manifest]:
    return {c["type"]: c for c in ((obj or {}).get("status") or {}).get("conditions") or []}


def running_pods(sim: Sim, prefix: str = "web-") -> list[Manifest]:
    """The Deployment's Pods that count against maxSurge: those not being deleted (as in Kubernetes)."""
    return [
        p
        for p in sim.list(PODS)
        if p["metadata"]["name"].startswith(prefix) and not p["metadata"].get("deletionTimestamp")
    ]


def ready_pods(sim: Sim, prefix: str = "web-") -> list[Manifest]:
    return [
        p
        for p in running_pods(sim, prefix)
        if any(
            c["type"] == "Ready" and c["status"] == "True"
            for c in (p.get("status") or {}).get("conditions") or []
        )
    ]


async def test_deployment_gets_replica_set_and_ready_pods(sim: Sim) -> None:
    sim.create(DEPLOYMENTS, deployment())
    done = await sim.wait_for(
        lambda: (d := sim.get(DEPLOYMENTS, "web")) and rollout_status(d) == "successfully rolled out" and d,
        what="rolled out",
    )
    sets = sim.list(REPLICA_SETS)
    assert len(sets) == 1
    rs = sets[0]
    hashed = rs["metadata"]["labels"]["pod-template-hash"]
    assert rs["metadata"]["name"] == f"web-{hashed}"
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", "pod-template-hash": hashed}
    assert rs["spec"]["template"]["metadata"]["labels"]["pod-template-hash"] == hashed
    owner = rs["metadata"]["ownerReferences"][0]
    assert owner["kind"] == "Deployment" and owner["controller"] and owner["blockOwnerDeletion"]
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "3"
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "4"
    assert done["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    web_pods = [p for p in sim.list(PODS) if p["metadata"]["name"].startswith(f"web-{hashed}-")]
    assert len(web_pods) == 3
    assert all(len(p["metadata"]["name"]) == len(f"web-{hashed}-") + 5 for p in web_pods)
    assert all(p["metadata"]["labels"]["pod-template-hash"] == hashed for p in web_pods)
    status = done["status"]
    assert {
        k: status.get(k)
        for k in ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas", "availableReplicas")
    } == {
        "observedGeneration": 1,
        "replicas": 3,
        "updatedReplicas": 3,
        "readyReplicas": 3,
        "availableReplicas": 3,
    }
    assert "unavailableReplicas" not in status
    conditions = conditions_of(done)
    assert (conditions["Available"]["status"], conditions["Available"]["reason"]) == (
        "True",
        "MinimumReplicasAvailable",
    )
    assert (conditions["Progressing"]["status"], conditions["Progressing"]["reason"]) == (
        "True",
        "NewReplicaSetAvailable",
    )
    assert conditions["Progressing"]["message"] == f'ReplicaSet "web-{hashed}" has successfully progressed.'


async def test_image_change_rolls_within_surge_and_unavailability(sim: Sim) -> None:
    spec: dict[str, Any] = {
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 1}}
    }
    sim.create(DEPLOYMENTS, deployment(replicas=4, **spec))
    await sim.wait_for(
        lambda: rollout_status(sim.get(DEPLOYMENTS, "web")) == "successfully rolled out", what="first rollout"
    )
    observed: list[tuple[int, int]] = []

    def observe(event: WatchEvent) -> None:
        web = running_pods(sim)
        observed.append((len(web), len(ready_pods(sim))))

    changed = copy.deepcopy(sim.get(DEPLOYMENTS, "web"))
    assert changed is not None
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    sim.update(DEPLOYMENTS, changed)
    done = await sim.wait_for(
        lambda: (
            (d := sim.get(DEPLOYMENTS, "web"))
            and rollout_status(d) == "successfully rolled out"
            and d["status"]["observedGeneration"] == 2
            and d
        ),
        what="second rollout",
        on_event=observe,
    )
    assert observed, "the rollout took steps"
    assert max(total for total, _ in observed) <= 4 + 1
    assert min(ready for _, ready in observed) >= 4 - 1
    assert max(total for total, _ in observed) == 5, "the surge was used"
    await sim.wait_for(
        lambda: {p["spec"]["containers"][0]["image"] for p in sim.list(PODS)} == {"nginx:1.28"},
        what="only new pods remain",
    )
    sets = sorted(
        sim.list(REPLICA_SETS),
        key=lambda rs: rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
    )
    assert [rs["spec"]["replicas"] for rs in sets] == [0, 4]
    assert done["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"


async def test_percentages_round_surge_up_and_unavailability_down(sim: Sim) -> None:
    sim.create(DEPLOYMENTS, deployment(replicas=10))
    await sim.wait_for(
        lambda: rollout_status(sim.get(DEPLOYMENTS, "web")) == "successfully rolled out", what="first rollout"
    )
    rs = sim.list(REPLICA_SETS)[0]
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "13"
    observed: list[tuple[int, int]] = []
    changed = copy.deepcopy(sim.get(DEPLOYMENTS, "web"))
    assert changed is not None
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    sim.update(DEPLOYMENTS, changed)
    await sim.wait_for(
        lambda: (
            (d := sim.get(DEPLOYMENTS, "web"))
            and rollout_status(d) == "successfully rolled out"
            and d["status"]["observedGeneration"] == 2
        ),
        what="rollout",
        on_event=lambda _e: observed.append(
            (
                len(running_pods(sim)),
                len(ready_pods(sim)),
            )
        ),
    )
    assert max(total for total, _ in observed) <= 13
    assert min(ready for _, ready in observed) >= 8


async def test_denied_image_exceeds_progress_deadline(sim: Sim) -> None:
    sim.faults.denied_tags.add("nope")
    sim.create(DEPLOYMENTS, deployment(image="nginx:nope", progressDeadlineSeconds=1))
    done = await sim.wait_for(
        lambda: (d := sim.get(DEPLOYMENTS, "web")) and rollout_status(d).startswith("error") and d,
        what="ProgressDeadlineExceeded",
    )
    conditions = conditions_of(done)
    assert conditions["Progressing"]["status"] == "False"
    assert conditions["Progressing"]["reason"] == "ProgressDeadlineExceeded"
    assert conditions["Available"]["reason"] == "MinimumReplicasUnavailable"
    assert done["status"]["unavailableReplicas"] == 3

    def pull_failures() -> set[str]:
        return {
            ((p.get("status") or {}).get("containerStatuses") or [{}])[0]
            .get("state", {})
            .get("waiting", {})
            .get("reason", "")
            for p in sim.list(PODS)
            if p["metadata"]["name"].startswith("web-")
        }

    await sim.wait_for(lambda: pull_failures() <= {"ErrImagePull", "ImagePullBackOff"}, what="pull failures")


async def test_restart_annotation_rolls_new_pods(sim: Sim) -> None:
    sim.create(DEPLOYMENTS, deployment(replicas=2))
    await sim.wait_for(
        lambda: rollout_status(sim.get(DEPLOYMENTS, "web")) == "successfully rolled out", what="up"
    )
    before = {p["metadata"]["name"] for p in sim.list(PODS)}
    changed = copy.deepcopy(sim.get(DEPLOYMENTS, "web"))
    assert changed is not None
    changed["spec"]["template"]["metadata"]["annotations"] = {
        "kubectl.kubernetes.io/restartedAt": "2026-11-30T02:00:00Z"
    }
    sim.update(DEPLOYMENTS, changed)
    await sim.wait_for(
        lambda: (
            (d := sim.get(DEPLOYMENTS, "web"))
            and d.get("status", {}).get("observedGeneration") == 2
            and rollout_status(d) == "successfully rolled out"
        ),
        what="restarted",
    )
    after = await sim.wait_for(
        lambda: not before & (names := {p["metadata"]["name"] for p in sim.list(PODS)}) and names,
        what="old pods gone",
    )
    assert len(after) == 2


async def test_recreate_removes_old_pods_before_new_ones(sim: Sim) -> None:
    sim.create(DEPLOYMENTS, deployment(replicas=2, strategy={"type": "Recreate"}))
    await sim.wait_for(
        lambda: rollout_status(sim.get(DEPLOYMENTS, "web")) == "successfully rolled out", what="up"
    )
    mixed: list[bool] = []

    def observe(_event: WatchEvent) -> None:
        images = {
            p["spec"]["containers"][0]["image"]
            for p in sim.list(PODS)
            if p["metadata"]["name"].startswith("web-")
        }
        mixed.append(len(images) > 1)

    changed = copy.deepcopy(sim.get(DEPLOYMENTS, "web"))
    assert changed is not None
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    sim.update(DEPLOYMENTS, changed)
    await sim.wait_for(
        lambda: (
            (d := sim.get(DEPLOYMENTS, "web"))
            and d.get("status", {}).get("observedGeneration") == 2
            and rollout_status(d) == "successfully rolled out"
        ),
        what="recreated",
        on_event=observe,
    )
    assert not any(mixed)


async def test_scale_and_pause(sim: Sim) -> None:
    sim.create(DEPLOYMENTS, deployment(replicas=2))
    await sim.wait_for(
        lambda: rollout_status(sim.get(DEPLOYMENTS, "web")) == "successfully rolled out", what="up"
    )
    changed = copy.deepcopy(sim.get(DEPLOYMENTS, "web"))
    assert changed is not None
    changed["spec"]["replicas"] = 4
    changed["spec"]["paused"] = True
    sim.update(DEPLOYMENTS, changed)
    await sim.wait_for(lambda: len(ready_pods(sim)) == 4, what="scaled while paused")
    paused = await sim.wait_for(
        lambda: (
            (c := conditions_of(sim.get(DEPLOYMENTS, "web")).get("Progressing"))
            and c["reason"] == "DeploymentPaused"
            and c
        ),
        what="paused condition",
    )
    assert paused["status"] == "Unknown"
    changed = copy.deepcopy(sim.get(DEPLOYMENTS, "web"))
    assert changed is not None
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    sim.update(DEPLOYMENTS, changed)
    assert len(sim.list(REPLICA_SETS)) == 1, "a paused Deployment does not roll"
    changed = copy.deepcopy(sim.get(DEPLOYMENTS, "web"))
    assert changed is not None
    changed["spec"]["paused"] = False
    sim.update(DEPLOYMENTS, changed)
    await sim.wait_for(
        lambda: (
            (d := sim.get(DEPLOYMENTS, "web"))
            and d.get("status", {}).get("observedGeneration") == 4
            and rollout_status(d) == "successfully rolled out"
        ),
        what="resumed and rolled",
    )
    assert len(sim.list(REPLICA_SETS)) == 2


async def test_revision_history_limit_keeps_old_replica_sets(sim: Sim) -> None:
    sim.create(DEPLOYMENTS, deployment(replicas=1, revisionHistoryLimit=1))
    await sim.wait_for(
        lambda: rollout_status(sim.get(DEPLOYMENTS, "web")) == "successfully rolled out", what="up"
    )
    for version in ("1.28", "1.29", "1.30"):
        changed = copy.deepcopy(sim.get(DEPLOYMENTS, "web"))
        assert changed is not None
        generation = changed["metadata"]["generation"]
        changed["spec"]["template"]["spec"]["containers"][0]["image"] = f"nginx:{version}"
        sim.update(DEPLOYMENTS, changed)
        await sim.wait_for(
            lambda g=generation: (
                (d := sim.get(DEPLOYMENTS, "web"))
                and d.get("status", {}).get("observedGeneration") == g + 1
                and rollout_status(d) == "successfully rolled out"
            ),
            what=version,
        )
    await sim.wait_for(lambda: len(sim.list(REPLICA_SETS)) == 2, what="history trimmed to one old ReplicaSet")
    revisions = sorted(
        rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] for rs in sim.list(REPLICA_SETS)
    )
    assert revisions == ["3", "4"]


async def test_controllers_and_kubelet_record_events(sim: Sim) -> None:
    sim.create(DEPLOYMENTS, deployment(replicas=1))
    await sim.wait_for(
        lambda: rollout_status(sim.get(DEPLOYMENTS, "web")) == "successfully rolled out", what="up"
    )

    def reasons(kind: str) -> set[str]:
        return {e["reason"] for e in sim.list(EVENTS) if e["involvedObject"]["kind"] == kind}

    await sim.wait_for(
        lambda: {"Scheduled", "Pulled", "Created", "Started"} <= reasons("Pod"), what="pod events"
    )
    assert reasons("Deployment") == {"ScalingReplicaSet"}
    assert reasons("ReplicaSet") == {"SuccessfulCreate"}
    scaled = next(e for e in sim.list(EVENTS) if e["reason"] == "ScalingReplicaSet")
    assert scaled["message"].startswith("Scaled up replica set web-") and scaled["message"].endswith(
        "from 0 to 1"
    )
    assert scaled["source"] == {"component": "deployment-controller"}


async def test_recreated_deployment_adopts_what_an_orphaning_delete_left(sim: Sim) -> None:
    sim.create(DEPLOYMENTS, deployment(replicas=2))
    await sim.wait_for(
        lambda: rollout_status(sim.get(DEPLOYMENTS, "web")) == "successfully rolled out", what="up"
    )
    pods_before = sorted(p["metadata"]["name"] for p in sim.list(PODS))
    sets_before = [rs["metadata"]["name"] for rs in sim.list(REPLICA_SETS)]
    sim.deleter.delete(
        sim.state.info_for(DEPLOYMENTS), "default", "web", DeleteOptions(propagation="Orphan"), USER
    )
    await sim.wait_for(lambda: sim.get(DEPLOYMENTS, "web") is None, what="deployment gone")
    await sim.wait_for(
        lambda: not any(rs["metadata"].get("ownerReferences") for rs in sim.list(REPLICA_SETS)),
        what="orphaned",
    )
    sim.create(DEPLOYMENTS, deployment(replicas=2))
    await sim.wait_for(
        lambda: (
            all(
                (rs["metadata"].get("ownerReferences") or [{}])[0].get("kind") == "Deployment"
                for rs in sim.list(REPLICA_SETS)
            )
            and rollout_status(sim.get(DEPLOYMENTS, "web")) == "successfully rolled out"
        ),
        what="adopted",
    )
    assert [rs["metadata"]["name"] for rs in sim.list(REPLICA_SETS)] == sets_before
    assert sorted(p["metadata"]["name"] for p in sim.list(PODS)) == pods_before


async def test_deleting_a_deployment_removes_its_replica_sets_and_pods(sim: Sim) -> None:
    sim.create(DEPLOYMENTS, deployment(replicas=2))
    await sim.wait_for(
        lambda: rollout_status(sim.get(DEPLOYMENTS, "web")) == "successfully rolled out", what="up"
    )
    sim.deleter.delete(
        sim.state.info_for(DEPLOYMENTS), "default", "web", DeleteOptions(propagation="Foreground"), USER
    )
    await sim.wait_for(
        lambda: sim.get(DEPLOYMENTS, "web") is None and not sim.list(REPLICA_SETS) and not sim.list(PODS),
        what="everything gone",
    )
