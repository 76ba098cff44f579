"""APIService health (gitops-engine `health_apiservice.go`): the Available condition."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.health import fields
from fleetops.core.health.status import HealthResult, HealthStatus


def apiservice_health(obj: Mapping[str, Any]) -> HealthResult:
    available = fields.condition(obj, "Available")
    if available is None:
        return HealthResult(HealthStatus.PROGRESSING, "Waiting to be processed")
    message = f"{fields.text(available.get('reason'))}: {fields.text(available.get('message'))}"
    if available.get("status") == "True":
        return HealthResult(HealthStatus.HEALTHY, message)
    return HealthResult(HealthStatus.PROGRESSING, message)
