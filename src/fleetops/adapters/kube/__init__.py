"""The Kubernetes adapter: cluster configuration (kubeconfig, Argo CD cluster Secrets, in-cluster),
an aiohttp client implementing `fleetops.ports.kube.KubeClient`, and the watch-fed `WatchCache`
implementing `fleetops.ports.kube.LiveCache`.

    config = load_kubeconfig(context="prod-us-east-1")
    async with HttpKubeClient(config) as client, WatchCache(client, cluster="prod") as cache:
        await cache.ensure_watched(GroupKind("apps", "Deployment"))
        async for event in cache.subscribe(): ...
"""

from fleetops.adapters.kube.cache import WatchCache
from fleetops.adapters.kube.client import HttpKubeClient
from fleetops.adapters.kube.cluster_secret import (
    IN_CLUSTER_SERVER,
    ClusterSecretError,
    config_from_cluster_secret,
    in_cluster_config,
)
from fleetops.adapters.kube.config import ClusterConfig, ExecConfig
from fleetops.adapters.kube.exec_plugin import ExecPluginError
from fleetops.adapters.kube.kubeconfig import Kubeconfig, KubeconfigError, load_kubeconfig, read_kubeconfig
from fleetops.adapters.kube.ratelimit import Clock, SystemClock, TokenBucket

__all__ = [
    "IN_CLUSTER_SERVER",
    "Clock",
    "ClusterConfig",
    "ClusterSecretError",
    "ExecConfig",
    "ExecPluginError",
    "HttpKubeClient",
    "Kubeconfig",
    "KubeconfigError",
    "SystemClock",
    "TokenBucket",
    "WatchCache",
    "config_from_cluster_secret",
    "in_cluster_config",
    "load_kubeconfig",
    "read_kubeconfig",
]
