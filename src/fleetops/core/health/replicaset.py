"""ReplicaSet health (gitops-engine `health_replicaset.go`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.health import fields
from fleetops.core.health.status import HealthResult, HealthStatus


def replicaset_health(obj: Mapping[str, Any]) -> HealthResult:
    if fields.generation(obj) > fields.observed_generation(obj):
        return HealthResult(
            HealthStatus.PROGRESSING,
            "Waiting for rollout to finish: observed replica set generation less than desired generation",
        )
    failure = fields.condition(obj, "ReplicaFailure")
    if failure is not None and failure.get("status") == "True":
        return HealthResult(HealthStatus.DEGRADED, fields.text(failure.get("message")))
    replicas = fields.optional_integer(fields.nested(obj, "spec", "replicas"))
    available = fields.integer(fields.nested(obj, "status", "availableReplicas"))
    if replicas is not None and available < replicas:
        return HealthResult(
            HealthStatus.PROGRESSING,
            f"Waiting for rollout to finish: {available} out of {replicas} new replicas are available...",
        )
    return HealthResult(HealthStatus.HEALTHY)
