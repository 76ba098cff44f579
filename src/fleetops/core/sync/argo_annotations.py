"""Argo CD's annotation keys that steer a sync, and how their comma-separated values are read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.model import manifest as manifests
from fleetops.model.keys import ResourceKey

SYNC_OPTIONS = "argocd.argoproj.io/sync-options"
SYNC_WAVE = "argocd.argoproj.io/sync-wave"
HOOK = "argocd.argoproj.io/hook"
HOOK_DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy"
TRACKING_ID = "argocd.argoproj.io/tracking-id"
HOOK_FINALIZER = "argocd.argoproj.io/hook-finalizer"
HELM_HOOK = "helm.sh/hook"
HELM_HOOK_WEIGHT = "helm.sh/hook-weight"
HELM_HOOK_DELETE_POLICY = "helm.sh/hook-delete-policy"


def csv(obj: Mapping[str, Any], key: str) -> list[str]:
    """The comma-separated items of annotation `key`, trimmed, empty items dropped."""
    value = manifests.annotations(obj).get(key, "")
    return [item.strip() for item in value.split(",") if item.strip()]


def describe(obj: Mapping[str, Any]) -> str:
    """`group/kind/namespace/name`, how errors name a resource."""
    return str(ResourceKey.of(obj))
