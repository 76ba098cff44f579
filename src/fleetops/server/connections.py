"""Connections to spoke clusters from Argo CD cluster Secrets: the kube adapter's client and
watch cache (the controller's `ConnectionFactory`).

Each connection has its own client: its own rate limiter (the Secret's QPS/burst, Argo CD's
defaults otherwise) and request timeout, so a slow or unreachable cluster uses up only its own.

The connection status follows every request of the client (a timeout or connection error marks
the cluster disconnected with the error, any answer connected again), and the cache probes the
server every `probe_interval` seconds (by default `PROBE_INTERVAL`, or the request timeout when
that is shorter), so a cluster that stops answering after it was connected — while its watches
are open and nothing else talks to it — shows disconnected within about a probe interval plus
a request timeout, and connected again as soon as it answers."""

from __future__ import annotations

import dataclasses

from fleetops.adapters.kube import ClusterSecretError, HttpKubeClient, WatchCache, config_from_cluster_secret
from fleetops.adapters.kube.transport import USER_AGENT
from fleetops.controller.metrics import Metrics
from fleetops.engine import ClusterConnection, DestinationError
from fleetops.model.manifest import Manifest
from fleetops.server.k8s_requests import request_observer

PROBE_INTERVAL = 10.0
"""Seconds between two `GET /version` of a connected or disconnected cluster."""


class SecretConnections:
    def __init__(
        self,
        metrics: Metrics | None = None,
        *,
        user_agent: str = USER_AGENT,
        request_timeout: float | None = None,
        probe_interval: float | None = None,
    ) -> None:
        self._metrics = metrics
        self._user_agent = user_agent
        self._request_timeout = request_timeout
        if probe_interval is None:
            probe_interval = min(PROBE_INTERVAL, request_timeout or PROBE_INTERVAL)
        self._probe_interval = probe_interval

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
        cache = WatchCache(
            client,
            cluster=config.name or config.server,
            probe_interval=self._probe_interval,
            announce_connection=True,  # its applications show Unknown, or recover, at once
        )
        client.transport.connection_listener = cache.connection_observed
        await cache.start()  # an unreachable cluster is recorded in its status, not raised
        return ClusterConnection(config.server, config.name or config.server, client, cache)

    async def close(self, connection: ClusterConnection) -> None:
        await connection.cache.stop()
        await connection.client.close()
