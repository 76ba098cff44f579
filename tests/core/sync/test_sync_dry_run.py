"""Which tasks the dry-run pass before a sync tries (gitops-engine `syncContext.Sync()`)."""

from __future__ import annotations

from typing import Any

import yaml

from fleetops.core.sync import dry_run_tasks, namespace_task, parse_sync_options, plan_sync


def objects(text: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


APP = """
{apiVersion: v1, kind: ConfigMap, metadata: {name: settings, namespace: shop}}
---
{apiVersion: v1, kind: Namespace, metadata: {name: extra}}
---
{apiVersion: v1, kind: ConfigMap, metadata: {name: inside, namespace: extra}}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
---
{apiVersion: example.com/v1, kind: Widget, metadata: {name: w, namespace: shop}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: notify, namespace: shop, annotations: {argocd.argoproj.io/hook: SyncFail}}
"""


def test_the_dry_run_skips_what_this_sync_must_create_first() -> None:
    plan = plan_sync(objects(APP), {}, options=parse_sync_options(["CreateNamespace=true"]), namespace="shop")
    created = namespace_task(plan)
    assert created is not None and created.key.name == "shop"  # created for real before the dry run
    names = [task.key.name for task in dry_run_tasks(plan)]
    # objects in `shop` are dry-run (it exists by then); `inside` is in a Namespace of this sync;
    # the Widget's CRD is part of this sync; SyncFail hooks run only on failure
    assert sorted(names) == ["extra", "settings", "widgets.example.com"]


def test_without_create_namespace_there_is_no_namespace_task() -> None:
    plan = plan_sync(objects(APP), {}, namespace="shop")
    assert namespace_task(plan) is None
    assert "settings" in [task.key.name for task in dry_run_tasks(plan)]
