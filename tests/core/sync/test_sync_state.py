"""The sync state machine driven by a fake engine: the exact order of actions, waits between
waves, hooks and their delete policies, failures and SyncFail hooks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import pytest
import yaml

from fleetops.core.health import HealthResult, HealthStatus
from fleetops.core.sync import (
    ActionKind,
    ActionResult,
    OperationPhase,
    ResultCode,
    SyncState,
    next_actions,
    parse_sync_options,
    plan_sync,
    resume,
    start,
)
from fleetops.model.keys import ResourceKey

HEALTHY = HealthResult(HealthStatus.HEALTHY)
PROGRESSING = HealthResult(HealthStatus.PROGRESSING, "rolling out")
DEGRADED = HealthResult(HealthStatus.DEGRADED, "crash looping")
GONE = "gone"


def objects(text: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


def run(
    state: SyncState,
    *,
    health: Mapping[str, Iterable[HealthResult | str | None]] | None = None,
    failing: Iterable[str] = (),
    limit: int = 100,
) -> tuple[list[str], SyncState, list[str]]:
    """Execute every action in order; `health[name]` is what successive waits observe (Healthy
    when exhausted), `failing` the names whose writes fail. Returns (action log, final state,
    the running messages seen)."""
    observed = {name: list(values) for name, values in (health or {}).items()}
    log: list[str] = []
    messages: list[str] = []
    for _ in range(limit):
        if state.done:
            return log, state, messages
        actions = next_actions(state)
        assert actions, "a running sync always has something to do"
        action = actions[0]
        name = action.key.name
        log.append(f"{action.kind} {action.key.kind}/{name}")
        if action.kind is ActionKind.WAIT_HEALTHY:
            values = observed.get(name, [])
            value = values.pop(0) if values else HEALTHY
            if value == GONE:
                result = ActionResult(action, exists=False)
            else:
                assert not isinstance(value, str)
                result = ActionResult(action, health=value)
        elif name in failing:
            result = ActionResult(action, ok=False, message=f"{name}: admission webhook denied the request")
        else:
            result = ActionResult(action, message=f"{name} done")
        state = state.record(result)
        if not state.done:
            messages.append(state.message)
    raise AssertionError(f"the sync did not finish: {log}")


def sync(text: str, live: str = "", **kwargs: Any) -> SyncState:
    live_objects = {ResourceKey.of(obj): obj for obj in objects(live)}
    return start(plan_sync(objects(text), live_objects, **kwargs))


WAVES = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: after, namespace: shop, annotations: {argocd.argoproj.io/sync-wave: "1"}}
"""

HOOKS = """
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shop
  annotations: {argocd.argoproj.io/hook: PreSync, argocd.argoproj.io/hook-delete-policy: HookSucceeded}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
---
apiVersion: batch/v1
kind: Job
metadata: {name: smoke, namespace: shop, annotations: {argocd.argoproj.io/hook: PostSync}}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: notify
  namespace: shop
  annotations: {argocd.argoproj.io/hook: SyncFail, argocd.argoproj.io/hook-delete-policy: HookSucceeded}
"""


def test_one_step_without_hooks_succeeds_without_waiting() -> None:
    log, state, _ = run(sync("{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: shop}}"))
    assert log == ["apply ConfigMap/a"]
    assert (state.phase, state.message) == (OperationPhase.SUCCEEDED, "successfully synced (all tasks run)")
    [result] = state.results
    assert (result.status, result.hook_phase, result.message) == (
        ResultCode.SYNCED,
        OperationPhase.RUNNING,
        "a done",
    )


def test_a_wave_starts_when_the_previous_wave_is_healthy() -> None:
    log, state, messages = run(sync(WAVES), health={"web": [PROGRESSING, PROGRESSING, HEALTHY]})
    assert log == [
        "apply Deployment/web",
        "wait-healthy Deployment/web",
        "wait-healthy Deployment/web",
        "wait-healthy Deployment/web",
        "apply ConfigMap/after",
    ]
    assert messages[0] == "waiting for healthy state of apps/Deployment/web"
    assert state.phase is OperationPhase.SUCCEEDED
    web = next(r for r in state.results if r.key.name == "web")
    assert (web.hook_phase, web.message) == (OperationPhase.SUCCEEDED, "")


def test_hooks_run_in_phases_and_are_deleted_by_policy() -> None:
    log, state, messages = run(sync(HOOKS), health={"migrate": [PROGRESSING, HEALTHY]})
    assert log == [
        "create-hook Job/migrate",
        "wait-healthy Job/migrate",
        "wait-healthy Job/migrate",
        "apply Deployment/web",
        "wait-healthy Deployment/web",
        "create-hook Job/smoke",
        "wait-healthy Job/smoke",
        "delete-hook Job/migrate",
    ]
    assert messages[1] == "waiting for completion of hook batch/Job/migrate"
    assert state.phase is OperationPhase.SUCCEEDED
    assert [(r.key.name, r.sync_phase, r.hook_phase, r.order) for r in state.results] == [
        ("migrate", "PreSync", OperationPhase.SUCCEEDED, 1),
        ("web", "Sync", OperationPhase.SUCCEEDED, 2),
        ("smoke", "PostSync", OperationPhase.SUCCEEDED, 3),
    ]


def test_a_degraded_resource_fails_the_sync_and_runs_syncfail_hooks() -> None:
    log, state, _ = run(sync(HOOKS), health={"web": [DEGRADED]})
    assert log == [
        "create-hook Job/migrate",
        "wait-healthy Job/migrate",
        "apply Deployment/web",
        "wait-healthy Deployment/web",
        "create-hook Job/notify",
        "wait-healthy Job/notify",
        "delete-hook Job/migrate",
        "delete-hook Job/notify",
    ]
    assert (state.phase, state.message) == (
        OperationPhase.FAILED,
        "one or more synchronization tasks completed unsuccessfully",
    )
    web = next(r for r in state.results if r.key.name == "web")
    assert (web.status, web.hook_phase, web.message) == (
        ResultCode.SYNCED,
        OperationPhase.FAILED,
        "crash looping",
    )
    assert "smoke" not in {r.key.name for r in state.results}


def test_a_failed_apply_fails_with_the_reason() -> None:
    log, state, _ = run(sync(WAVES), failing=["web"])
    assert log == ["apply Deployment/web"]
    assert state.phase is OperationPhase.FAILED
    assert state.message == (
        "one or more objects failed to apply, reason: web: admission webhook denied the request"
    )
    [web] = state.results
    assert (web.status, web.hook_phase) == (ResultCode.SYNC_FAILED, OperationPhase.FAILED)


def test_a_failing_syncfail_hook_is_reported() -> None:
    _, state, _ = run(sync(HOOKS), failing=["web", "notify"])
    assert state.message == (
        "one or more objects failed to apply, reason: web: admission webhook denied the request\n"
        "one or more SyncFail hooks failed, reason: notify: admission webhook denied the request"
    )


def test_a_failed_hook_with_hookfailed_policy_is_deleted() -> None:
    text = """
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shop
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: "HookFailed,HookSucceeded"
---
{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: shop}}
"""
    log, state, _ = run(
        sync(text), health={"migrate": [HealthResult(HealthStatus.DEGRADED, "BackoffLimitExceeded")]}
    )
    assert log == ["create-hook Job/migrate", "wait-healthy Job/migrate", "delete-hook Job/migrate"]
    assert state.phase is OperationPhase.FAILED
    [migrate] = state.results
    assert (migrate.hook_phase, migrate.message) == (OperationPhase.FAILED, "BackoffLimitExceeded")


def test_before_hook_creation_deletes_the_previous_hook_first() -> None:
    hook = """
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop, annotations: {argocd.argoproj.io/hook: Sync}}
"""
    log, state, _ = run(sync(hook, live=hook))
    assert log == ["delete-hook Job/migrate", "create-hook Job/migrate", "wait-healthy Job/migrate"]
    assert state.phase is OperationPhase.SUCCEEDED


def test_a_hook_without_health_completes_when_created() -> None:
    hook = """
apiVersion: v1
kind: ConfigMap
metadata: {name: marker, namespace: shop, annotations: {argocd.argoproj.io/hook: PostSync}}
"""
    _, state, _ = run(sync(hook), health={"marker": [None]})
    [marker] = state.results
    assert (marker.hook_phase, marker.message) == (OperationPhase.SUCCEEDED, "marker created")


def test_prunes_come_first_in_their_step_with_the_propagation_policy() -> None:
    live = """
{apiVersion: v1, kind: ConfigMap, metadata: {name: old, namespace: shop}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: keep, namespace: shop, annotations: {argocd.argoproj.io/sync-options: Prune=false}}
"""
    state = sync(
        "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: shop}}",
        live=live,
        prune=True,
        options=parse_sync_options(["PrunePropagationPolicy=background"]),
    )
    actions = next_actions(state)
    assert [(a.kind, a.key.name, a.propagation_policy) for a in actions] == [
        (ActionKind.DELETE, "old", "background"),
        (ActionKind.APPLY, "a", None),
    ]
    _, state, _ = run(state)
    assert [(r.key.name, r.status, r.message) for r in state.results] == [
        ("keep", ResultCode.PRUNE_SKIPPED, "ignored (no prune)"),
        ("a", ResultCode.SYNCED, "a done"),
        ("old", ResultCode.PRUNED, "old done"),
    ]


def test_a_resource_that_disappears_while_waited_on_is_an_error() -> None:
    _, state, _ = run(sync(WAVES), health={"web": [GONE]})
    assert state.phase is OperationPhase.FAILED
    web = next(r for r in state.results if r.key.name == "web")
    assert (web.status, web.hook_phase, web.message) == (
        ResultCode.SYNC_FAILED,
        OperationPhase.ERROR,
        "Resource apps/Deployment/web is missing, it might have been deleted",
    )


def test_waiting_messages_count_the_other_resources() -> None:
    text = """
{apiVersion: apps/v1, kind: Deployment, metadata: {name: a, namespace: shop}}
---
{apiVersion: apps/v1, kind: Deployment, metadata: {name: b, namespace: shop}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: shop, annotations: {argocd.argoproj.io/sync-wave: "1"}}
"""
    _, _, messages = run(sync(text), health={"a": [PROGRESSING], "b": [PROGRESSING]})
    assert "waiting for healthy state of apps/Deployment/a and 1 more resources" in messages


def test_an_empty_plan_has_succeeded() -> None:
    state = start(plan_sync([], {}))
    assert state.done
    assert (state.phase, state.message) == (OperationPhase.SUCCEEDED, "successfully synced (no more tasks)")
    assert next_actions(state) == []


def test_recording_an_unexpected_action_is_refused() -> None:
    state = sync(WAVES)
    [apply] = next_actions(state)
    state = state.record(ActionResult(apply))
    with pytest.raises(ValueError, match="not an action the sync is waiting for"):
        state.record(ActionResult(apply))


def test_writes_of_a_step_may_be_recorded_in_any_order() -> None:
    text = """
{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: shop}}
---
{apiVersion: v1, kind: ConfigMap, metadata: {name: b, namespace: shop}}
"""
    state = sync(text)
    first, second = next_actions(state)
    assert state.record(ActionResult(second)) is state  # recorded in place
    assert next_actions(state) == [first]
    state.record(ActionResult(first))
    assert state.phase is OperationPhase.SUCCEEDED
    assert [r.order for r in state.results] == [1, 2]


def test_terminate_and_error_end_the_operation() -> None:
    state = sync(WAVES)
    assert state.terminate().phase is OperationPhase.FAILED
    assert (state.done, state.message, next_actions(state)) == (True, "Operation terminated", [])
    state = sync(WAVES)
    state.error("cluster unreachable: connection refused")
    assert (state.phase, state.message) == (OperationPhase.ERROR, "cluster unreachable: connection refused")
    done = start(plan_sync([], {}))
    assert done.error("late").phase is OperationPhase.SUCCEEDED  # a finished operation stays finished


PRUNE_WAVES_LIVE = """
{apiVersion: v1, kind: ConfigMap, metadata: {name: old, namespace: shop}}
"""
PRUNE_WAVES = """
{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: shop}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b, namespace: shop, annotations: {argocd.argoproj.io/sync-wave: "1"}}
"""


def test_the_next_wave_waits_until_pruned_objects_are_gone() -> None:
    state = sync(PRUNE_WAVES, live=PRUNE_WAVES_LIVE, prune=True)
    log, state, messages = run(state, health={"old": [HEALTHY, HEALTHY, GONE]})
    assert log == [
        "delete ConfigMap/old",
        "apply ConfigMap/a",
        "wait-healthy ConfigMap/a",
        "wait-healthy ConfigMap/old",
        "wait-healthy ConfigMap/old",
        "wait-healthy ConfigMap/old",
        "apply ConfigMap/b",
    ]
    assert "waiting for deletion of /ConfigMap/old" in messages
    assert state.phase is OperationPhase.SUCCEEDED
    old = next(r for r in state.results if r.key.name == "old")
    assert (old.status, old.hook_phase) == (ResultCode.PRUNED, OperationPhase.SUCCEEDED)


def test_prunes_of_the_last_step_are_not_waited_for() -> None:
    log, state, _ = run(
        sync(
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: shop}}",
            live=PRUNE_WAVES_LIVE,
            prune=True,
        )
    )
    assert log == ["delete ConfigMap/old", "apply ConfigMap/a"]
    assert state.phase is OperationPhase.SUCCEEDED


def _stop_when_waiting(state: SyncState, health: HealthResult) -> list[str]:
    """Run writes until the sync waits; answer one wait with `health`."""
    log: list[str] = []
    while True:
        actions = next_actions(state)
        action = actions[0]
        log.append(f"{action.kind} {action.key.kind}/{action.key.name}")
        if action.kind is ActionKind.WAIT_HEALTHY:
            state.record(ActionResult(action, health=health))
            return log
        state.record(ActionResult(action, message=f"{action.key.name} done"))


def test_a_resumed_sync_does_not_write_again_and_waits_where_it_stopped() -> None:
    first = sync(WAVES)
    assert _stop_when_waiting(first, PROGRESSING) == ["apply Deployment/web", "wait-healthy Deployment/web"]
    assert first.message == "waiting for healthy state of apps/Deployment/web"
    recorded = first.results

    again = resume(plan_sync(objects(WAVES), {}), recorded)
    assert again.message == "waiting for healthy state of apps/Deployment/web"
    log, again, _ = run(again)
    assert log == ["wait-healthy Deployment/web", "apply ConfigMap/after"]
    assert again.phase is OperationPhase.SUCCEEDED


def test_a_resumed_sync_keeps_the_results_of_objects_already_pruned_and_gone() -> None:
    first = sync(PRUNE_WAVES, live=PRUNE_WAVES_LIVE, prune=True)
    _stop_when_waiting(first, HEALTHY)  # `old` is still being deleted
    assert first.message == "waiting for deletion of /ConfigMap/old"
    # the next reconcile: `old` has gone, so the new plan has no prune task for it
    again = resume(plan_sync(objects(PRUNE_WAVES), {}, prune=True), first.results)
    log, again, _ = run(again)
    assert log == ["apply ConfigMap/b"]
    assert {(r.key.name, r.status) for r in again.results} == {
        ("old", ResultCode.PRUNED),
        ("a", ResultCode.SYNCED),
        ("b", ResultCode.SYNCED),
    }


def test_a_resumed_sync_whose_hook_failed_runs_its_syncfail_hooks() -> None:
    first = sync(HOOKS)
    _stop_when_waiting(first, PROGRESSING)  # the PreSync hook runs
    recorded = [
        replace(r, hook_phase=OperationPhase.FAILED, message="Job has reached the specified backoff limit")
        if r.key.name == "migrate"
        else r
        for r in first.results
    ]
    log, again, _ = run(resume(plan_sync(objects(HOOKS), {}), recorded))
    assert log[0] == "create-hook Job/notify"
    assert "apply Deployment/web" not in log
    assert again.phase is OperationPhase.FAILED
    assert again.message == "one or more synchronization tasks completed unsuccessfully"
    migrate = next(r for r in again.results if r.key.name == "migrate")
    assert (migrate.hook_phase, migrate.message) == (
        OperationPhase.FAILED,
        "Job has reached the specified backoff limit",
    )


def test_resuming_a_finished_plan_cleans_up_and_succeeds() -> None:
    first = sync(HOOKS)
    _, first, _ = run(first)
    assert first.phase is OperationPhase.SUCCEEDED
    log, again, _ = run(resume(plan_sync(objects(HOOKS), {}), first.results))
    assert again.phase is OperationPhase.SUCCEEDED
    assert log == ["delete-hook Job/migrate"]  # only the clean-up, which tolerates a hook already gone
