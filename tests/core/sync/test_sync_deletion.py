"""Cascade deletion of an Application: Delete=false keeps resources, the rest go in reverse order."""

from __future__ import annotations

import yaml

from fleetops.core.sync import ActionKind, PropagationPolicy, ResultCode, plan_app_deletion
from fleetops.model.keys import ResourceKey

LIVE = yaml.safe_load_all("""
{apiVersion: v1, kind: Namespace, metadata: {name: shop}}
---
{apiVersion: v1, kind: ConfigMap, metadata: {name: settings, namespace: shop}}
---
{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: late, namespace: shop, annotations: {argocd.argoproj.io/sync-wave: "3"}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: shop
  annotations: {argocd.argoproj.io/sync-options: "Prune=false,Delete=false"}
---
apiVersion: v1
kind: Secret
metadata: {name: keys, namespace: shop, annotations: {argocd.argoproj.io/sync-options: Delete=confirm}}
""")
BY_KEY = {ResourceKey.of(obj): obj for obj in LIVE}


def test_delete_order_and_kept_resources() -> None:
    deletion = plan_app_deletion(BY_KEY)
    assert [(a.kind, a.key.kind, a.key.name) for a in deletion.deletes] == [
        (ActionKind.DELETE, "Deployment", "late"),
        (ActionKind.DELETE, "Deployment", "web"),
        (ActionKind.DELETE, "ConfigMap", "settings"),
        (ActionKind.DELETE, "Namespace", "shop"),
    ]
    assert all(a.propagation_policy is PropagationPolicy.FOREGROUND for a in deletion.deletes)
    assert [(r.key.name, r.status, r.message) for r in deletion.kept] == [
        ("data", ResultCode.PRUNE_SKIPPED, "ignored (Delete=false)"),
        ("keys", ResultCode.PRUNE_SKIPPED, "ignored (waiting for deletion confirmation)"),
    ]


def test_confirmed_deletion_includes_delete_confirm_resources() -> None:
    deletion = plan_app_deletion(BY_KEY, confirmed=True, propagation_policy=PropagationPolicy.BACKGROUND)
    assert "keys" in {a.key.name for a in deletion.deletes}
    assert [r.key.name for r in deletion.kept] == ["data"]
