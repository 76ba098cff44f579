"""StatefulSet health (gitops-engine `health_statefulset.go`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.health import fields
from fleetops.core.health.status import HealthResult, HealthStatus


def statefulset_health(obj: Mapping[str, Any]) -> HealthResult:
    observed = fields.observed_generation(obj)
    if observed == 0 or fields.generation(obj) > observed:
        return HealthResult(HealthStatus.PROGRESSING, "Waiting for statefulset spec update to be observed...")
    status = fields.mapping(obj, "status")
    replicas = fields.optional_integer(fields.nested(obj, "spec", "replicas"))
    ready = fields.integer(status.get("readyReplicas"))
    updated = fields.integer(status.get("updatedReplicas"))
    if replicas is not None and ready < replicas:
        return HealthResult(HealthStatus.PROGRESSING, f"Waiting for {replicas - ready} pods to be ready...")
    strategy = fields.mapping(obj, "spec", "updateStrategy")
    strategy_type = fields.text(strategy.get("type"))
    rolling = strategy.get("rollingUpdate")
    if strategy_type == "RollingUpdate" and isinstance(rolling, Mapping):
        partition = fields.optional_integer(rolling.get("partition"))
        if replicas is not None and partition is not None and updated < replicas - partition:
            return HealthResult(
                HealthStatus.PROGRESSING,
                "Waiting for partitioned roll out to finish: "
                f"{updated} out of {replicas - partition} new pods have been updated...",
            )
        return HealthResult(
            HealthStatus.HEALTHY, f"partitioned roll out complete: {updated} new pods have been updated..."
        )
    if strategy_type == "OnDelete":
        return HealthResult(HealthStatus.HEALTHY, f"statefulset has {ready} ready pods")
    update_revision = fields.text(status.get("updateRevision"))
    current_revision = fields.text(status.get("currentRevision"))
    if update_revision != current_revision:
        return HealthResult(
            HealthStatus.PROGRESSING,
            "waiting for statefulset rolling update to complete "
            f"{updated} pods at revision {update_revision}...",
        )
    current = fields.integer(status.get("currentReplicas"))
    return HealthResult(
        HealthStatus.HEALTHY,
        f"statefulset rolling update complete {current} pods at revision {current_revision}...",
    )
