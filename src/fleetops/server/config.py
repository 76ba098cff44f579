"""`HubConfig`: what the hub runtime is told (hub cluster, namespace, Git, webhook, HTTP, polling)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fleetops.adapters.kube import ClusterConfig

DEFAULT_NAMESPACE = "fleetops"
DEFAULT_POLL_INTERVAL = 120.0
"""Argo CD's `timeout.reconciliation` default (seconds)."""
DEFAULT_POLL_JITTER = 60.0
"""Argo CD's `timeout.reconciliation.jitter` default (seconds)."""


@dataclass(frozen=True)
class HubConfig:
    """Everything the hub runtime needs; every field has a sensible default.

    The hub cluster is `cluster` when given, else the kubeconfig at `kubeconfig` (None:
    `$KUBECONFIG` / `~/.kube/config`) and its `context` (None: the current one).
    """

    kubeconfig: Path | str | None = None
    context: str | None = None
    cluster: ClusterConfig | None = None
    namespace: str = DEFAULT_NAMESPACE
    """The control-plane namespace: Applications, AppProjects, cluster and repository Secrets."""
    git_cache_dir: Path | str = Path("~/.cache/fleetops/git")
    url_rewrites: Mapping[str, str] = field(default_factory=dict)
    """Repository URL rewriting (git's `url.<base>.insteadOf`): prefix as written in manifests ->
    base to use instead, e.g. `{"https://github.com/org": "http://127.0.0.1:9418/org"}`."""
    webhook_secrets: Sequence[str] = ()
    """Webhook secrets (any one verifies a delivery); empty: every webhook is refused with 401."""
    host: str = "127.0.0.1"
    port: int = 8080
    """Webhook + /metrics + /healthz; 0 picks a free port (see `HubRuntime.port`)."""
    poll_interval: float | None = DEFAULT_POLL_INTERVAL
    """Seconds between refreshes of each Application; 0 or None disables polling."""
    poll_jitter: float = DEFAULT_POLL_JITTER
    shard: str = ""
    """This controller's identity (sharding, leases, Events' reportingInstance)."""
    workers: int = 8
    kustomize_remote_bases: bool = False
    """Let Kustomize sources use remote bases (Git URLs in `resources:`), fetched with the
    repository credentials and URL rewrites above, kept in `git_cache_dir/kustomize-remote` and
    fetched again at most every `poll_interval` (120 s when polling is off). False: refused with
    a ComparisonError."""
    cluster_workers: int | None = None
    """At most this many reconciles per destination cluster at once (None: a quarter of
    `workers`, at least 1): a slow or unreachable cluster cannot occupy every worker."""
    cluster_request_timeout: float | None = None
    """Seconds a request to a spoke cluster may wait for an answer (None: the kube adapter's 60 s)."""
    shards: str = ""
    """"" (one controller owns every cluster), "auto" (replicas share the clusters through Leases)
    or a number N: static sharding, this replica is `shard_index` of N (no Leases, no failover)."""
    shard_index: int = 0
    lease_duration: float = 15.0
    """Seconds a Lease stays valid without renewal (Kubernetes' default)."""
    lease_renew_deadline: float = 10.0
    """A replica that has not renewed its cluster Lease for this long stops writing to the cluster."""
    lease_retry_period: float = 2.0
    """Seconds between lease rounds (renewals, membership and ownership changes)."""
    cluster_info_interval: float = 5.0
    """Seconds between publications of cluster connection status for `fleetops cluster list`."""
