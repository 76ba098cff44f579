"""Deployment health (gitops-engine `health_deployment.go`, after kubectl's rollout status)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.health import fields
from fleetops.core.health.status import HealthResult, HealthStatus


def deployment_health(obj: Mapping[str, Any]) -> HealthResult:
    if nested_bool(obj, "spec", "paused"):
        return HealthResult(HealthStatus.SUSPENDED, "Deployment is paused")
    if fields.generation(obj) > fields.observed_generation(obj):
        return HealthResult(
            HealthStatus.PROGRESSING,
            "Waiting for rollout to finish: observed deployment generation less than desired generation",
        )
    status = fields.mapping(obj, "status")
    replicas = fields.optional_integer(fields.nested(obj, "spec", "replicas"))
    updated = fields.integer(status.get("updatedReplicas"))
    current = fields.integer(status.get("replicas"))
    available = fields.integer(status.get("availableReplicas"))
    progressing = fields.condition(obj, "Progressing")
    if progressing is not None and progressing.get("reason") == "ProgressDeadlineExceeded":
        name = fields.text(fields.nested(obj, "metadata", "name"))
        return HealthResult(HealthStatus.DEGRADED, f'Deployment "{name}" exceeded its progress deadline')
    if replicas is not None and updated < replicas:
        return HealthResult(
            HealthStatus.PROGRESSING,
            f"Waiting for rollout to finish: {updated} out of {replicas} new replicas have been updated...",
        )
    if current > updated:
        return HealthResult(
            HealthStatus.PROGRESSING,
            f"Waiting for rollout to finish: {current - updated} old replicas are pending termination...",
        )
    if available < updated:
        return HealthResult(
            HealthStatus.PROGRESSING,
            f"Waiting for rollout to finish: {available} of {updated} updated replicas are available...",
        )
    return HealthResult(HealthStatus.HEALTHY)


def nested_bool(obj: Mapping[str, Any], *path: str) -> bool:
    return fields.nested(obj, *path) is True
