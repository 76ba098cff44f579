"""Health assessment of live Kubernetes objects, with Argo CD's built-in rules (pure).

Public API::

    assess(obj: Manifest) -> HealthResult | None     # None: the kind has no health rule
    aggregate(results) -> HealthStatus               # application health: worst of, Argo's rules
    resource_health(group_kind, live | None, *, hook=False) -> ResourceHealth   # Missing if no live
    application_health(desired, live, *, is_hook) -> (HealthStatus, {ResourceKey: HealthResult | None})
    HealthStatus (Healthy < Suspended < Progressing < Missing < Degraded < Unknown)
    is_worse(current, new) -> bool; worst(statuses) -> HealthStatus
    HealthResult(status, message="", aggregate_as=None); ResourceHealth(group_kind, result, hook)
    has_health_rule(group_kind) -> bool

One module per kind (deployment, statefulset, daemonset, replicaset, pod, job, service/ingress,
pvc, hpa, apiservice, rollout), each following gitops-engine's `pkg/health` or Argo CD's Lua
health script for Argo Rollouts, messages included.
"""

from fleetops.core.health.aggregate import ResourceHealth, aggregate, application_health, resource_health
from fleetops.core.health.assess import assess, has_health_rule
from fleetops.core.health.status import HealthResult, HealthStatus, is_worse, worst

__all__ = [
    "HealthResult",
    "HealthStatus",
    "ResourceHealth",
    "aggregate",
    "application_health",
    "assess",
    "has_health_rule",
    "is_worse",
    "resource_health",
    "worst",
]
