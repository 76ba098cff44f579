"""Connections to spoke clusters from Argo CD cluster Secrets: the kube adapter's client and
watch cache (the controller's `ConnectionFactory`)."""

from __future__ import annotations

from fleetops.adapters.kube import ClusterSecretError, HttpKubeClient, WatchCache, config_from_cluster_secret
from fleetops.engine import ClusterConnection, DestinationError
from fleetops.model.manifest import Manifest


class SecretConnections:
    async def open(self, secret: Manifest) -> ClusterConnection:
        try:
            config = config_from_cluster_secret(secret)
        except ClusterSecretError as error:
            raise DestinationError(f"the cluster Secret is unusable: {error}") from error
        client = HttpKubeClient(config)
        cache = WatchCache(client, cluster=config.name or config.server)
        await cache.start()  # an unreachable cluster is recorded in its status, not raised
        return ClusterConnection(config.server, config.name or config.server, client, cache)

    async def close(self, connection: ClusterConnection) -> None:
        await connection.cache.stop()
        await connection.client.close()
