"""Deployment status and conditions from ReplicaSets (pure), as `kubectl rollout status` and Argo CD
read them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fleetops.kubesim import clock
from fleetops.kubesim.workloads.deployment_status import compact, status_of

from .simulation import Manifest

MOMENT = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


def deployment(*, generation: int = 2, status: Manifest | None = None, **spec: object) -> Manifest:
    return {
        "metadata": {"name": "web", "generation": generation},
        "spec": {"replicas": 4, "progressDeadlineSeconds": 600, **spec},
        "status": status or {},
    }


def replica_set(name: str, replicas: int, ready: int, available: int) -> Manifest:
    return {
        "metadata": {"name": name, "uid": name},
        "spec": {"replicas": replicas},
        "status": {"replicas": replicas, "readyReplicas": ready, "availableReplicas": available},
    }


def progressing(status: Manifest) -> tuple[str, str]:
    found = next(c for c in status["conditions"] if c["type"] == "Progressing")
    return found["status"], found["reason"]


def test_counts_and_minimum_availability_during_a_rollout() -> None:
    new, old = replica_set("new", 2, 1, 1), replica_set("old", 3, 3, 3)
    status, wait = status_of(deployment(), new, [new, old], MOMENT, created=False, paused=False)
    assert compact(status) | {"conditions": []} == {
        "observedGeneration": 2,
        "replicas": 5,
        "updatedReplicas": 2,
        "readyReplicas": 4,
        "availableReplicas": 4,
        "unavailableReplicas": 1,
        "conditions": [],
    }
    available = next(c for c in status["conditions"] if c["type"] == "Available")
    assert (available["status"], available["reason"]) == ("True", "MinimumReplicasAvailable")
    assert progressing(status) == ("True", "ReplicaSetUpdated"), "more replicas updated than before"
    assert wait is not None and 599 < wait < 601


def test_complete_rollout_has_new_replica_set_available() -> None:
    new = replica_set("new", 4, 4, 4)
    status, wait = status_of(deployment(), new, [new], MOMENT, created=False, paused=False)
    assert progressing(status) == ("True", "NewReplicaSetAvailable")
    assert wait is None


def test_no_progress_past_the_deadline_times_out() -> None:
    stale = clock.rfc3339(MOMENT - timedelta(seconds=601))
    condition = {
        "type": "Progressing",
        "status": "True",
        "reason": "ReplicaSetUpdated",
        "lastUpdateTime": stale,
        "lastTransitionTime": stale,
        "message": 'ReplicaSet "new" is progressing.',
    }
    new = replica_set("new", 1, 0, 0)
    old_status = {"replicas": 1, "updatedReplicas": 1, "conditions": [condition]}
    status, wait = status_of(
        deployment(status=old_status, replicas=1), new, [new], MOMENT, created=False, paused=False
    )
    assert progressing(status) == ("False", "ProgressDeadlineExceeded")
    assert wait is None
    available = next(c for c in status["conditions"] if c["type"] == "Available")
    assert available["reason"] == "MinimumReplicasUnavailable"


def test_paused_deployment_reports_it() -> None:
    new = replica_set("new", 4, 4, 4)
    status, wait = status_of(deployment(paused=True), new, [new], MOMENT, created=False, paused=True)
    assert progressing(status) == ("Unknown", "DeploymentPaused")
    assert wait is None


def test_without_a_deadline_there_is_no_progressing_condition() -> None:
    new = replica_set("new", 4, 4, 4)
    spec_deployment = deployment()
    del spec_deployment["spec"]["progressDeadlineSeconds"]
    status, _ = status_of(spec_deployment, new, [new], MOMENT, created=True, paused=False)
    assert [c["type"] for c in status["conditions"]] == ["Available"]
