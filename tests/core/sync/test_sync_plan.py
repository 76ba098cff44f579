"""Sync plans from YAML tables (testdata/plans.yaml): the exact order of steps and tasks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetops.core.sync import (
    HookError,
    SyncPlan,
    SyncPlanError,
    SyncStep,
    SyncWaveError,
    next_actions,
    parse_sync_options,
    plan_sync,
    start,
    with_tracking,
)
from fleetops.model.keys import ResourceKey

CASES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "testdata" / "plans.yaml").read_text())


def key_of(text: str) -> ResourceKey:
    group, kind, namespace, name = text.split("/")
    return ResourceKey(group, kind, namespace, name)


def steps_table(steps: tuple[SyncStep, ...]) -> dict[str, list[str]]:
    return {
        f"{step.phase}/{step.wave}": [
            f"{task.operation} {task.key.kind}/{task.key.name}" for task in step.tasks
        ]
        for step in steps
    }


def plan_case(case: dict[str, Any]) -> SyncPlan:
    live = {ResourceKey.of(obj): obj for obj in case.get("live", [])}
    out_of_sync = case.get("out_of_sync")
    resources = case.get("resources")
    return plan_sync(
        case.get("desired", []),
        live,
        options=parse_sync_options(case.get("options")),
        out_of_sync={key_of(text) for text in out_of_sync} if out_of_sync is not None else None,
        prune=case.get("prune", False),
        resources={key_of(text) for text in resources} if resources is not None else None,
        namespace=case.get("namespace", ""),
        managed_namespace_metadata=case.get("managed_namespace_metadata"),
        revision=case.get("revision", ""),
        sync_id=case.get("sync_id", ""),
    )


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_plan(case: dict[str, Any]) -> None:
    plan = plan_case(case)
    assert steps_table(plan.steps) == case["expected"]
    assert list(steps_table(plan.steps)) == list(case["expected"])  # step order, not only content
    assert steps_table(plan.sync_fail) == case.get("sync_fail", {})
    skipped = [f"{result.key.kind}/{result.key.name} {result.message}" for result in plan.skipped]
    assert skipped == case.get("skipped", [])


def test_create_namespace_carries_managed_metadata() -> None:
    case = next(case for case in CASES if case["name"].startswith("CreateNamespace"))
    namespace = plan_case(case).steps[0].tasks[0]
    assert namespace.target == {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "shop", "labels": {"team": "payments"}, "annotations": {"owner": "ops"}},
    }


def test_create_namespace_skips_an_existing_namespace_without_metadata() -> None:
    live = {
        ResourceKey("", "Namespace", "", "shop"): {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"name": "shop"},
        }
    }
    plan = plan_sync([], live, options=parse_sync_options(["CreateNamespace=true"]), namespace="shop")
    assert plan.steps == ()


def test_order_numbers_follow_execution() -> None:
    plan = plan_case(next(case for case in CASES if case["name"] == "waves and hooks in phases"))
    orders = [plan.order_of(task) for task in plan.tasks]
    assert orders == sorted(orders) == list(range(1, len(plan.tasks) + 1))


@pytest.mark.parametrize("wave", ["one", "1.5", " ", "0x10", "1e3"])
def test_a_wave_that_is_not_an_integer_names_the_resource(wave: str) -> None:
    obj = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "web",
            "namespace": "shop",
            "annotations": {"argocd.argoproj.io/sync-wave": wave},
        },
    }
    with pytest.raises(SyncWaveError) as error:
        plan_sync([obj], {})
    assert "apps/Deployment/shop/web" in str(error.value)
    assert isinstance(error.value, SyncPlanError)


def test_a_live_object_with_a_bad_wave_is_still_pruned_in_wave_zero() -> None:
    obj = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "x", "annotations": {"argocd.argoproj.io/sync-wave": "?"}},
    }
    plan = plan_sync([], {ResourceKey.of(obj): obj}, prune=True)
    assert steps_table(plan.steps) == {"Sync/0": ["prune ConfigMap/x"]}


def test_duplicate_desired_resources_are_an_error() -> None:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "shop"}}
    with pytest.raises(SyncPlanError, match="/ConfigMap/shop/x"):
        plan_sync([obj, obj], {})


def test_a_hook_without_a_name_is_an_error() -> None:
    obj = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"annotations": {"argocd.argoproj.io/hook": "PreSync"}},
    }
    with pytest.raises(SyncPlanError, match="generateName"):
        plan_sync([obj], {})


def test_fail_on_shared_resource() -> None:
    desired = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "shop"}}
    live_obj = with_tracking(desired, "auth")
    live = {ResourceKey.of(desired): live_obj}
    options = parse_sync_options(["FailOnSharedResource=true"])
    with pytest.raises(SyncPlanError) as error:
        plan_sync([desired], live, options=options, app="payments")
    assert str(error.value) == "/ConfigMap/shop/x: shared resource: it is already managed by application auth"
    assert plan_sync([desired], live, app="payments").tasks  # without the option: applied
    assert plan_sync(
        [desired],
        {ResourceKey.of(desired): with_tracking(desired, "payments")},
        options=options,
        app="payments",
    ).tasks


def test_write_actions_carry_the_resource_options() -> None:
    obj = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": "x",
            "namespace": "shop",
            "annotations": {"argocd.argoproj.io/sync-options": "Validate=false"},
        },
    }
    [action] = next_actions(start(plan_sync([obj], {})))
    assert action.options is not None and action.options.validate is False


def test_an_empty_hook_annotation_is_an_error_not_a_silent_drop() -> None:
    obj = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "j", "namespace": "shop", "annotations": {"argocd.argoproj.io/hook": ""}},
    }
    with pytest.raises(HookError) as error:
        plan_sync([obj], {})
    assert str(error.value) == 'batch/Job/shop/j: unknown argocd.argoproj.io/hook ""'
