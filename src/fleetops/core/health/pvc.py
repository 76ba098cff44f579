"""PersistentVolumeClaim health (Argo CD's `health_pvc.go`).

Pending is Progressing while a provisioner works on it (`volume.beta.kubernetes.io/storage-provisioner`
annotation) and Healthy "Waiting for consumer" otherwise (WaitForFirstConsumer storage classes).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.health import fields
from fleetops.core.health.status import HealthResult, HealthStatus

STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner"


def pvc_health(obj: Mapping[str, Any]) -> HealthResult:
    phase = fields.nested(obj, "status", "phase")
    if phase == "Lost":
        return HealthResult(HealthStatus.DEGRADED)
    if phase == "Pending":
        annotations = fields.nested(obj, "metadata", "annotations")
        if isinstance(annotations, Mapping) and STORAGE_PROVISIONER in annotations:
            return HealthResult(HealthStatus.PROGRESSING, "Provisioning volume")
        return HealthResult(HealthStatus.HEALTHY, "Waiting for consumer")
    if phase == "Bound":
        return HealthResult(HealthStatus.HEALTHY)
    return HealthResult(HealthStatus.UNKNOWN)
