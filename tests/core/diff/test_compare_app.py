"""compare_app: per-resource sync status, missing resources, extraneous ones requiring pruning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from fleetops.core.diff import TAKEOVER_MANAGERS, IgnoreRules, compare_app
from fleetops.core.patch import apply_json_patch
from fleetops.core.schema import load_schema
from fleetops.model.keys import ResourceKey

HERE = Path(__file__).parent
SCHEMA = load_schema("1.32")
DEPLOYMENT: dict[str, Any] = yaml.safe_load((HERE / "deployment.yaml").read_text())
SERVICE: dict[str, Any] = yaml.safe_load((HERE / "service.yaml").read_text())
CONFIG: dict[str, Any] = yaml.safe_load((HERE / "configmap.yaml").read_text())

WEB = ResourceKey("apps", "Deployment", "shop", "web")
SVC = ResourceKey("", "Service", "shop", "web")
CFG = ResourceKey("", "ConfigMap", "shop", "web-config")

OLD_JOB = yaml.safe_load(
    """
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cleanup
  namespace: shop
  annotations: {argocd.argoproj.io/tracking-id: "shop:batch/CronJob:shop/cleanup"}
spec:
  schedule: "0 * * * *"
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}
"""
)
OLD = ResourceKey("batch", "CronJob", "shop", "cleanup")


def statuses(result: Any) -> dict[str, str]:
    return {str(r.key): r.status for r in result.resources}


def test_everything_in_sync() -> None:
    desired = [DEPLOYMENT["desired"], SERVICE["desired"], CONFIG["desired"]]
    live = {WEB: DEPLOYMENT["live"], SVC: SERVICE["live"], CFG: CONFIG["live"]}
    result = compare_app(desired, live, schema=SCHEMA)
    assert result.sync_status == "Synced"
    assert set(statuses(result).values()) == {"Synced"}
    assert result.requires_pruning() == []


def test_a_missing_resource_is_out_of_sync_with_the_whole_object_as_diff() -> None:
    desired = [DEPLOYMENT["desired"], CONFIG["desired"]]
    result = compare_app(desired, {WEB: DEPLOYMENT["live"]}, schema=SCHEMA)
    assert result.sync_status == "OutOfSync"
    assert statuses(result) == {str(WEB): "Synced", str(CFG): "OutOfSync"}
    missing = result.resources[1].diff
    assert missing is not None and missing.missing
    assert [(c.path, c.kind) for c in missing.changes] == [(".", "added")]
    assert missing.predicted_live["data"] == {"LOG_LEVEL": "info", "FEATURES": "search,cart"}
    text = missing.render_diff()
    assert text.startswith("===== /ConfigMap shop/web-config ======\n--- live/ConfigMap.shop.web-config\n")
    assert "+  LOG_LEVEL: info\n" in text


def test_a_tracked_live_object_no_longer_desired_requires_pruning() -> None:
    desired = [DEPLOYMENT["desired"]]
    result = compare_app(desired, {WEB: DEPLOYMENT["live"], OLD: OLD_JOB}, schema=SCHEMA)
    assert result.sync_status == "OutOfSync"
    assert result.requires_pruning() == [OLD]
    [extra] = [r for r in result.resources if r.key == OLD]
    assert extra.status == "OutOfSync" and extra.diff is None


def test_ignore_extraneous_does_not_make_the_app_out_of_sync() -> None:
    job = {
        **OLD_JOB,
        "metadata": {
            **OLD_JOB["metadata"],
            "annotations": {"argocd.argoproj.io/compare-options": "IgnoreExtraneous"},
        },
    }
    result = compare_app([DEPLOYMENT["desired"]], {WEB: DEPLOYMENT["live"], OLD: job}, schema=SCHEMA)
    assert result.sync_status == "Synced"
    assert result.requires_pruning() == [OLD]


def test_hooks_are_not_compared() -> None:
    hook = {
        **OLD_JOB,
        "metadata": {**OLD_JOB["metadata"], "annotations": {"argocd.argoproj.io/hook": "PreSync"}},
    }
    result = compare_app([DEPLOYMENT["desired"], hook], {WEB: DEPLOYMENT["live"]}, schema=SCHEMA)
    assert result.sync_status == "Synced"
    assert [r.key for r in result.resources] == [WEB]


def test_drift_in_one_resource_and_ignore_rules() -> None:
    scaled = apply_json_patch(DEPLOYMENT["live"], [{"op": "replace", "path": "/spec/replicas", "value": 9}])
    result = compare_app([DEPLOYMENT["desired"]], {WEB: scaled}, schema=SCHEMA)
    assert result.sync_status == "OutOfSync"
    ignore = IgnoreRules.from_application(
        [{"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]}]
    )
    assert (
        compare_app([DEPLOYMENT["desired"]], {WEB: scaled}, schema=SCHEMA, ignore=ignore).sync_status
        == "Synced"
    )


def test_the_destination_namespace_completes_keys_of_namespaced_objects() -> None:
    desired = {**CONFIG["desired"], "metadata": {"name": "web-config"}}
    result = compare_app([desired], {CFG: CONFIG["live"]}, schema=SCHEMA, namespace="shop")
    assert statuses(result) == {str(CFG): "Synced"}
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}
    keys = [r.key for r in compare_app([namespace], {}, schema=SCHEMA, namespace="shop").resources]
    assert keys == [ResourceKey("", "Namespace", "", "shop")]


def test_a_resource_that_cannot_be_compared_makes_the_app_unknown() -> None:
    bad = apply_json_patch(DEPLOYMENT["desired"], [{"op": "add", "path": "/spec/replicaz", "value": 1}])
    result = compare_app(
        [bad, CONFIG["desired"]], {WEB: DEPLOYMENT["live"], CFG: CONFIG["live"]}, schema=SCHEMA
    )
    assert result.sync_status == "Unknown"
    [error] = result.errors()
    assert error.key == WEB and error.error is not None and "replicaz" in error.error


def test_a_resource_desired_twice_is_an_error() -> None:
    result = compare_app([CONFIG["desired"], CONFIG["desired"]], {CFG: CONFIG["live"]}, schema=SCHEMA)
    assert result.sync_status == "Unknown"
    assert [r.status for r in result.resources] == ["Synced", "Unknown"]


def test_a_live_object_read_at_another_version_is_an_error_not_drift() -> None:
    old = {**DEPLOYMENT["live"], "apiVersion": "apps/v1beta2"}
    result = compare_app([DEPLOYMENT["desired"]], {WEB: old}, schema=SCHEMA)
    [entry] = result.resources
    assert entry.status == "Unknown"
    assert entry.error == (
        "apps/Deployment/shop/web: the live object was read as apps/v1beta2, the desired object is apps/v1"
    )


def test_the_app_diff_shows_changed_missing_and_pruned_objects() -> None:
    token = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "old-token", "namespace": "shop", "resourceVersion": "9"},
        "data": {"token": "dG9wLXNlY3JldC12YWx1ZQ=="},
    }
    scaled = apply_json_patch(DEPLOYMENT["live"], [{"op": "replace", "path": "/spec/replicas", "value": 9}])
    old_secret = ResourceKey("", "Secret", "shop", "old-token")
    result = compare_app(
        [DEPLOYMENT["desired"], CONFIG["desired"]],
        {WEB: scaled, OLD: OLD_JOB, old_secret: token},
        schema=SCHEMA,
    )
    text = result.render_diff(context=0)
    assert text.count("===== ") == 4
    assert "-  replicas: 9\n+  replicas: 3\n" in text
    assert "===== /ConfigMap shop/web-config ======" in text and "+  LOG_LEVEL: info\n" in text
    assert "===== batch/CronJob shop/cleanup ======" in text and "-  schedule: 0 * * * *\n" in text
    assert "-  token: ++++++++ (" in text
    assert "dG9wLXNlY3JldC12YWx1ZQ" not in text and "top-secret-value" not in text
    assert "resourceVersion" not in text
    assert compare_app([DEPLOYMENT["desired"]], {WEB: DEPLOYMENT["live"]}, schema=SCHEMA).render_diff() == ""


def test_takeover_reaches_each_diff() -> None:
    argo = apply_json_patch(
        DEPLOYMENT["live"],
        [{"op": "replace", "path": "/metadata/managedFields/0/manager", "value": "argocd-controller"}],
    )
    desired = apply_json_patch(DEPLOYMENT["desired"], [{"op": "remove", "path": "/metadata/labels"}])
    assert compare_app([desired], {WEB: argo}, schema=SCHEMA).sync_status == "Synced"
    taken = compare_app([desired], {WEB: argo}, schema=SCHEMA, takeover=TAKEOVER_MANAGERS)
    assert taken.sync_status == "OutOfSync"
    [entry] = taken.out_of_sync()
    assert entry.diff is not None and [c.path for c in entry.diff.changes] == [".metadata.labels"]
