"""Service and Ingress health (gitops-engine `health_service.go`, `health_ingress.go`): waiting
for a load balancer address."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.health import fields
from fleetops.core.health.status import HealthResult, HealthStatus


def service_health(obj: Mapping[str, Any]) -> HealthResult:
    if fields.nested(obj, "spec", "type") == "LoadBalancer" and not _has_ingress(obj):
        return HealthResult(HealthStatus.PROGRESSING)
    return HealthResult(HealthStatus.HEALTHY)


def ingress_health(obj: Mapping[str, Any]) -> HealthResult:
    return HealthResult(HealthStatus.HEALTHY if _has_ingress(obj) else HealthStatus.PROGRESSING)


def _has_ingress(obj: Mapping[str, Any]) -> bool:
    ingress = fields.nested(obj, "status", "loadBalancer", "ingress")
    return isinstance(ingress, list) and len(ingress) > 0
