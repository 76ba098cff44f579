"""Application health: ordering, worst-of, and which resources count (Argo CD's rules)."""

from __future__ import annotations

import pytest

from fleetops.core.health import (
    HealthResult,
    HealthStatus,
    ResourceHealth,
    aggregate,
    application_health,
    is_worse,
    resource_health,
    worst,
)
from fleetops.model.gvk import GroupKind
from fleetops.model.keys import ResourceKey

H, S, P, M, D, U = (
    HealthStatus.HEALTHY,
    HealthStatus.SUSPENDED,
    HealthStatus.PROGRESSING,
    HealthStatus.MISSING,
    HealthStatus.DEGRADED,
    HealthStatus.UNKNOWN,
)
DEPLOYMENT = GroupKind("apps", "Deployment")
SECRET = GroupKind("", "Secret")
APPLICATION = GroupKind("argoproj.io", "Application")


def test_argo_order() -> None:
    order = [H, S, P, M, D, U]
    for i, current in enumerate(order):
        for j, new in enumerate(order):
            assert is_worse(current, new) is (j > i)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [([], H), ([H, S], S), ([S, P, H], P), ([P, M], M), ([M, D], D), ([D, U, H], U)],
)
def test_worst(statuses: list[HealthStatus], expected: HealthStatus) -> None:
    assert worst(statuses) == expected


def test_results_without_health_do_not_count() -> None:
    assert aggregate([None, HealthResult(P), None]) == P
    assert aggregate([None]) == H


def test_hooks_do_not_count() -> None:
    hook = ResourceHealth(DEPLOYMENT, HealthResult(D), hook=True)
    assert aggregate([hook, ResourceHealth(DEPLOYMENT, HealthResult(H))]) == H


def test_missing_counts_for_kinds_with_health() -> None:
    assert aggregate([resource_health(DEPLOYMENT, None), ResourceHealth(DEPLOYMENT, HealthResult(P))]) == M


def test_missing_does_not_count_for_kinds_without_health() -> None:
    assert aggregate([resource_health(SECRET, None)]) == H


def test_missing_or_unknown_child_application_does_not_count() -> None:
    assert (
        aggregate(
            [ResourceHealth(APPLICATION, HealthResult(M)), ResourceHealth(APPLICATION, HealthResult(U))]
        )
        == H
    )
    assert aggregate([ResourceHealth(APPLICATION, HealthResult(D))]) == D


def test_aggregate_as_replaces_the_status() -> None:
    suspended_job = HealthResult(S, aggregate_as=H)
    assert aggregate([suspended_job]) == H
    assert aggregate([ResourceHealth(GroupKind("batch", "Job"), suspended_job)]) == H


def test_resource_health_assesses_live_objects() -> None:
    live = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web"},
        "spec": {"type": "LoadBalancer"},
    }
    assert resource_health(GroupKind("", "Service"), live).result == HealthResult(P)
    assert resource_health(SECRET, {"apiVersion": "v1", "kind": "Secret"}).result is None


def test_application_health_from_desired_and_live() -> None:
    web = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}}
    live_web = {
        **web,
        "spec": {"replicas": 1},
        "status": {"replicas": 1, "updatedReplicas": 1, "availableReplicas": 1},
    }
    api = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "shop"}}
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "keys", "namespace": "shop"}}
    hook = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": "migrate",
            "namespace": "shop",
            "annotations": {"argocd.argoproj.io/hook": "PreSync"},
        },
        "status": {"conditions": [{"type": "Failed", "status": "True"}]},
    }
    live = {ResourceKey.of(live_web): live_web, ResourceKey.of(hook): hook}
    health, per_resource = application_health([web, api, secret, hook], live)
    assert health == M  # api is missing; the failed hook does not count, nor the missing Secret
    assert per_resource == {
        ResourceKey.of(api): HealthResult(M),
        ResourceKey.of(secret): HealthResult(M),
        ResourceKey.of(web): HealthResult(H),
    }
    assert application_health([web], live)[0] == H
