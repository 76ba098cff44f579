"""StatefulSets, DaemonSets, Jobs and CronJobs."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from fleetops.kubesim import clock
from fleetops.kubesim.watch import WatchEvent
from fleetops.kubesim.workloads import WorkloadSettings
from fleetops.kubesim.workloads.resources import (
    CONTROLLER_REVISIONS,
    CRON_JOBS,
    DAEMON_SETS,
    JOBS,
    PERSISTENT_VOLUME_CLAIMS,
    PODS,
    STATEFUL_SETS,
)

from .simulation import Manifest, Sim


def template(app: str, image: str = "nginx:1.27", restart_policy: str = "Always") -> Manifest:
    return {
        "metadata": {"labels": {"app": app}},
        "spec": {"restartPolicy": restart_policy, "containers": [{"name": "app", "image": image}]},
    }


def is_ready(pod: Manifest | None) -> bool:
    return any(
        c["type"] == "Ready" and c["status"] == "True"
        for c in ((pod or {}).get("status") or {}).get("conditions") or []
    )


def stateful_set(replicas: int = 3, **spec: object) -> Manifest:
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db"},
        "spec": {
            "replicas": replicas,
            "serviceName": "db",
            "selector": {"matchLabels": {"app": "db"}},
            "template": template("db"),
            **spec,
        },
    }


async def test_stateful_set_creates_pods_in_order(sim: Sim) -> None:
    order: list[str] = []

    def observe(event: WatchEvent) -> None:
        if event.resource == PODS and event.type == "ADDED":
            name = event.object["metadata"]["name"]
            order.append(name)
            earlier = [f"db-{n}" for n in range(int(name.rsplit("-", 1)[1]))]
            assert all(is_ready(sim.get(PODS, other)) for other in earlier), f"{name} before its predecessors"

    sim.create(
        STATEFUL_SETS,
        stateful_set(
            volumeClaimTemplates=[
                {
                    "metadata": {"name": "data"},
                    "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
                }
            ]
        ),
    )
    done = await sim.wait_for(
        lambda: (
            (s := sim.get(STATEFUL_SETS, "db")) and (s.get("status") or {}).get("readyReplicas") == 3 and s
        ),
        what="three ready",
        on_event=observe,
    )
    assert order == ["db-0", "db-1", "db-2"]
    status = done["status"]
    assert status["currentRevision"] == status["updateRevision"]
    assert status["updateRevision"].startswith("db-")
    assert status["availableReplicas"] == 3 and status["updatedReplicas"] == 3
    assert sim.get(CONTROLLER_REVISIONS, status["updateRevision"]) is not None
    pod = sim.get(PODS, "db-1")
    assert pod is not None
    assert pod["spec"]["hostname"] == "db-1" and pod["spec"]["subdomain"] == "db"
    assert pod["metadata"]["labels"]["statefulset.kubernetes.io/pod-name"] == "db-1"
    assert {"name": "data", "persistentVolumeClaim": {"claimName": "data-db-1"}} in pod["spec"]["volumes"]
    await sim.wait_for(
        lambda: all(
            (sim.get(PERSISTENT_VOLUME_CLAIMS, f"data-db-{n}") or {}).get("status", {}).get("phase")
            == "Bound"
            for n in range(3)
        ),
        what="claims bound",
    )


async def test_stateful_set_rolls_down_to_the_partition(sim: Sim) -> None:
    sim.create(
        STATEFUL_SETS,
        stateful_set(updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"partition": 1}}),
    )
    await sim.wait_for(
        lambda: ((sim.get(STATEFUL_SETS, "db") or {}).get("status") or {}).get("readyReplicas") == 3,
        what="ready",
    )
    changed = copy.deepcopy(sim.get(STATEFUL_SETS, "db"))
    assert changed is not None
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    sim.update(STATEFUL_SETS, changed)

    def image(n: int) -> str:
        return str(
            ((sim.get(PODS, f"db-{n}") or {}).get("spec") or {}).get("containers", [{}])[0].get("image")
        )

    done = await sim.wait_for(
        lambda: (
            (s := sim.get(STATEFUL_SETS, "db"))
            and (s.get("status") or {}).get("updatedReplicas") == 2
            and s["status"].get("readyReplicas") == 3
            and s
        ),
        what="partitioned rollout",
    )
    assert [image(n) for n in range(3)] == ["nginx:1.27", "nginx:1.28", "nginx:1.28"]
    assert done["status"]["currentRevision"] != done["status"]["updateRevision"]


async def test_daemon_set_runs_one_pod_per_node(sim: Sim) -> None:
    sim.create(
        DAEMON_SETS,
        {
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": {"name": "agent"},
            "spec": {"selector": {"matchLabels": {"app": "agent"}}, "template": template("agent")},
        },
    )
    done = await sim.wait_for(
        lambda: (
            (d := sim.get(DAEMON_SETS, "agent")) and (d.get("status") or {}).get("numberAvailable") == 3 and d
        ),
        what="on every node",
    )
    status = done["status"]
    assert status["desiredNumberScheduled"] == 3 and status["currentNumberScheduled"] == 3
    assert status["numberReady"] == 3 and status["updatedNumberScheduled"] == 3
    nodes = sorted(
        p["spec"]["nodeName"] for p in sim.list(PODS) if p["metadata"]["name"].startswith("agent-")
    )
    assert nodes == ["kubesim-node-0", "kubesim-node-1", "kubesim-node-2"]
    changed = copy.deepcopy(sim.get(DAEMON_SETS, "agent"))
    assert changed is not None
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    sim.update(DAEMON_SETS, changed)
    await sim.wait_for(
        lambda: (
            (d := sim.get(DAEMON_SETS, "agent"))
            and d["status"].get("observedGeneration") == 2
            and d["status"].get("updatedNumberScheduled") == 3
            and d["status"].get("numberAvailable") == 3
        ),
        what="rolled to every node",
    )


async def test_job_runs_to_completion(sim: Sim) -> None:
    sim.create(
        JOBS,
        {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": "migrate"},
            "spec": {"completions": 3, "parallelism": 2, "template": template("migrate", "busybox", "Never")},
        },
    )
    done = await sim.wait_for(
        lambda: (
            (j := sim.get(JOBS, "migrate"))
            and any(c["type"] == "Complete" for c in (j.get("status") or {}).get("conditions") or [])
            and j
        ),
        what="Complete",
    )
    status = done["status"]
    assert status["succeeded"] == 3 and "failed" not in status and status.get("active", 0) == 0
    assert {c["type"]: c["reason"] for c in status["conditions"]} == {
        "SuccessCriteriaMet": "CompletionsReached",
        "Complete": "CompletionsReached",
    }
    assert "completionTime" in status and "startTime" in status
    job_pods = [p for p in sim.list(PODS) if p["metadata"]["name"].startswith("migrate-")]
    assert len(job_pods) == 3 and all(p["status"]["phase"] == "Succeeded" for p in job_pods)
    assert all(p["metadata"]["labels"]["job-name"] == "migrate" for p in job_pods)


async def test_job_fails_after_backoff_limit(sim: Sim) -> None:
    sim.faults.crash_images.add("broken")
    sim.create(
        JOBS,
        {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": "doomed"},
            "spec": {"backoffLimit": 1, "template": template("doomed", "broken:1", "Never")},
        },
    )
    done = await sim.wait_for(
        lambda: (
            (j := sim.get(JOBS, "doomed"))
            and any(c["type"] == "Failed" for c in (j.get("status") or {}).get("conditions") or [])
            and j
        ),
        what="Failed",
    )
    assert done["status"]["failed"] == 2
    failed = next(c for c in done["status"]["conditions"] if c["type"] == "Failed")
    assert failed["reason"] == "BackoffLimitExceeded"


@pytest.fixture
def settings() -> WorkloadSettings:
    ahead = timedelta(minutes=10)
    return WorkloadSettings(
        pod_startup_seconds=0.05,
        job_pod_run_seconds=0.05,
        image_pull_backoff_seconds=0.2,
        crash_backoff_seconds=0.1,
        crash_backoff_max_seconds=0.4,
        now=lambda: clock.now() + ahead,
    )


async def test_cron_job_creates_job_for_the_latest_missed_schedule(sim: Sim) -> None:
    sim.create(
        CRON_JOBS,
        {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "metadata": {"name": "report"},
            "spec": {
                "schedule": "*/5 * * * *",
                "jobTemplate": {"spec": {"template": template("report", "busybox", "OnFailure")}},
            },
        },
    )
    cron = await sim.wait_for(
        lambda: (c := sim.get(CRON_JOBS, "report")) and (c.get("status") or {}).get("lastScheduleTime") and c,
        what="lastScheduleTime",
    )
    scheduled = clock.parse(cron["status"]["lastScheduleTime"])
    assert scheduled is not None and scheduled.minute % 5 == 0
    name = f"report-{int(scheduled.timestamp() // 60)}"
    job = sim.get(JOBS, name)
    assert job is not None
    assert job["metadata"]["ownerReferences"][0]["kind"] == "CronJob"
    await sim.wait_for(
        lambda: ((sim.get(CRON_JOBS, "report") or {}).get("status") or {}).get("lastSuccessfulTime"),
        what="the job succeeded",
    )


async def test_indexed_job_runs_every_index_once(sim: Sim) -> None:
    sim.create(
        JOBS,
        {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": "shards"},
            "spec": {
                "completions": 3,
                "parallelism": 3,
                "completionMode": "Indexed",
                "template": template("shards", "busybox", "Never"),
            },
        },
    )
    done = await sim.wait_for(
        lambda: (
            (j := sim.get(JOBS, "shards"))
            and any(c["type"] == "Complete" for c in (j.get("status") or {}).get("conditions") or [])
            and j
        ),
        what="Complete",
    )
    assert done["status"]["completedIndexes"] == "0-2" and done["status"]["succeeded"] == 3
    indexes = sorted(
        p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"]
        for p in sim.list(PODS)
        if p["metadata"]["name"].startswith("shards-")
    )
    assert indexes == ["0", "1", "2"]


async def test_kubelet_removes_a_pod_whose_grace_period_is_over(sim: Sim) -> None:
    sim.create(
        PODS,
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "going"},
            "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
        },
    )
    await sim.wait_for(lambda: is_ready(sim.get(PODS, "going")), what="ready")
    marked = copy.deepcopy(sim.get(PODS, "going"))
    assert marked is not None
    marked["metadata"]["deletionTimestamp"] = clock.rfc3339()
    marked["metadata"]["deletionGracePeriodSeconds"] = 30
    sim.state.store.update(PODS, marked)
    await sim.wait_for(lambda: sim.get(PODS, "going") is None, what="removed by the kubelet")
