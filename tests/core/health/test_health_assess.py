"""Per-kind health from YAML fixtures: (fixture, expected status, expected message), gitops-engine style."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetops.core.health import HealthResult, HealthStatus, assess

TESTDATA = Path(__file__).parent / "testdata"
H, S, P, D, U = (
    HealthStatus.HEALTHY,
    HealthStatus.SUSPENDED,
    HealthStatus.PROGRESSING,
    HealthStatus.DEGRADED,
    HealthStatus.UNKNOWN,
)


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((TESTDATA / name).read_text())
    assert isinstance(data, dict)
    return data


CASES: list[tuple[str, HealthStatus, str]] = [
    ("deployment-healthy.yaml", H, ""),
    ("deployment-suspended.yaml", S, "Deployment is paused"),
    (
        "deployment-generation-lag.yaml",
        P,
        "Waiting for rollout to finish: observed deployment generation less than desired generation",
    ),
    (
        "deployment-progressing-updated.yaml",
        P,
        "Waiting for rollout to finish: 1 out of 3 new replicas have been updated...",
    ),
    (
        "deployment-progressing-old-replicas.yaml",
        P,
        "Waiting for rollout to finish: 1 old replicas are pending termination...",
    ),
    (
        "deployment-progressing-available.yaml",
        P,
        "Waiting for rollout to finish: 1 of 3 updated replicas are available...",
    ),
    ("deployment-degraded.yaml", D, 'Deployment "web" exceeded its progress deadline'),
    ("deployment-pending-deletion.yaml", P, "Pending deletion"),
    ("statefulset-healthy.yaml", H, "statefulset rolling update complete 3 pods at revision db-7b5..."),
    ("statefulset-not-observed.yaml", P, "Waiting for statefulset spec update to be observed..."),
    ("statefulset-not-ready.yaml", P, "Waiting for 2 pods to be ready..."),
    (
        "statefulset-partitioned.yaml",
        P,
        "Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...",
    ),
    ("statefulset-ondelete.yaml", H, "statefulset has 2 ready pods"),
    (
        "statefulset-rolling.yaml",
        P,
        "waiting for statefulset rolling update to complete 1 pods at revision db-2...",
    ),
    ("daemonset-healthy.yaml", H, ""),
    (
        "daemonset-progressing.yaml",
        P,
        'Waiting for daemon set "agent" rollout to finish: 1 out of 3 new pods have been updated...',
    ),
    (
        "daemonset-unavailable.yaml",
        P,
        'Waiting for daemon set "agent" rollout to finish: 2 of 3 updated pods are available...',
    ),
    ("daemonset-ondelete.yaml", H, "daemon set 1 out of 3 new pods have been updated"),
    ("replicaset-healthy.yaml", H, ""),
    ("replicaset-degraded.yaml", D, 'pods "web-1-x" is forbidden: exceeded quota'),
    (
        "replicaset-progressing.yaml",
        P,
        "Waiting for rollout to finish: 1 out of 2 new replicas are available...",
    ),
    ("pod-running-ready.yaml", H, ""),
    ("pod-running-not-ready.yaml", P, ""),
    ("pod-running-restarted.yaml", D, "container restarted"),
    ("pod-crashloop.yaml", D, "back-off 5m0s restarting failed container=web"),
    ("pod-imagepullbackoff.yaml", D, 'Back-off pulling image "nginx:nope", rpc error: not found'),
    ("pod-hook-imagepullbackoff.yaml", P, "waiting for image"),
    ("pod-pending.yaml", P, "0/3 nodes are available"),
    ("pod-succeeded.yaml", H, ""),
    ("pod-failed-exit-code.yaml", D, 'container "once" failed with exit code 2'),
    ("pod-failed-oomkilled.yaml", D, "OOMKilled"),
    ("pod-running-restart-never.yaml", P, ""),
    ("pod-running-restart-never-ignore-policy.yaml", H, ""),
    ("pod-unknown-phase.yaml", U, "node lost"),
    ("hook-pod-deleting-with-finalizer.yaml", H, ""),
    ("job-running.yaml", P, ""),
    ("job-succeeded.yaml", H, "done"),
    ("job-failed.yaml", D, "Job has reached the specified backoff limit"),
    ("job-suspended.yaml", S, ""),
    ("svc-clusterip.yaml", H, ""),
    ("svc-loadbalancer-pending.yaml", P, ""),
    ("svc-loadbalancer.yaml", H, ""),
    ("ingress.yaml", H, ""),
    ("ingress-unassigned.yaml", P, ""),
    ("ingress-extensions.yaml", H, ""),
    ("pvc-bound.yaml", H, ""),
    ("pvc-pending-provisioning.yaml", P, "Provisioning volume"),
    ("pvc-pending-wait-for-consumer.yaml", H, "Waiting for consumer"),
    ("pvc-lost.yaml", D, ""),
    ("hpa-v2-healthy.yaml", H, "recommended size matches current size"),
    ("hpa-v2-degraded.yaml", D, 'deployments/scale.apps "web" not found'),
    ("hpa-v2-progressing.yaml", P, "Waiting to Autoscale"),
    ("hpa-v1-healthy.yaml", H, "the HPA controller was able to get the target's current scale"),
    ("hpa-v1-no-annotation.yaml", P, "Waiting to Autoscale"),
    ("apiservice-available.yaml", H, "Passed: all checks passed"),
    (
        "apiservice-unavailable.yaml",
        P,
        "MissingEndpoints: endpoints for service/metrics-server have no addresses",
    ),
    ("apiservice-unprocessed.yaml", P, "Waiting to be processed"),
    ("rollout-phase-healthy.yaml", H, ""),
    ("rollout-phase-paused.yaml", S, "CanaryPauseStep"),
    ("rollout-phase-degraded.yaml", D, "RolloutAborted: Rollout aborted update to revision 12"),
    ("rollout-phase-progressing.yaml", P, "more replicas need to be updated"),
    ("rollout-not-observed.yaml", P, "Waiting for rollout spec update to be observed"),
    ("rollout-aborted.yaml", D, "Rollout is aborted"),
    ("rollout-progress-deadline.yaml", D, 'ReplicaSet "web-abc" has timed out progressing.'),
    ("rollout-paused-spec.yaml", S, "Rollout is paused"),
    ("rollout-canary-steps.yaml", P, "Waiting for rollout to finish steps"),
    ("rollout-canary-healthy.yaml", H, ""),
    ("rollout-canary-updating.yaml", P, "Waiting for roll out to finish: More replicas need to be updated"),
    ("rollout-bluegreen-cutover.yaml", P, "active service cutover pending"),
    ("rollout-bluegreen-healthy.yaml", H, ""),
    ("rollout-unreconciled.yaml", P, "Waiting for rollout to finish: status has not been reconciled."),
    ("configmap-pending-deletion.yaml", P, "Pending deletion"),
]


@pytest.mark.parametrize(("fixture", "status", "message"), CASES, ids=[case[0] for case in CASES])
def test_assess(fixture: str, status: HealthStatus, message: str) -> None:
    result = assess(load(fixture))
    assert result is not None
    assert (result.status, result.message) == (status, message)


@pytest.mark.parametrize("fixture", ["configmap.yaml", "custom-resource-ready.yaml"])
def test_kinds_without_a_rule_have_no_health(fixture: str) -> None:
    assert assess(load(fixture)) is None


def test_a_suspended_job_counts_as_healthy() -> None:
    assert assess(load("job-suspended.yaml")) == HealthResult(
        HealthStatus.SUSPENDED, "", aggregate_as=HealthStatus.HEALTHY
    )


def test_every_fixture_is_used() -> None:
    used = {case[0] for case in CASES} | {"configmap.yaml", "custom-resource-ready.yaml"}
    assert {path.name for path in TESTDATA.glob("*.yaml")} == used
