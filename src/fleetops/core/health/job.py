"""Job health (gitops-engine `health_job.go`): Complete, Failed, Suspended conditions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.health import fields
from fleetops.core.health.status import HealthResult, HealthStatus


def job_health(obj: Mapping[str, Any]) -> HealthResult:
    failed = complete = suspended = False
    fail_message = message = ""
    for condition in fields.conditions(obj):
        kind = condition.get("type")
        if kind == "Failed":
            failed = complete = True
            fail_message = fields.text(condition.get("message"))
        elif kind == "Complete":
            complete = True
            message = fields.text(condition.get("message"))
        elif kind == "Suspended":
            complete = True
            message = fields.text(condition.get("message"))
            suspended = condition.get("status") == "True"
    if not complete:
        return HealthResult(HealthStatus.PROGRESSING, message)
    if failed:
        return HealthResult(HealthStatus.DEGRADED, fail_message)
    if suspended:
        # A suspended Job does not make its application unhealthy (Argo's AggregateAs: Healthy).
        return HealthResult(HealthStatus.SUSPENDED, fail_message, aggregate_as=HealthStatus.HEALTHY)
    return HealthResult(HealthStatus.HEALTHY, message)
