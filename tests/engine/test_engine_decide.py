"""The decide stage: an explicit operation wins; otherwise Argo CD's automated-sync rules read from
the application's status (pure)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from fleetops.core import app as applications
from fleetops.core.diff import ComparisonResult, ResourceComparison
from fleetops.core.sync import OperationPhase, ResultCode, SelfHealBackoff
from fleetops.engine.decide import decide, explicit_request, last_sync, ongoing_operation, same_operation
from fleetops.model.keys import ResourceKey

NOW = datetime.datetime(2026, 1, 1, 12, 0, 0, tzinfo=datetime.UTC)
KEY = ResourceKey("apps", "Deployment", "payments", "payment-service")
OUT_OF_SYNC = ComparisonResult((ResourceComparison(KEY, "OutOfSync"),), "OutOfSync")


def _app(**fields: Any) -> dict[str, Any]:
    app: dict[str, Any] = {
        "metadata": {"name": "a", "namespace": "fleetops"},
        "spec": {
            "source": {"repoURL": "https://github.com/org/gitops-config", "path": "x"},
            "destination": {"server": "https://kubernetes.default.svc", "namespace": "payments"},
            "syncPolicy": {"automated": {"prune": True, "selfHeal": True}},
        },
    }
    app.update(fields)
    return app


def _decide(app: dict[str, Any]) -> Any:
    return decide(
        app,
        policy=applications.sync_policy(app),
        comparison=OUT_OF_SYNC,
        revision="abc",
        now=NOW,
        self_heal_backoff=SelfHealBackoff(),
    )


def test_an_explicit_operation_wins_and_names_its_resources() -> None:
    operation = {
        "sync": {
            "prune": True,
            "resources": [
                {"group": "apps", "kind": "Deployment", "name": "payment-service", "namespace": "payments"}
            ],
        },
        "retry": {"limit": 2},
    }
    request = explicit_request(_app(operation=operation))
    assert request is not None
    assert request.prune and request.resources == frozenset({KEY})
    assert request.retry is not None and request.retry.limit == 2
    assert _decide(_app(operation=operation)).request == request


def test_automated_sync_of_a_new_revision() -> None:
    decision = _decide(_app())
    assert decision.request is not None and decision.request.automated
    assert decision.request.operation["sync"] == {"revision": "abc", "prune": True}


def _synced_at(seconds_ago: int, *, phase: str = "Succeeded", attempts: int = 0) -> dict[str, Any]:
    finished = (NOW - datetime.timedelta(seconds=seconds_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")
    sync: dict[str, Any] = {"revision": "abc"}
    if attempts:
        sync["selfHealAttemptsCount"] = attempts
    return {
        "operationState": {
            "operation": {"sync": sync},
            "phase": phase,
            "message": "boom" if phase != "Succeeded" else "",
            "finishedAt": finished,
            "syncResult": {"revision": "abc"},
        }
    }


def test_last_sync_is_read_from_the_operation_state() -> None:
    last = last_sync(_app(status=_synced_at(7, attempts=2)), NOW)
    assert last is not None
    assert (last.revision, last.phase, last.finished_ago, last.self_heal_attempts) == (
        "abc",
        OperationPhase.SUCCEEDED,
        7.0,
        2,
    )


def test_self_heal_waits_for_its_backoff() -> None:
    decision = _decide(_app(status=_synced_at(1, attempts=1)))
    assert decision.request is None
    assert decision.retry_after == 1.0  # 2 s after the first self-heal, 1 s already passed
    healed = _decide(_app(status=_synced_at(3, attempts=1)))
    assert healed.request is not None
    assert healed.request.resources == frozenset({KEY})
    assert healed.request.operation["sync"]["selfHealAttemptsCount"] == 2


def test_a_failed_automated_sync_of_the_same_revision_is_not_repeated() -> None:
    decision = _decide(_app(status=_synced_at(1, phase="Failed")))
    assert decision.request is None
    assert "Failed sync attempt to abc" in decision.error


@pytest.mark.parametrize(
    ("seconds_ago", "attempts", "expected"),
    [
        (1, 4, None),  # attempt 5 waits 54 s: not yet
        (60, 4, 5),  # the backoff has passed: attempt 5
        (329, 6, 7),  # still within the 330 s cooldown: the count carries on
        (330, 6, 1),  # in sync for the whole cooldown: the count starts again
        (7200, 9, 1),
    ],
)
def test_the_self_heal_count_resets_after_the_cooldown(
    seconds_ago: int, attempts: int, expected: int | None
) -> None:
    decision = _decide(_app(status=_synced_at(seconds_ago, attempts=attempts)))
    if expected is None:
        assert decision.request is None and decision.retry_after is not None
    else:
        assert decision.request is not None
        assert decision.request.operation["sync"]["selfHealAttemptsCount"] == expected


def _running(**state: Any) -> dict[str, Any]:
    operation = {
        "sync": {"revision": "abc"},
        "initiatedBy": {"username": "admin"},
        "retry": {"limit": 3, "backoff": {"duration": "5s", "factor": 2}},
    }
    return _app(
        operation=operation,
        status={
            "operationState": {
                "operation": operation,
                "phase": "Running",
                "startedAt": "2026-01-01T11:59:00Z",
                "syncResult": {
                    "revision": "abc",
                    "resources": [
                        {
                            "group": "apps",
                            "kind": "Deployment",
                            "namespace": "payments",
                            "name": "payment-service",
                            "status": "Synced",
                            "hookPhase": "Running",
                            "syncPhase": "Sync",
                            "message": "applied",
                        },
                        {"kind": "ConfigMap", "name": "x", "status": "NotAStatus"},  # left out
                    ],
                },
                **state,
            }
        },
    )


def test_an_operation_in_progress_is_read_back_from_the_status() -> None:
    ongoing = ongoing_operation(_running())
    assert ongoing is not None
    assert (ongoing.revision, ongoing.started_at, ongoing.retry_count, ongoing.retry_at) == (
        "abc",
        "2026-01-01T11:59:00Z",
        0,
        None,
    )
    assert [(r.key, r.status, r.hook_phase, r.message) for r in ongoing.results] == [
        (KEY, ResultCode.SYNCED, OperationPhase.RUNNING, "applied")
    ]
    assert not ongoing.withdrawn and not ongoing.terminating


def test_a_failed_attempt_waiting_for_its_retry_is_read_back_with_its_retry_time() -> None:
    ongoing = ongoing_operation(_running(finishedAt="2026-01-01T12:00:00Z", retryCount=2))
    assert ongoing is not None and ongoing.retry_count == 2
    assert ongoing.retry_at == NOW + datetime.timedelta(seconds=10)  # 5 s * 2^(2-1)


def test_an_operation_replaced_removed_or_finished_is_not_in_progress() -> None:
    app = _running()
    assert ongoing_operation({**app, "operation": {"sync": {"revision": "def"}}}) is None  # replaced
    withdrawn = ongoing_operation({k: v for k, v in app.items() if k != "operation"})
    assert withdrawn is not None and withdrawn.withdrawn
    terminating = ongoing_operation(_running(phase="Terminating"))
    assert terminating is not None and terminating.terminating
    assert ongoing_operation(_running(phase="Succeeded")) is None


def test_same_operation_ignores_the_revision_the_engine_filled_in() -> None:
    requested = {"sync": {}, "initiatedBy": {"username": "admin"}}
    assert same_operation(requested, {"sync": {"revision": "abc"}, "initiatedBy": {"username": "admin"}})
    assert not same_operation(
        {"sync": {"revision": "main"}, "initiatedBy": {"username": "admin"}},
        {"sync": {"revision": "abc"}, "initiatedBy": {"username": "admin"}},
    )
