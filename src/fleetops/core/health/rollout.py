"""Argo Rollouts `Rollout` health, following Argo CD's built-in Lua health script
(`resource_customizations/argoproj.io/Rollout/health.lua`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.health import fields
from fleetops.core.health.status import HealthResult, HealthStatus

WORKLOAD_GENERATION = "rollout.argoproj.io/workload-generation"


def rollout_health(obj: Mapping[str, Any]) -> HealthResult:
    status = obj.get("status")
    if not isinstance(status, Mapping) or not _generation_observed(obj, status):
        return HealthResult(HealthStatus.PROGRESSING, "Waiting for rollout spec update to be observed")
    # Argo Rollouts >= 1.0 records a phase and message that Argo CD surfaces as they are.
    phase = status.get("phase")
    if isinstance(phase, str) and phase:
        message = fields.text(status.get("message"))
        if phase == "Paused":
            return HealthResult(HealthStatus.SUSPENDED, message)
        try:
            return HealthResult(HealthStatus(phase), message)
        except ValueError:
            return HealthResult(HealthStatus.UNKNOWN, message)
    for condition in fields.conditions(obj):
        kind, reason = condition.get("type"), condition.get("reason")
        if kind == "InvalidSpec" or (
            kind == "Progressing" and reason in ("RolloutAborted", "ProgressDeadlineExceeded")
        ):
            return HealthResult(HealthStatus.DEGRADED, fields.text(condition.get("message")))
    if fields.mappings(status.get("pauseConditions")) or fields.nested(obj, "spec", "paused") is True:
        return HealthResult(HealthStatus.SUSPENDED, "Rollout is paused")
    pod_hash = status.get("currentPodHash")
    if pod_hash is None:
        return HealthResult(
            HealthStatus.PROGRESSING, "Waiting for rollout to finish: status has not been reconciled."
        )
    desired = fields.integer(fields.nested(obj, "spec", "replicas"), default=1)
    current = fields.integer(status.get("replicas"))
    updated = fields.integer(status.get("updatedReplicas"))
    available = fields.integer(status.get("availableReplicas"))
    if updated < desired:
        return HealthResult(
            HealthStatus.PROGRESSING, "Waiting for roll out to finish: More replicas need to be updated"
        )
    if available < updated:
        return HealthResult(
            HealthStatus.PROGRESSING,
            "Waiting for roll out to finish: updated replicas are still becoming available",
        )
    stable = _stable_replica_set(status)
    strategy = fields.mapping(obj, "spec", "strategy")
    if strategy.get("blueGreen") is not None:
        if fields.nested(status, "blueGreen", "activeSelector") != pod_hash:
            return HealthResult(HealthStatus.PROGRESSING, "active service cutover pending")
        if stable and stable != pod_hash:
            return HealthResult(HealthStatus.PROGRESSING, "waiting for analysis to complete")
    elif strategy.get("canary") is not None:
        if current > updated:
            return HealthResult(
                HealthStatus.PROGRESSING,
                "Waiting for roll out to finish: old replicas are pending termination",
            )
        if stable != pod_hash:
            return HealthResult(HealthStatus.PROGRESSING, "Waiting for rollout to finish steps")
    return HealthResult(HealthStatus.HEALTHY, "")


def _generation_observed(obj: Mapping[str, Any], status: Mapping[str, Any]) -> bool:
    observed = _number(status.get("observedGeneration"))
    generation = fields.generation(obj)
    # A non-numeric observedGeneration (Rollouts <= v0.9) counts as observed.
    spec_observed = observed is None or observed > generation or observed == generation
    if fields.nested(obj, "spec", "workloadRef") is None:
        return spec_observed
    annotations = fields.nested(obj, "metadata", "annotations")
    if not isinstance(annotations, Mapping):
        return spec_observed
    workload = _number(annotations.get(WORKLOAD_GENERATION))
    return spec_observed and workload == _number(status.get("workloadObservedGeneration"))


def _number(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


def _stable_replica_set(status: Mapping[str, Any]) -> str:
    stable = status.get("stableRS")
    if isinstance(stable, str):
        return stable
    return fields.text(fields.nested(status, "canary", "stableRS"))
