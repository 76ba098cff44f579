"""The decide stage: an explicit operation wins; otherwise Argo CD's automated-sync rules read from
the application's status (pure)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from fleetops.core import app as applications
from fleetops.core.diff import ComparisonResult, ResourceComparison
from fleetops.core.sync import OperationPhase, SelfHealBackoff
from fleetops.engine.decide import decide, explicit_request, last_sync
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
