"""fleetops' metrics: Argo CD's names and labels in the text exposition format, state metrics
computed from current state, and the seed's drift alert evaluated by the real `promtool`."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample
from tests.support.shared import SHARED_DIR

from fleetops.controller import metrics as metrics_module
from fleetops.controller.metrics import GitRequestType, Metrics

# The seed and other shared files (tests/conftest.py's rule, without importing it by name).
ALERT_RULES = SHARED_DIR / "seed" / "examples" / "drift-alert-rules.yaml"
ALERT_EXPR = 'argocd_app_info{sync_status="OutOfSync"} == 1'


def _app(name: str, sync: str = "Synced", health: str = "Healthy", **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": name, "namespace": "fleetops"},
        "spec": {
            "project": "default",
            "source": {"repoURL": "https://github.com/org/gitops-config.git", "path": f"apps/{name}"},
            "destination": {"server": "https://kubernetes.default.svc", "namespace": name},
            "syncPolicy": {"automated": {"prune": True, "selfHeal": True}},
            **spec,
        },
        "status": {"sync": {"status": sync}, "health": {"status": health}},
    }


def _samples(metrics: Metrics, name: str) -> list[Sample]:
    text = metrics.render().decode()
    return [s for family in text_string_to_metric_families(text) for s in family.samples if s.name == name]


def _app_info(metrics: Metrics) -> dict[str, dict[str, str]]:
    return {s.labels["name"]: s.labels for s in _samples(metrics, "argocd_app_info") if s.value == 1.0}


def _out_of_sync(metrics: Metrics) -> set[str]:
    """What the seed's alert expression selects (`sync_status="OutOfSync"` and value 1)."""
    found = _samples(metrics, "argocd_app_info")
    return {s.labels["name"] for s in found if s.labels["sync_status"] == "OutOfSync" and s.value == 1.0}


def test_app_info_labels_are_argo_cds() -> None:
    metrics = Metrics()
    metrics.set_app(_app("payment-service", "OutOfSync", "Healthy"))
    assert _app_info(metrics)["payment-service"] == {
        "namespace": "fleetops",
        "name": "payment-service",
        "project": "default",
        "autosync_enabled": "true",
        "repo": "https://github.com/org/gitops-config",
        "dest_server": "https://kubernetes.default.svc",
        "dest_namespace": "payment-service",
        "sync_status": "OutOfSync",
        "health_status": "Healthy",
        "operation": "",
    }


def test_app_info_defaults_and_operations() -> None:
    metrics = Metrics()
    bare = {"metadata": {"name": "bare", "namespace": "fleetops"}, "spec": {"destination": {"name": "x"}}}
    syncing = _app("syncing", syncPolicy={})
    syncing["operation"] = {"sync": {"revision": "abc"}}
    deleting = _app("deleting")
    deleting["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    deleting["operation"] = {"sync": {}}
    for app in (bare, syncing, deleting):
        metrics.set_app(app)
    info = _app_info(metrics)
    assert (info["bare"]["sync_status"], info["bare"]["health_status"], info["bare"]["project"]) == (
        "Unknown",
        "Unknown",
        "default",
    )
    assert (info["bare"]["autosync_enabled"], info["bare"]["repo"]) == ("false", "")
    assert (info["syncing"]["operation"], info["syncing"]["autosync_enabled"]) == ("sync", "false")
    assert info["deleting"]["operation"] == "delete"


def test_changed_sync_status_replaces_the_series() -> None:
    metrics = Metrics()
    app = _app("payment-service", "Synced")
    metrics.set_app(app)
    assert _out_of_sync(metrics) == set()
    drifted = copy.deepcopy(app)
    drifted["status"]["sync"]["status"] = "OutOfSync"
    metrics.set_app(drifted)
    series = _samples(metrics, "argocd_app_info")
    assert [(s.labels["sync_status"], s.value) for s in series] == [("OutOfSync", 1.0)]
    assert _out_of_sync(metrics) == {"payment-service"}


def test_deleted_app_disappears() -> None:
    metrics = Metrics()
    metrics.set_app(_app("a", "OutOfSync"))
    metrics.set_app(_app("b"))
    metrics.delete_app("fleetops", "a")
    assert set(_app_info(metrics)) == {"b"}
    metrics.delete_app("fleetops", "never-there")


def test_apps_from_a_callable_are_read_at_each_scrape() -> None:
    apps = [_app("a", "OutOfSync"), _app("b")]
    metrics = Metrics(apps=lambda: apps)
    assert _out_of_sync(metrics) == {"a"}
    apps.pop(0)
    assert set(_app_info(metrics)) == {"b"}


def test_alert_expression_selects_exactly_the_out_of_sync_apps() -> None:
    metrics = Metrics()
    for name, sync in [("payment-service", "OutOfSync"), ("auth-service", "Synced"), ("notify", "Unknown")]:
        metrics.set_app(_app(name, sync))
    metrics.set_app(_app("checkout", "OutOfSync", "Degraded"))
    assert _out_of_sync(metrics) == {"payment-service", "checkout"}


def test_conditions_are_counted_per_type() -> None:
    app = _app("a")
    app["status"]["conditions"] = [
        {"type": "UnsupportedField", "message": "x"},
        {"type": "SyncError", "message": "y"},
        {"type": "SyncError", "message": "z"},
    ]
    metrics = Metrics()
    metrics.set_app(app)
    found = {s.labels["condition"]: s.value for s in _samples(metrics, "argocd_app_condition")}
    assert found == {"SyncError": 2.0, "UnsupportedField": 1.0}


def test_sync_reconcile_and_k8s_request_metrics() -> None:
    metrics = Metrics()
    app = _app("payment-service")
    metrics.observe_sync(app, "Succeeded")
    metrics.observe_sync(app, "Succeeded")
    metrics.observe_sync(app, "Failed")
    metrics.observe_reconcile(app, 0.3)
    metrics.observe_k8s_request(
        app,
        server="https://kubernetes.default.svc",
        response_code=200,
        verb="Patch",
        resource_kind="Deployment",
        resource_namespace="payments",
    )
    syncs = {s.labels["phase"]: s.value for s in _samples(metrics, "argocd_app_sync_total")}
    assert syncs == {"Succeeded": 2.0, "Failed": 1.0}
    (sync,) = [s for s in _samples(metrics, "argocd_app_sync_total") if s.labels["phase"] == "Failed"]
    assert sync.labels == {
        "namespace": "fleetops",
        "name": "payment-service",
        "project": "default",
        "phase": "Failed",
        "dest_server": "https://kubernetes.default.svc",
    }
    buckets = {s.labels["le"]: s.value for s in _samples(metrics, "argocd_app_reconcile_bucket")}
    assert buckets == {"0.25": 0, "0.5": 1, "1.0": 1, "2.0": 1, "4.0": 1, "8.0": 1, "16.0": 1, "+Inf": 1}
    (count,) = _samples(metrics, "argocd_app_reconcile_count")
    assert count.labels == {"namespace": "fleetops", "dest_server": "https://kubernetes.default.svc"}
    (request,) = _samples(metrics, "argocd_app_k8s_request_total")
    assert request.labels == {
        "namespace": "fleetops",
        "name": "payment-service",
        "project": "default",
        "server": "https://kubernetes.default.svc",
        "response_code": "200",
        "verb": "Patch",
        "resource_kind": "Deployment",
        "resource_namespace": "payments",
    }
    assert request.value == 1.0


def test_cluster_metrics_follow_current_state() -> None:
    metrics = Metrics()
    metrics.set_cluster("https://prod-1:6443", name="prod-1", k8s_version="1.31", connected=True)
    metrics.set_cluster("https://prod-2:6443", name="prod-2", k8s_version="1.30", connected=False)
    metrics.set_cluster("https://prod-1:6443", name="prod-1", k8s_version="1.32", connected=True)
    info = [s.labels for s in _samples(metrics, "argocd_cluster_info")]
    assert info == [
        {"server": "https://prod-1:6443", "name": "prod-1", "k8s_version": "1.32"},
        {"server": "https://prod-2:6443", "name": "prod-2", "k8s_version": "1.30"},
    ]
    status = {s.labels["server"]: s.value for s in _samples(metrics, "argocd_cluster_connection_status")}
    assert status == {"https://prod-1:6443": 1.0, "https://prod-2:6443": 0.0}
    metrics.delete_cluster("https://prod-2:6443")
    assert [s.labels["server"] for s in _samples(metrics, "argocd_cluster_info")] == ["https://prod-1:6443"]
    assert _samples(metrics, "fleetops_cluster_shard") == []


def test_cluster_shard_metric_names_the_owning_replica() -> None:
    metrics = Metrics()
    metrics.set_cluster("https://prod-1:6443", name="prod-1", k8s_version="1.32", connected=True, shard="c-0")
    (sample,) = _samples(metrics, "fleetops_cluster_shard")
    assert (sample.labels, sample.value) == (
        {"server": "https://prod-1:6443", "name": "prod-1", "shard": "c-0"},
        1.0,
    )


def test_git_request_metrics_never_show_credentials() -> None:
    metrics = Metrics()
    metrics.observe_git_request("https://user:s3cret@github.com/org/repo", GitRequestType.FETCH, 1.5)
    metrics.observe_git_request("https://github.com/org/repo", "ls-remote", 0.2)
    requests = {
        (s.labels["repo"], s.labels["request_type"]): s.value
        for s in _samples(metrics, "argocd_git_request_total")
    }
    assert requests == {
        ("https://***@github.com/org/repo", "fetch"): 1.0,
        ("https://github.com/org/repo", "ls-remote"): 1.0,
    }
    assert "s3cret" not in metrics.render().decode()
    (count,) = [
        s
        for s in _samples(metrics, "argocd_git_request_duration_seconds_count")
        if s.labels["request_type"] == "fetch"
    ]
    assert count.value == 1.0
    with pytest.raises(ValueError, match="clone"):
        metrics.observe_git_request("https://x", "clone", 1.0)


def test_app_repo_label_never_shows_credentials() -> None:
    metrics = Metrics()
    app = _app("a")
    app["spec"]["source"]["repoURL"] = "https://token:abc123@github.com/org/private.git"
    metrics.set_app(app)
    assert "abc123" not in metrics.render().decode()


def _appset(name: str, *, reason: str | None, owned: int) -> dict[str, Any]:
    status: dict[str, Any] = {
        "resources": [{"kind": "Application", "name": f"app-{i}"} for i in range(owned)]
    }
    if reason is not None:
        status["conditions"] = [
            {"type": "ErrorOccurred", "status": "False", "reason": "ApplicationSetUpToDate", "message": "ok"},
            {"type": "ResourcesUpToDate", "status": "True", "reason": reason, "message": "ok"},
        ]
    return {"metadata": {"name": name, "namespace": "fleetops"}, "spec": {}, "status": status}


def test_appset_metrics() -> None:
    metrics = Metrics()
    metrics.set_appset(_appset("platform-services", reason="ApplicationSetUpToDate", owned=3))
    metrics.set_appset(_appset("fresh", reason=None, owned=0))
    metrics.observe_appset_reconcile(_appset("platform-services", reason=None, owned=0), 0.02)
    info = {
        s.labels["name"]: s.labels["resource_update_status"] for s in _samples(metrics, "argocd_appset_info")
    }
    assert info == {"fresh": "Unknown", "platform-services": "ApplicationSetUpToDate"}
    owned = {s.labels["name"]: s.value for s in _samples(metrics, "argocd_appset_owned_applications")}
    assert owned == {"fresh": 0.0, "platform-services": 3.0}
    (count,) = _samples(metrics, "argocd_appset_reconcile_count")
    assert (count.labels, count.value) == ({"namespace": "fleetops", "name": "platform-services"}, 1.0)
    metrics.delete_appset("fleetops", "fresh")
    assert [s.labels["name"] for s in _samples(metrics, "argocd_appset_info")] == ["platform-services"]


def test_metric_families_exposed() -> None:
    metrics = Metrics()
    families = {f.name: f.type for f in text_string_to_metric_families(metrics.render().decode())}
    assert families == {
        "argocd_app_info": "gauge",
        "argocd_app_condition": "gauge",
        "argocd_appset_info": "gauge",
        "argocd_appset_owned_applications": "gauge",
        "argocd_cluster_info": "gauge",
        "argocd_cluster_connection_status": "gauge",
        "fleetops_cluster_shard": "gauge",
        "argocd_app_sync": "counter",
        "argocd_app_reconcile": "histogram",
        "argocd_app_k8s_request": "counter",
        "argocd_git_request": "counter",
        "argocd_git_request_duration_seconds": "histogram",
        "argocd_appset_reconcile": "histogram",
    }


def test_exposition_content_type() -> None:
    assert metrics_module.CONTENT_TYPE.startswith("text/plain; version=0.0.4")


# The seed's alert, evaluated by promtool ---------------------------------------------------------


def _series_name(labels: dict[str, str]) -> str:
    body = ",".join(f"{key}={json.dumps(value)}" for key, value in labels.items())
    return f"argocd_app_info{{{body}}}"


def _timeline(snapshots: list[Metrics]) -> dict[str, list[str]]:
    """Series of `argocd_app_info` over one-minute scrapes, as Prometheus stores them: a value per
    scrape, `stale` at the first scrape where the series is gone (a staleness marker), `_` after."""
    seen: list[dict[str, float]] = []
    for metrics in snapshots:
        seen.append({_series_name(s.labels): s.value for s in _samples(metrics, "argocd_app_info")})
    series: dict[str, list[str]] = {}
    for name in sorted({key for scrape in seen for key in scrape}):
        values: list[str] = []
        for index, scrape in enumerate(seen):
            if name in scrape:
                values.append(f"{scrape[name]:g}")
            elif index > 0 and name in seen[index - 1]:
                values.append("stale")
            else:
                values.append("_")
        series[name] = values
    return series


def _alert(app: str, labels: dict[str, str]) -> dict[str, Any]:
    present = {key: value for key, value in labels.items() if value}  # Prometheus drops empty labels
    return {
        "exp_labels": {**present, "severity": "warning"},
        "exp_annotations": {"summary": f"Application {app} is out of sync"},
    }


def test_seed_drift_alert_fires_after_five_minutes_of_out_of_sync(tmp_path: Path) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed: apt-get install -y --no-install-recommends prometheus")
    if not ALERT_RULES.is_file():
        pytest.skip(f"{ALERT_RULES} is absent (../shared is not checked out here)")
    rules = yaml.safe_load(ALERT_RULES.read_text())
    assert rules["groups"][0]["rules"][0]["expr"] == ALERT_EXPR

    # One scrape a minute for 10 minutes: payment-service drifts at 0 and stays OutOfSync;
    # auth-service drifts at minute 3; legacy is OutOfSync for 3 minutes, then deleted;
    # notification-service stays Synced.
    snapshots: list[Metrics] = []
    for minute in range(11):
        current = Metrics()
        current.set_app(_app("payment-service", "OutOfSync"))
        current.set_app(_app("auth-service", "OutOfSync" if minute >= 3 else "Synced"))
        current.set_app(_app("notification-service", "Synced"))
        if minute < 3:
            current.set_app(_app("legacy", "OutOfSync", "Missing"))
        snapshots.append(current)
    timeline = _timeline(snapshots)
    assert any("stale" in values for values in timeline.values())

    payment = _app_info(snapshots[0])["payment-service"]
    auth = _app_info(snapshots[3])["auth-service"]
    out_of_sync_at_4m = [
        {"labels": _series_name(payment), "value": 1},
        {"labels": _series_name(auth), "value": 1},
    ]
    tests = {
        "rule_files": [str(ALERT_RULES.resolve())],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": [
                    {"series": name, "values": " ".join(values)} for name, values in timeline.items()
                ],
                "promql_expr_test": [
                    {"expr": ALERT_EXPR, "eval_time": "4m", "exp_samples": out_of_sync_at_4m},
                ],
                "alert_rule_test": [
                    {"alertname": "ArgoCDApplicationOutOfSync", "eval_time": "4m", "exp_alerts": []},
                    {
                        "alertname": "ArgoCDApplicationOutOfSync",
                        "eval_time": "5m",
                        "exp_alerts": [_alert("payment-service", payment)],
                    },
                    {
                        "alertname": "ArgoCDApplicationOutOfSync",
                        "eval_time": "7m",
                        "exp_alerts": [_alert("payment-service", payment)],
                    },
                    {
                        "alertname": "ArgoCDApplicationOutOfSync",
                        "eval_time": "8m",
                        "exp_alerts": [_alert("auth-service", auth), _alert("payment-service", payment)],
                    },
                ],
            }
        ],
    }
    done = _promtool_test_rules(promtool, tmp_path / "drift-alert-test.yaml", tests)
    assert done.returncode == 0, f"promtool test rules failed:\n{done.stdout}\n{done.stderr}"
    assert "SUCCESS" in done.stdout + done.stderr

    # The same input claiming the alert already fires at 4m is refused: promtool discriminates.
    early = copy.deepcopy(tests)
    early["tests"][0]["alert_rule_test"][0]["exp_alerts"] = [_alert("payment-service", payment)]
    refused = _promtool_test_rules(promtool, tmp_path / "early.yaml", early)
    assert refused.returncode != 0
    assert "time: 4m" in refused.stdout + refused.stderr


def _promtool_test_rules(
    promtool: str, path: Path, tests: dict[str, Any]
) -> subprocess.CompletedProcess[str]:
    path.write_text(yaml.safe_dump(tests, sort_keys=False))
    return subprocess.run(
        [promtool, "test", "rules", str(path)], capture_output=True, text=True, timeout=120, check=False
    )
