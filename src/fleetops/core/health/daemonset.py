"""DaemonSet health (gitops-engine `health_daemonset.go`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.health import fields
from fleetops.core.health.status import HealthResult, HealthStatus


def daemonset_health(obj: Mapping[str, Any]) -> HealthResult:
    if fields.generation(obj) > fields.observed_generation(obj):
        return HealthResult(
            HealthStatus.PROGRESSING,
            "Waiting for rollout to finish: observed daemon set generation less than desired generation",
        )
    status = fields.mapping(obj, "status")
    name = fields.text(fields.nested(obj, "metadata", "name"))
    updated = fields.integer(status.get("updatedNumberScheduled"))
    desired = fields.integer(status.get("desiredNumberScheduled"))
    available = fields.integer(status.get("numberAvailable"))
    if fields.nested(obj, "spec", "updateStrategy", "type") == "OnDelete":
        return HealthResult(
            HealthStatus.HEALTHY, f"daemon set {updated} out of {desired} new pods have been updated"
        )
    if updated < desired:
        return HealthResult(
            HealthStatus.PROGRESSING,
            f'Waiting for daemon set "{name}" rollout to finish: '
            f"{updated} out of {desired} new pods have been updated...",
        )
    if available < desired:
        return HealthResult(
            HealthStatus.PROGRESSING,
            f'Waiting for daemon set "{name}" rollout to finish: '
            f"{available} of {desired} updated pods are available...",
        )
    return HealthResult(HealthStatus.HEALTHY)
