"""Sync waves and Argo CD's kind order within a wave (gitops-engine `syncwaves`, `sync_tasks.go`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fleetops.core.sync import argo_annotations as argo
from fleetops.core.sync.errors import SyncWaveError
from fleetops.model import manifest as manifests

# Helm's install order, as gitops-engine uses it; unknown kinds (custom resources) come after.
KIND_ORDER: tuple[str, ...] = (
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
)
_KIND_RANK = {kind: index - len(KIND_ORDER) for index, kind in enumerate(KIND_ORDER)}
_INTEGER = re.compile(r"[+-]?[0-9]+")


def kind_order(kind: str) -> int:
    """Negative for the kinds of `KIND_ORDER` (in that order), 0 for every other kind."""
    return _KIND_RANK.get(kind, 0)


def sync_wave(obj: Mapping[str, Any], *, strict: bool = True) -> int:
    """The `argocd.argoproj.io/sync-wave` of `obj` (Helm's `hook-weight` as a fallback), 0 when
    absent. A value that is not an integer raises `SyncWaveError` naming the resource; with
    `strict=False` (live objects about to be pruned) it counts as 0."""
    values = manifests.annotations(obj)
    for key in (argo.SYNC_WAVE, argo.HELM_HOOK_WEIGHT):
        if key in values:
            text = values[key].strip()
            if _INTEGER.fullmatch(text):
                return int(text)
            if strict:
                raise SyncWaveError(argo.describe(obj), values[key], key)
            return 0
    return 0
