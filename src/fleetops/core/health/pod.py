"""Pod health (gitops-engine `health_pod.go`).

A Pod whose restartPolicy is not Always has a finite life (typically a hook): it is Progressing
while it runs, and waiting-container errors do not make it Degraded early. An absent restartPolicy
is the API server's default, Always. `argocd.argoproj.io/ignore-restart-policy: "true"` on a
non-hook Pod assesses it as a long-running Pod.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.health import fields
from fleetops.core.health.status import HealthResult, HealthStatus

IGNORE_RESTART_POLICY = "argocd.argoproj.io/ignore-restart-policy"
_HOOK_ANNOTATIONS = ("argocd.argoproj.io/hook", "helm.sh/hook")


def pod_health(obj: Mapping[str, Any]) -> HealthResult:
    restart_policy = _restart_policy(obj)
    message = fields.text(fields.nested(obj, "status", "message"))
    statuses = fields.mappings(fields.nested(obj, "status", "containerStatuses"))
    if restart_policy == "Always":
        errors = [
            fields.text(fields.nested(status, "state", "waiting", "message"))
            for status in statuses
            if _is_waiting_error(fields.text(fields.nested(status, "state", "waiting", "reason")))
        ]
        if errors:
            return HealthResult(HealthStatus.DEGRADED, ", ".join(errors))
    phase = fields.nested(obj, "status", "phase")
    if phase == "Pending":
        return HealthResult(HealthStatus.PROGRESSING, message)
    if phase == "Succeeded":
        return HealthResult(HealthStatus.HEALTHY, message)
    if phase == "Failed":
        if message:
            return HealthResult(HealthStatus.DEGRADED, message)
        init_statuses = fields.mappings(fields.nested(obj, "status", "initContainerStatuses"))
        for status in [*init_statuses, *statuses]:
            failure = _fail_message(status)
            if failure:
                return HealthResult(HealthStatus.DEGRADED, failure)
        return HealthResult(HealthStatus.DEGRADED, "")
    if phase == "Running":
        if restart_policy == "Always":
            if _is_ready(obj):
                return HealthResult(HealthStatus.HEALTHY, message)
            if any(fields.nested(status, "lastState", "terminated") is not None for status in statuses):
                return HealthResult(HealthStatus.DEGRADED, message)
            return HealthResult(HealthStatus.PROGRESSING, message)
        if restart_policy in ("OnFailure", "Never"):
            return HealthResult(HealthStatus.PROGRESSING, message)
    return HealthResult(HealthStatus.UNKNOWN, message)


def _restart_policy(obj: Mapping[str, Any]) -> str:
    policy = fields.text(fields.nested(obj, "spec", "restartPolicy")) or "Always"
    annotations = fields.nested(obj, "metadata", "annotations")
    if policy != "Always" and isinstance(annotations, Mapping):
        is_hook = any(key in annotations for key in _HOOK_ANNOTATIONS)
        if not is_hook and annotations.get(IGNORE_RESTART_POLICY) == "true":
            return "Always"
    return policy


def _is_waiting_error(reason: str) -> bool:
    # CrashLoopBackOff, ImagePullBackOff, ErrImagePull, CreateContainerConfigError, ...
    return reason.startswith("Err") or reason.endswith("Error") or reason.endswith("BackOff")


def _is_ready(obj: Mapping[str, Any]) -> bool:
    ready = fields.condition(obj, "Ready")
    return ready is not None and ready.get("status") == "True"


def _fail_message(status: Mapping[str, Any]) -> str:
    terminated = fields.nested(status, "state", "terminated")
    if not isinstance(terminated, Mapping):
        return ""
    if terminated.get("message"):
        return fields.text(terminated.get("message"))
    if terminated.get("reason") == "OOMKilled":
        return "OOMKilled"
    exit_code = fields.integer(terminated.get("exitCode"))
    if exit_code != 0:
        return f'container "{fields.text(status.get("name"))}" failed with exit code {exit_code}'
    return ""
