"""Status builders: Argo CD's shapes for sync, health, resources, operation state and history."""

from __future__ import annotations

from typing import Any

from fleetops.core import app as applications
from fleetops.model.keys import ResourceKey

APP: dict[str, Any] = {
    "metadata": {"name": "payment-service", "namespace": "fleetops"},
    "spec": {
        "project": "default",
        "source": {
            "repoURL": "https://github.com/org/gitops-config",
            "path": "apps/p",
            "targetRevision": "main",
        },
        "destination": {"server": "https://kubernetes.default.svc", "namespace": "payments"},
        "ignoreDifferences": [{"kind": "Secret", "jsonPointers": ["/data"]}],
    },
}


def test_sync_status_single_source() -> None:
    compared = applications.compared_to(APP)
    assert applications.sync_status("OutOfSync", compared_to=compared, revision="abc") == {
        "status": "OutOfSync",
        "revision": "abc",
        "comparedTo": {
            "source": APP["spec"]["source"],
            "destination": APP["spec"]["destination"],
            "ignoreDifferences": APP["spec"]["ignoreDifferences"],
        },
    }


def test_sync_status_multi_source() -> None:
    app = {"spec": {"sources": [{"repoURL": "a"}, {"repoURL": "b"}], "destination": {"name": "x"}}}
    status = applications.sync_status(
        applications.SyncStatusCode.SYNCED, compared_to=applications.compared_to(app), revisions=["1", "2"]
    )
    assert status == {
        "status": "Synced",
        "revisions": ["1", "2"],
        "comparedTo": {"destination": {"name": "x"}, "sources": [{"repoURL": "a"}, {"repoURL": "b"}]},
    }


def test_health_status() -> None:
    assert applications.health_status("Healthy") == {"status": "Healthy"}
    assert applications.health_status("Degraded", "timed out", last_transition_time="T") == {
        "status": "Degraded",
        "message": "timed out",
        "lastTransitionTime": "T",
    }


def test_resources_summary_sorted() -> None:
    deployment = applications.resource_status(
        ResourceKey("apps", "Deployment", "payments", "api"),
        version="v1",
        status="OutOfSync",
        health=applications.health_status("Progressing"),
        sync_wave=1,
    )
    namespace = applications.resource_status(
        ResourceKey("", "Namespace", "", "payments"), version="v1", status="Synced", requires_pruning=True
    )
    hook = applications.resource_status(
        ResourceKey("batch", "Job", "payments", "migrate"), version="v1", status="Synced", hook=True
    )
    assert applications.resources_summary([hook, deployment, namespace]) == [
        {"group": "", "version": "v1", "kind": "Namespace", "name": "payments", "status": "Synced",
         "requiresPruning": True},
        {"group": "apps", "version": "v1", "kind": "Deployment", "namespace": "payments", "name": "api",
         "status": "OutOfSync", "health": {"status": "Progressing"}, "syncWave": 1},
        {"group": "batch", "version": "v1", "kind": "Job", "namespace": "payments", "name": "migrate",
         "status": "Synced", "hook": True},
    ]  # fmt: skip


def test_summary() -> None:
    assert applications.summary(images=["b:1", "a:2", "b:1"]) == {"images": ["a:2", "b:1"]}
    assert applications.summary() == {}


def test_current_status_defaults_to_unknown() -> None:
    assert applications.current_sync_status({}) == "Unknown"
    assert applications.current_health_status({"status": {}}) == "Unknown"
    app = {"status": {"sync": {"status": "Synced"}, "health": {"status": "Degraded"}}}
    assert (applications.current_sync_status(app), applications.current_health_status(app)) == (
        "Synced",
        "Degraded",
    )


def test_operation_state_of_a_finished_sync() -> None:
    operation = applications.sync_operation(revision="abc", prune=True, automated=True)
    assert operation == {"sync": {"revision": "abc", "prune": True}, "initiatedBy": {"automated": True}}
    result = applications.sync_result(
        resources=[{"group": "apps", "version": "v1", "kind": "Deployment", "namespace": "payments",
                    "name": "api", "status": "Synced", "message": "deployment.apps/api configured",
                    "hookPhase": "Running", "syncPhase": "Sync"}],
        revision="abc",
        source=APP["spec"]["source"],
    )  # fmt: skip
    state = applications.operation_state(
        operation=operation,
        phase="Succeeded",
        message="successfully synced (all tasks run)",
        started_at="2026-01-01T00:00:00Z",
        finished_at="2026-01-01T00:00:07Z",
        result=result,
    )
    assert state == {
        "operation": operation,
        "phase": "Succeeded",
        "message": "successfully synced (all tasks run)",
        "startedAt": "2026-01-01T00:00:00Z",
        "finishedAt": "2026-01-01T00:00:07Z",
        "syncResult": result,
    }
    assert result["revision"] == "abc" and result["source"] == APP["spec"]["source"]


def test_running_operation_has_no_finish_time_and_counts_retries() -> None:
    state = applications.operation_state(
        operation=applications.sync_operation(username="alice"),
        phase="Running",
        started_at="T0",
        retry_count=2,
    )
    assert state == {
        "operation": {"sync": {}, "initiatedBy": {"username": "alice"}},
        "phase": "Running",
        "startedAt": "T0",
        "retryCount": 2,
    }


def test_an_operation_waiting_to_retry_keeps_the_end_of_its_failed_attempt() -> None:
    state = applications.operation_state(
        operation=applications.sync_operation(username="alice"),
        phase="Running",
        message="Retrying attempt #2 at 10s: boom",
        started_at="T0",
        finished_at="T1",
        retry_count=2,
    )
    assert (state["phase"], state["finishedAt"], state["retryCount"]) == ("Running", "T1", 2)


def test_history_is_capped_at_the_limit_and_ids_count_up() -> None:
    history: list[dict[str, Any]] = []
    for number in range(12):
        entry = applications.history_entry(
            id=applications.next_history_id(history),
            revision=f"rev{number}",
            deployed_at=f"T{number}",
            source=APP["spec"]["source"],
            initiated_by={"automated": True},
        )
        history = applications.append_history(history, entry, limit=applications.revision_history_limit(APP))
    assert len(history) == 10
    assert [h["id"] for h in history] == list(range(2, 12))
    assert history[-1] == {
        "id": 11,
        "revision": "rev11",
        "deployedAt": "T11",
        "source": APP["spec"]["source"],
        "initiatedBy": {"automated": True},
    }


def test_history_limit_from_spec() -> None:
    app = {"spec": {"revisionHistoryLimit": 1}}
    history = [{"id": 0, "revision": "a"}]
    entry = applications.history_entry(id=1, revisions=["b", "c"], deployed_at="T", deploy_started_at="S")
    limit = applications.revision_history_limit(app)
    assert applications.append_history(history, entry, limit=limit) == [
        {"id": 1, "revisions": ["b", "c"], "deployedAt": "T", "deployStartedAt": "S"}
    ]
    assert applications.append_history(history, entry, limit=0) == []
