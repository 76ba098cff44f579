"""RollingSync decisions (`plan_rollout`): step by step, maxUpdate, Argo CD's status transitions,
halting on a Degraded Application or a failed sync, pausing, and the strategy's parsing."""

from __future__ import annotations

from typing import Any

import pytest

from fleetops.core.appset import AppSetError
from fleetops.core.appset.progressive import (
    AppState,
    RolloutPlan,
    app_state,
    is_paused,
    plan_rollout,
    rolling_sync_steps,
    sync_operation,
)

T0 = "2026-01-01T00:00:00Z"
T1 = "2026-01-01T00:01:00Z"
T2 = "2026-01-01T00:02:00Z"


def _steps(*waves: list[str], max_update: Any = None) -> dict[str, Any]:
    steps = []
    for values in waves:
        step: dict[str, Any] = {"matchExpressions": [{"key": "env", "operator": "In", "values": values}]}
        if max_update is not None:
            step["maxUpdate"] = max_update
        steps.append(step)
    return {"strategy": {"type": "RollingSync", "rollingSync": {"steps": steps}}}


STEPS = rolling_sync_steps(_steps(["dev"], ["qa"], ["prod"]))
assert STEPS is not None


def _app(name: str, env: str, sync: str = "OutOfSync", health: str = "Healthy", **more: Any) -> AppState:
    return AppState(name=name, labels={"env": env}, sync_status=sync, health_status=health, **more)


def _entry(name: str, status: str, step: str, when: str = T0) -> dict[str, Any]:
    return {"application": name, "status": status, "step": step, "message": "", "lastTransitionTime": when}


def _statuses(plan: RolloutPlan) -> dict[str, str]:
    return {e["application"]: e["status"] for e in plan.application_status}


def test_first_look_syncs_only_the_first_step() -> None:
    apps = [_app("a-dev", "dev"), _app("b-qa", "qa"), _app("c-prod", "prod")]
    plan = plan_rollout(STEPS, apps, [], now=T0)
    assert plan.sync == ("a-dev",)
    assert _statuses(plan) == {"a-dev": "Pending", "b-qa": "Waiting", "c-prod": "Waiting"}
    assert [e["step"] for e in plan.application_status] == ["1", "2", "3"]
    assert plan.step == 1 and plan.waiting_for == ("a-dev",)
    assert plan.condition() == (
        "True",
        "ApplicationSetModified",
        f"Rollout at step 1 of 3 since {T0}: waiting for a-dev to become Synced and Healthy",
    )


def test_next_step_starts_when_the_previous_is_synced_and_healthy() -> None:
    apps = [_app("a-dev", "dev", sync="Synced"), _app("b-qa", "qa"), _app("c-prod", "prod")]
    previous = [
        _entry("a-dev", "Progressing", "1"),
        _entry("b-qa", "Waiting", "2"),
        _entry("c-prod", "Waiting", "3"),
    ]
    plan = plan_rollout(STEPS, apps, previous, now=T1)
    assert _statuses(plan) == {"a-dev": "Healthy", "b-qa": "Pending", "c-prod": "Waiting"}
    assert plan.sync == ("b-qa",)
    assert plan.step == 2


@pytest.mark.parametrize(
    ("app", "expected"),
    [
        (_app("a", "dev", sync="OutOfSync", health="Healthy"), "Pending"),
        (_app("a", "dev", sync="Synced", health="Progressing"), "Progressing"),
        (_app("a", "dev", sync="Synced", operation_phase="Running", operation_by_appset=True), "Progressing"),
        (
            _app(
                "a", "dev", sync="Synced", health="Progressing", operation_phase="Succeeded",
                operation_by_appset=True, operation_started_at=T1,
            ),
            "Progressing",
        ),
        (_app("a", "dev", sync="Synced", health="Healthy"), "Healthy"),
    ],
)  # fmt: skip
def test_pending_transitions(app: AppState, expected: str) -> None:
    plan = plan_rollout(STEPS, [app], [_entry("a", "Pending", "1", T0)], now=T1)
    assert _statuses(plan) == {"a": expected}


def test_a_sync_already_run_is_not_requested_again() -> None:
    app = _app("a", "dev", operation_phase="Succeeded", operation_by_appset=True, operation_started_at=T1)
    plan = plan_rollout(STEPS, [app], [_entry("a", "Pending", "1", T0)], now=T2)
    assert plan.sync == ()
    pending = _app("a", "dev", operation_requested=True)
    assert plan_rollout(STEPS, [pending], [_entry("a", "Pending", "1", T0)], now=T2).sync == ()


def test_healthy_app_with_new_changes_waits_again() -> None:
    plan = plan_rollout(STEPS, [_app("a", "dev", sync="OutOfSync")], [_entry("a", "Healthy", "1")], now=T1)
    assert plan.application_status[0]["status"] == "Pending"  # Waiting, then started at once
    assert plan.application_status[0]["lastTransitionTime"] == T1


def test_waiting_app_already_healthy_becomes_healthy() -> None:
    plan = plan_rollout(STEPS, [_app("a", "dev", sync="Synced")], [], now=T0)
    assert _statuses(plan) == {"a": "Healthy"}
    assert plan.complete
    assert plan.condition() == (
        "False",
        "ApplicationSetRolloutComplete",
        "ApplicationSet Rollout Rollout complete",
    )


@pytest.mark.parametrize(
    ("max_update", "pending"),
    [(None, 4), (1, 1), (2, 2), ("50%", 2), ("10%", 1), ("0%", 0), (0, 0), ("100%", 4)],
)
def test_max_update(max_update: Any, pending: int) -> None:
    steps = rolling_sync_steps(_steps(["dev"], max_update=max_update))
    assert steps is not None
    apps = [_app(f"a{i}", "dev") for i in range(4)]
    plan = plan_rollout(steps, apps, [], now=T0)
    assert list(_statuses(plan).values()).count("Pending") == pending
    assert len(plan.sync) == pending


def test_max_update_counts_applications_already_in_flight() -> None:
    steps = rolling_sync_steps(_steps(["dev"], max_update=2))
    assert steps is not None
    apps = [
        _app("a0", "dev", sync="Synced", health="Progressing"),
        *(_app(f"a{i}", "dev") for i in (1, 2, 3)),
    ]
    previous = [_entry("a0", "Progressing", "1")]
    plan = plan_rollout(steps, apps, previous, now=T1)
    assert _statuses(plan) == {"a0": "Progressing", "a1": "Pending", "a2": "Waiting", "a3": "Waiting"}


def test_degraded_application_halts_the_rollout() -> None:
    apps = [
        _app(
            "a-dev",
            "dev",
            sync="Synced",
            health="Degraded",
            health_message="Deployment exceeded its progress deadline",
        ),
        _app("a2-dev", "dev"),
        _app("b-qa", "qa"),
    ]
    steps = rolling_sync_steps(_steps(["dev"], ["qa"], max_update=1))
    assert steps is not None
    previous = [
        _entry("a-dev", "Progressing", "1"),
        _entry("a2-dev", "Waiting", "1"),
        _entry("b-qa", "Waiting", "2"),
    ]
    plan = plan_rollout(steps, apps, previous, now=T1)
    assert plan.sync == ()
    assert _statuses(plan) == {"a-dev": "Progressing", "a2-dev": "Waiting", "b-qa": "Waiting"}
    assert plan.halted == "application a-dev is Degraded (Deployment exceeded its progress deadline)"
    status, reason, message = plan.condition()
    assert (status, reason) == ("True", "RolloutHalted")
    assert message == f"Rollout halted at step 1 of 2 since {T1}: {plan.halted}"
    summary = plan.summary()
    assert summary["step"] == 1 and summary["waitingFor"] == ["a-dev", "a2-dev"] and summary["since"] == T1


def test_failed_sync_halts_the_rollout() -> None:
    app = _app("a", "dev", operation_phase="Failed", operation_message="one or more objects failed to apply",
               operation_by_appset=True, operation_started_at=T1)  # fmt: skip
    plan = plan_rollout(STEPS, [app, _app("b", "qa")], [_entry("a", "Pending", "1", T0)], now=T2)
    assert plan.halted == "the sync of application a failed: one or more objects failed to apply"
    assert plan.sync == ()


def test_degraded_application_still_waiting_does_not_halt() -> None:
    plan = plan_rollout(STEPS, [_app("a", "dev", health="Degraded")], [], now=T0)
    assert plan.halted == "" and plan.sync == ("a",)


def test_paused_rollout_starts_nothing_new() -> None:
    apps = [_app("a-dev", "dev", sync="Synced"), _app("b-qa", "qa")]
    plan = plan_rollout(STEPS, apps, [_entry("a-dev", "Progressing", "1")], now=T1, paused=True)
    assert plan.sync == ()
    assert _statuses(plan) == {"a-dev": "Healthy", "b-qa": "Waiting"}
    assert plan.condition()[1] == "RolloutPaused"
    assert "step 2 of 3" in plan.condition()[2]


def test_since_is_kept_while_the_rollout_stays_in_one_state() -> None:
    apps = [_app("a-dev", "dev"), _app("b-qa", "qa")]
    first = plan_rollout(STEPS, apps, [], now=T0)
    second = plan_rollout(STEPS, apps, first.application_status, now=T1, previous_summary=first.summary())
    assert second.since == T0
    moved = [_app("a-dev", "dev", sync="Synced"), _app("b-qa", "qa")]
    third = plan_rollout(STEPS, moved, second.application_status, now=T2, previous_summary=second.summary())
    assert third.step == 2 and third.since == T2


def test_applications_no_step_selects_are_left_out() -> None:
    plan = plan_rollout(STEPS, [_app("x", "other"), _app("a", "dev")], [], now=T0)
    assert [e["application"] for e in plan.application_status] == ["a"]
    assert plan.sync == ("a",)


def test_first_matching_step_wins() -> None:
    steps = rolling_sync_steps(_steps(["dev"], ["dev", "qa"]))
    assert steps is not None
    plan = plan_rollout(steps, [_app("a", "dev")], [], now=T0)
    assert plan.application_status[0]["step"] == "1"


def test_complete_step_must_still_be_healthy() -> None:
    """Better than Argo CD: a finished step whose Application went Degraded blocks the next one."""
    apps = [_app("a-dev", "dev", sync="Synced", health="Degraded"), _app("b-qa", "qa")]
    plan = plan_rollout(
        STEPS, apps, [_entry("a-dev", "Healthy", "1"), _entry("b-qa", "Waiting", "2")], now=T1
    )
    assert plan.step == 1 and plan.sync == () and "a-dev is Degraded" in plan.halted


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"strategy": {"type": "Canary"}}, "'Canary' is not supported"),
        ({"strategy": {"type": "RollingSync"}}, "steps must be a non-empty list"),
        (_steps(["dev"], max_update="ten"), "maxUpdate 'ten' is not an integer or N%"),
        (_steps(["dev"], max_update=-1), "must not be negative"),
        (
            {"strategy": {"type": "RollingSync", "rollingSync": {"steps": [
                {"matchExpressions": [{"key": "env", "operator": "In", "values": []}]}]}}},
            "rollingSync step 1",
        ),
    ],
)  # fmt: skip
def test_invalid_strategies(spec: dict[str, Any], message: str) -> None:
    with pytest.raises(AppSetError, match=message):
        rolling_sync_steps(spec)


def test_no_strategy_or_all_at_once() -> None:
    assert rolling_sync_steps({}) is None
    assert rolling_sync_steps({"strategy": {"type": "AllAtOnce"}}) is None


def test_app_state_from_an_application() -> None:
    operation = sync_operation(prune=True)
    app = {
        "metadata": {"name": "a", "labels": {"env": "dev"}},
        "operation": operation,
        "status": {
            "sync": {"status": "OutOfSync"},
            "health": {"status": "Progressing", "message": "rolling"},
            "operationState": {"operation": operation, "phase": "Running", "startedAt": T1},
        },
    }
    state = app_state(app)
    assert state == AppState(
        name="a", labels={"env": "dev"}, sync_status="OutOfSync", health_status="Progressing",
        health_message="rolling", operation_requested=True, operation_phase="Running",
        operation_started_at=T1, operation_by_appset=True,
    )  # fmt: skip
    assert operation["sync"] == {"prune": True}
    assert operation["initiatedBy"] == {"username": "applicationset-controller", "automated": True}
    finished = {
        **app,
        "status": {**app["status"], "operationState": {"operation": operation, "phase": "Succeeded"}},
    }
    assert not app_state(finished).operation_requested


def test_paused_annotation() -> None:
    assert is_paused({"metadata": {"annotations": {"fleetops.io/paused": "true"}}})
    assert not is_paused({"metadata": {"annotations": {"fleetops.io/paused": "false"}}})
    assert not is_paused({"metadata": {}})


def test_degraded_message_comes_from_the_degraded_resources() -> None:
    app = {
        "metadata": {"name": "a"},
        "status": {
            "health": {"status": "Degraded"},
            "resources": [
                {"kind": "ConfigMap", "name": "c", "health": {"status": "Healthy"}},
                {"kind": "Deployment", "name": "d", "health": {"status": "Degraded", "message": "deadline"}},
            ],
        },
    }
    assert app_state(app).health_message == "Deployment d: deadline"
