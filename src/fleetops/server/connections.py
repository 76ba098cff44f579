"""Connections to spoke clusters from Argo CD cluster Secrets: the kube adapter's client and
watch cache (the controller's `ConnectionFactory`).

Each connection has its own client: its own rate limiter (the Secret's QPS/burst, Argo CD's
defaults otherwise) and request timeout, so a slow or unreachable cluster uses up only its own."""

from __future__ import annotations

import dataclasses

from fleetops.adapters.kube import ClusterSecretError, HttpKubeClient, WatchCache, config_from_cluster_secret
from fleetops.adapters.kube.transport import USER_AGENT
from fleetops.controller.metrics import Metrics
from fleetops.engine import ClusterConnection, DestinationError
from fleetops.model.manifest import Manifest
from fleetops.server.k8s_requests import request_observer


class SecretConnections:
    def __init__(
        self,
        metrics: Metrics | None = None,
        *,
        user_agent: str = USER_AGENT,
        request_timeout: float | None = None,
    ) -> None:
        self._metrics = metrics
        self._user_agent = user_agent
        self._request_timeout = request_timeout

    async def open(self, secret: Manifest) -> ClusterConnection:
        try:
            config = config_from_cluster_secret(secret)
        except ClusterSecretError as error:
            raise DestinationError(f"the cluster Secret is unusable: {error}") from error
        if self._request_timeout is not None:
            timeout = self._request_timeout
            config = dataclasses.replace(
                config, request_timeout=timeout, connect_timeout=min(config.connect_timeout, timeout)
            )
        observer = request_observer(self._metrics, config.server) if self._metrics is not None else None
        client = HttpKubeClient(config, observer=observer, user_agent=self._user_agent)
        cache = WatchCache(client, cluster=config.name or config.server)
        await cache.start()  # an unreachable cluster is recorded in its status, not raised
        return ClusterConnection(config.server, config.name or config.server, client, cache)

    async def close(self, connection: ClusterConnection) -> None:
        await connection.cache.stop()
        await connection.client.close()
