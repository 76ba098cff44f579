"""`assess(obj)`: one live object's health by its group and kind, or None for kinds without a
health rule (Argo CD gives unknown kinds no health)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fleetops.core.health import fields
from fleetops.core.health.apiservice import apiservice_health
from fleetops.core.health.daemonset import daemonset_health
from fleetops.core.health.deployment import deployment_health
from fleetops.core.health.hpa import hpa_health
from fleetops.core.health.job import job_health
from fleetops.core.health.pod import pod_health
from fleetops.core.health.pvc import pvc_health
from fleetops.core.health.replicaset import replicaset_health
from fleetops.core.health.rollout import rollout_health
from fleetops.core.health.service import ingress_health, service_health
from fleetops.core.health.statefulset import statefulset_health
from fleetops.core.health.status import HealthResult, HealthStatus
from fleetops.model.gvk import GroupKind, split_api_version

HealthRule = Callable[[Mapping[str, Any]], HealthResult]

HOOK_FINALIZER = "argocd.argoproj.io/hook-finalizer"

RULES: Mapping[GroupKind, HealthRule] = {
    GroupKind("apps", "Deployment"): deployment_health,
    GroupKind("apps", "StatefulSet"): statefulset_health,
    GroupKind("apps", "DaemonSet"): daemonset_health,
    GroupKind("apps", "ReplicaSet"): replicaset_health,
    GroupKind("", "Pod"): pod_health,
    GroupKind("", "Service"): service_health,
    GroupKind("", "PersistentVolumeClaim"): pvc_health,
    GroupKind("batch", "Job"): job_health,
    GroupKind("networking.k8s.io", "Ingress"): ingress_health,
    GroupKind("extensions", "Ingress"): ingress_health,
    GroupKind("autoscaling", "HorizontalPodAutoscaler"): hpa_health,
    GroupKind("apiregistration.k8s.io", "APIService"): apiservice_health,
    GroupKind("argoproj.io", "Rollout"): rollout_health,
}


def group_kind_of(obj: Mapping[str, Any]) -> GroupKind:
    group, _ = split_api_version(fields.text(obj.get("apiVersion")))
    return GroupKind(group, fields.text(obj.get("kind")))


def has_health_rule(group_kind: GroupKind) -> bool:
    return group_kind in RULES


def assess(obj: Mapping[str, Any]) -> HealthResult | None:
    """The health of live object `obj`; None when its kind has no health rule.

    An object being deleted is Progressing "Pending deletion" whatever its kind, unless it is a
    hook held by Argo's hook finalizer (gitops-engine `GetResourceHealth`).
    """
    metadata = obj.get("metadata")
    if isinstance(metadata, Mapping) and metadata.get("deletionTimestamp"):
        finalizers = metadata.get("finalizers")
        if not (isinstance(finalizers, list) and HOOK_FINALIZER in finalizers):
            return HealthResult(HealthStatus.PROGRESSING, "Pending deletion")
    rule = RULES.get(group_kind_of(obj))
    return rule(obj) if rule is not None else None
