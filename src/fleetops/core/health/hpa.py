"""HorizontalPodAutoscaler health (gitops-engine `health_hpa.go`): conditions in `status.conditions`
(v2, v2beta1, v2beta2) or, for autoscaling/v1, the `autoscaling.alpha.kubernetes.io/conditions`
annotation."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fleetops.core.health import fields
from fleetops.core.health.status import HealthResult, HealthStatus

CONDITIONS_ANNOTATION = "autoscaling.alpha.kubernetes.io/conditions"
WAITING = HealthResult(HealthStatus.PROGRESSING, "Waiting to Autoscale")
_DEGRADED = {
    ("AbleToScale", "FailedGetScale"),
    ("AbleToScale", "FailedUpdateScale"),
    ("ScalingActive", "FailedGetResourceMetric"),
    ("ScalingActive", "InvalidSelector"),
}
_HEALTHY_TYPES = ("AbleToScale", "ScalingLimited")


def hpa_health(obj: Mapping[str, Any]) -> HealthResult:
    if fields.text(obj.get("apiVersion")) == "autoscaling/v1":
        annotations = fields.nested(obj, "metadata", "annotations")
        raw = annotations.get(CONDITIONS_ANNOTATION) if isinstance(annotations, Mapping) else None
        if not isinstance(raw, str):
            return WAITING
        try:
            decoded = json.loads(raw)
        except json.JSONDecodeError as error:
            return HealthResult(
                HealthStatus.UNKNOWN, f"failed to convert conditions annotation to typed: {error}"
            )
        conditions = fields.mappings(decoded)
    else:
        conditions = fields.conditions(obj)
    for condition in conditions:
        kind, reason = condition.get("type"), condition.get("reason")
        if (kind, reason) in _DEGRADED:
            return HealthResult(HealthStatus.DEGRADED, fields.text(condition.get("message")))
        if kind in _HEALTHY_TYPES and condition.get("status") == "True":
            return HealthResult(HealthStatus.HEALTHY, fields.text(condition.get("message")))
    return WAITING
