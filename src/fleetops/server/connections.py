"""Connections to spoke clusters from Argo CD cluster Secrets: the kube adapter's client and
watch cache (the controller's `ConnectionFactory`)."""

from __future__ import annotations

from fleetops.adapters.kube import ClusterSecretError, HttpKubeClient, WatchCache, config_from_cluster_secret
from fleetops.controller.metrics import Metrics
from fleetops.engine import ClusterConnection, DestinationError
from fleetops.model.manifest import Manifest
from fleetops.server.k8s_requests import request_observer


class SecretConnections:
    def __init__(self, metrics: Metrics | None = None) -> None:
        self._metrics = metrics

    async def open(self, secret: Manifest) -> ClusterConnection:
        try:
            config = config_from_cluster_secret(secret)
        except ClusterSecretError as error:
            raise DestinationError(f"the cluster Secret is unusable: {error}") from error
        observer = request_observer(self._metrics, config.server) if self._metrics is not None else None
        client = HttpKubeClient(config, observer=observer)
        cache = WatchCache(client, cluster=config.name or config.server)
        await cache.start()  # an unreachable cluster is recorded in its status, not raised
        return ClusterConnection(config.server, config.name or config.server, client, cache)

    async def close(self, connection: ClusterConnection) -> None:
        await connection.cache.stop()
        await connection.client.close()
