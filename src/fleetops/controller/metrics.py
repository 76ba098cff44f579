"""fleetops' Prometheus metrics, with Argo CD's names and labels (docs/operator-manual/metrics.md)
so existing alerts and dashboards work unchanged, e.g. the seed's
`argocd_app_info{sync_status="OutOfSync"} == 1`.

`Metrics` owns a `CollectorRegistry` (never the process-global one). State metrics
(`argocd_app_info`, `argocd_app_condition`, `argocd_appset_info`,
`argocd_appset_owned_applications`, `argocd_cluster_info`, `argocd_cluster_connection_status`)
are computed at scrape time from current state (Argo CD's
`appCollector`): a deleted application disappears, and a changed `sync_status` replaces its series
instead of leaving the old one at 1. Event metrics are counters and histograms.

Repository URLs in labels have credentials removed; no label ever carries a secret value.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from fleetops.core import app as applications
from fleetops.core.source.urls import normalize_url, redact_url
from fleetops.model import manifest

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4  # what `render()` writes; every Prometheus 2.x parses it

APP_INFO_LABELS = (
    "namespace",
    "name",
    "project",
    "autosync_enabled",
    "repo",
    "dest_server",
    "dest_namespace",
    "sync_status",
    "health_status",
    "operation",
)
APP_CONDITION_LABELS = ("namespace", "name", "project", "condition")
SYNC_LABELS = ("namespace", "name", "project", "phase", "dest_server")
RECONCILE_LABELS = ("namespace", "dest_server")
K8S_REQUEST_LABELS = (
    "namespace",
    "name",
    "project",
    "server",
    "response_code",
    "verb",
    "resource_kind",
    "resource_namespace",
)
GIT_REQUEST_LABELS = ("repo", "request_type")
APPSET_LABELS = ("namespace", "name")
APPSET_INFO_LABELS = ("namespace", "name", "resource_update_status")

RECONCILE_BUCKETS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)  # Argo CD's
GIT_REQUEST_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 10.0, 20.0)  # Argo CD's
APPSET_RECONCILE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)  # Go's default

AppSource = Callable[[], Iterable[Mapping[str, Any]]]


class GitRequestType(enum.StrEnum):
    LS_REMOTE = "ls-remote"
    FETCH = "fetch"


@dataclass(frozen=True, slots=True)
class ClusterState:
    server: str
    name: str
    k8s_version: str = ""
    connected: bool = False
    shard: str = ""


def app_info_labels(app: Mapping[str, Any]) -> dict[str, str]:
    """The `argocd_app_info` labels of one Application, as Argo CD computes them (repo
    normalised, sync and health "Unknown" when absent, operation "sync" | "delete" | "")."""
    metadata = app.get("metadata")
    operation = app.get("operation")
    if isinstance(metadata, Mapping) and metadata.get("deletionTimestamp"):
        current_operation = "delete"
    elif isinstance(operation, Mapping) and operation.get("sync") is not None:
        current_operation = "sync"
    else:
        current_operation = ""
    where = applications.destination(app)
    repo = applications.repo_url(applications.primary_source(app))
    return {
        "namespace": manifest.namespace(app),
        "name": manifest.name(app),
        "project": applications.project(app),
        "autosync_enabled": "true" if applications.autosync_enabled(app) else "false",
        "repo": normalize_url(redact_url(repo)),
        "dest_server": where.server,
        "dest_namespace": where.namespace,
        "sync_status": applications.current_sync_status(app),
        "health_status": applications.current_health_status(app),
        "operation": current_operation,
    }


def _condition_counts(app: Mapping[str, Any]) -> dict[str, int]:
    status = app.get("status")
    found = status.get("conditions") if isinstance(status, Mapping) else None
    counts: dict[str, int] = {}
    for item in found if isinstance(found, list) else []:
        kind = item.get("type") if isinstance(item, Mapping) else None
        if isinstance(kind, str) and kind:
            counts[kind] = counts.get(kind, 0) + 1
    return counts


class _AppCollector(Collector):
    """`argocd_app_info` (1 per application) and `argocd_app_condition` (count per type)."""

    def __init__(self, apps: AppSource) -> None:
        self._apps = apps

    def describe(self) -> Iterable[Metric]:
        return list(self._families())

    def collect(self) -> Iterator[Metric]:
        info, conditions = self._families()
        for app in self._apps():
            labels = app_info_labels(app)
            info.add_metric([labels[name] for name in APP_INFO_LABELS], 1.0)
            for kind, count in sorted(_condition_counts(app).items()):
                conditions.add_metric([labels["namespace"], labels["name"], labels["project"], kind], count)
        yield info
        yield conditions

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
        return (
            GaugeMetricFamily("argocd_app_info", "Information about application.", labels=APP_INFO_LABELS),
            GaugeMetricFamily(
                "argocd_app_condition", "Report application conditions.", labels=APP_CONDITION_LABELS
            ),
        )


def appset_resource_update_status(appset: Mapping[str, Any]) -> str:
    """The reason of the ApplicationSet's `ResourcesUpToDate` condition ("Unknown" without it)."""
    status = appset.get("status")
    found = status.get("conditions") if isinstance(status, Mapping) else None
    reason = "Unknown"
    for item in found if isinstance(found, list) else []:
        if isinstance(item, Mapping) and item.get("type") == "ResourcesUpToDate":
            reason = str(item.get("reason") or "Unknown")
    return reason


def _owned_applications(appset: Mapping[str, Any]) -> int:
    status = appset.get("status")
    resources = status.get("resources") if isinstance(status, Mapping) else None
    return len(resources) if isinstance(resources, list) else 0


class _AppSetCollector(Collector):
    """`argocd_appset_info` (1 per ApplicationSet) and `argocd_appset_owned_applications`."""

    def __init__(self, appsets: AppSource) -> None:
        self._appsets = appsets

    def describe(self) -> Iterable[Metric]:
        return list(self._families())

    def collect(self) -> Iterator[Metric]:
        info, owned = self._families()
        for appset in self._appsets():
            key = [manifest.namespace(appset), manifest.name(appset)]
            info.add_metric([*key, appset_resource_update_status(appset)], 1.0)
            owned.add_metric(key, _owned_applications(appset))
        yield info
        yield owned

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
        return (
            GaugeMetricFamily(
                "argocd_appset_info", "Information about applicationset", labels=APPSET_INFO_LABELS
            ),
            GaugeMetricFamily(
                "argocd_appset_owned_applications",
                "Number of applications owned by the applicationset",
                labels=APPSET_LABELS,
            ),
        )


class _ClusterCollector(Collector):
    """`argocd_cluster_info` (1 per cluster) and `argocd_cluster_connection_status` (1 or 0)."""

    def __init__(self, clusters: Mapping[str, ClusterState]) -> None:
        self._clusters = clusters

    def describe(self) -> Iterable[Metric]:
        return list(self._families())

    def collect(self) -> Iterator[Metric]:
        info, connection, shard = self._families()
        for state in sorted(self._clusters.values(), key=lambda s: s.server):
            info.add_metric([state.server, state.name, state.k8s_version], 1.0)
            connection.add_metric([state.server, state.k8s_version], 1.0 if state.connected else 0.0)
            if state.shard:
                shard.add_metric([state.server, state.name, state.shard], 1.0)
        yield info
        yield connection
        yield shard

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily, GaugeMetricFamily]:
        return (
            GaugeMetricFamily(
                "argocd_cluster_info", "Information about cluster.", labels=["server", "name", "k8s_version"]
            ),
            GaugeMetricFamily(
                "argocd_cluster_connection_status",
                "The k8s cluster current connection status.",
                labels=["server", "k8s_version"],
            ),
            GaugeMetricFamily(
                "fleetops_cluster_shard",
                "The controller replica (shard) that owns the cluster: 1 on this replica's clusters.",
                labels=["server", "name", "shard"],
            ),
        )


class Metrics:
    """All of fleetops' metrics in one registry.

    Applications come from `apps` (a callable the controller backs with its cache, read at each
    scrape) or, without it, from what `set_app`/`delete_app` recorded; ApplicationSets likewise.
    """

    def __init__(self, *, apps: AppSource | None = None, appsets: AppSource | None = None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._apps: dict[tuple[str, str], Mapping[str, Any]] = {}
        self._appsets: dict[tuple[str, str], Mapping[str, Any]] = {}
        self._clusters: dict[str, ClusterState] = {}
        self.registry.register(_AppCollector(apps if apps is not None else self._recorded_apps))
        self.registry.register(_AppSetCollector(appsets if appsets is not None else self._recorded_appsets))
        self.registry.register(_ClusterCollector(self._clusters))
        self.app_sync_total = Counter(
            "argocd_app_sync_total", "Number of application syncs.", SYNC_LABELS, registry=self.registry
        )
        self.app_reconcile = Histogram(
            "argocd_app_reconcile",
            "Application reconciliation performance in seconds.",
            RECONCILE_LABELS,
            buckets=RECONCILE_BUCKETS,
            registry=self.registry,
        )
        self.app_k8s_request_total = Counter(
            "argocd_app_k8s_request_total",
            "Number of kubernetes requests executed during application reconciliation.",
            K8S_REQUEST_LABELS,
            registry=self.registry,
        )
        self.git_request_total = Counter(
            "argocd_git_request_total",
            "Number of git requests performed by repo server",
            GIT_REQUEST_LABELS,
            registry=self.registry,
        )
        self.git_request_duration_seconds = Histogram(
            "argocd_git_request_duration_seconds",
            "Git requests duration seconds.",
            GIT_REQUEST_LABELS,
            buckets=GIT_REQUEST_BUCKETS,
            registry=self.registry,
        )
        self.appset_reconcile = Histogram(
            "argocd_appset_reconcile",
            "Application reconciliation performance in seconds.",
            APPSET_LABELS,
            buckets=APPSET_RECONCILE_BUCKETS,
            registry=self.registry,
        )

    # applications ---------------------------------------------------------------------------
    def set_app(self, app: Mapping[str, Any]) -> None:
        """Record an application's current state (replacing what was recorded before)."""
        self._apps[(manifest.namespace(app), manifest.name(app))] = app

    def delete_app(self, namespace: str, name: str) -> None:
        self._apps.pop((namespace, name), None)

    def _recorded_apps(self) -> list[Mapping[str, Any]]:
        return [self._apps[key] for key in sorted(self._apps)]

    def observe_sync(self, app: Mapping[str, Any], phase: str) -> None:
        """A sync operation of `app` ended in `phase` (Succeeded, Failed, Error)."""
        labels = app_info_labels(app)
        self.app_sync_total.labels(
            labels["namespace"], labels["name"], labels["project"], str(phase), labels["dest_server"]
        ).inc()

    def observe_reconcile(self, app: Mapping[str, Any], seconds: float) -> None:
        labels = app_info_labels(app)
        self.app_reconcile.labels(labels["namespace"], labels["dest_server"]).observe(seconds)

    def observe_k8s_request(
        self,
        app: Mapping[str, Any] | None,
        *,
        server: str,
        response_code: int | str,
        verb: str,
        resource_kind: str,
        resource_namespace: str = "",
    ) -> None:
        """One Kubernetes API request (`app` None for requests made for no application)."""
        labels = app_info_labels(app) if app is not None else {}
        self.app_k8s_request_total.labels(
            labels.get("namespace", ""),
            labels.get("name", ""),
            labels.get("project", ""),
            server,
            str(response_code),
            verb,
            resource_kind,
            resource_namespace,
        ).inc()

    # application sets -----------------------------------------------------------------------
    def set_appset(self, appset: Mapping[str, Any]) -> None:
        self._appsets[(manifest.namespace(appset), manifest.name(appset))] = appset

    def delete_appset(self, namespace: str, name: str) -> None:
        self._appsets.pop((namespace, name), None)

    def _recorded_appsets(self) -> list[Mapping[str, Any]]:
        return [self._appsets[key] for key in sorted(self._appsets)]

    def observe_appset_reconcile(self, appset: Mapping[str, Any], seconds: float) -> None:
        self.appset_reconcile.labels(manifest.namespace(appset), manifest.name(appset)).observe(seconds)

    # clusters -------------------------------------------------------------------------------
    def set_cluster(
        self, server: str, *, name: str, k8s_version: str = "", connected: bool, shard: str = ""
    ) -> None:
        self._clusters[server] = ClusterState(server, name, k8s_version, connected, shard)

    def delete_cluster(self, server: str) -> None:
        self._clusters.pop(server, None)

    # git ------------------------------------------------------------------------------------
    def observe_git_request(self, repo: str, request_type: GitRequestType | str, seconds: float) -> None:
        labels = (redact_url(repo), str(GitRequestType(request_type)))
        self.git_request_total.labels(*labels).inc()
        self.git_request_duration_seconds.labels(*labels).observe(seconds)

    # exposition -----------------------------------------------------------------------------
    def render(self) -> bytes:
        """The text exposition format (`CONTENT_TYPE`)."""
        return generate_latest(self.registry)
