"""The cluster registry: the destinations the hub knows — itself (`https://kubernetes.default.svc`,
`in-cluster`) and every Argo CD cluster Secret (`argocd.argoproj.io/secret-type: cluster`) —
with one connection (client + watch cache) per cluster, opened on first use.

Opening a connection is the wiring's job (`ConnectionFactory`): the controller does not know
which adapter talks to a cluster."""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from fleetops.controller.sharding_guard import GuardedClient
from fleetops.core import app as applications
from fleetops.core.app import IN_CLUSTER_NAME, IN_CLUSTER_SERVER, Destination
from fleetops.engine import ClusterConnection, DestinationError
from fleetops.model import manifest
from fleetops.model.manifest import Manifest

log = logging.getLogger(__name__)

SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type"


class ConnectionFactory(Protocol):
    async def open(self, secret: Manifest) -> ClusterConnection:
        """Connect to the cluster a cluster Secret describes (client and started watch cache)."""
        ...

    async def close(self, connection: ClusterConnection) -> None: ...


def is_cluster_secret(obj: Mapping[str, Any]) -> bool:
    return manifest.kind(obj) == "Secret" and manifest.labels(obj).get(SECRET_TYPE_LABEL) == "cluster"


def secret_field(secret: Mapping[str, Any], key: str) -> str:
    string_data = secret.get("stringData") or {}
    if key in string_data:
        return str(string_data[key])
    data = secret.get("data") or {}
    if key in data:
        try:
            return base64.b64decode(str(data[key])).decode()
        except ValueError:
            return ""
    return ""


OnConnect = Callable[[ClusterConnection], None]
WriteGuard = Callable[[str], None]
"""Called with a cluster's server URL before every write to it; raises to refuse the write."""


class ClusterRegistry:
    """Implements the engine's `Clusters`.

    With a `guard` (the sharded controller's lease check), every connection handed out wraps its
    client in a `GuardedClient`: no write reaches a cluster the guard refuses."""

    def __init__(
        self,
        hub: ClusterConnection,
        factory: ConnectionFactory,
        *,
        on_connect: OnConnect,
        guard: WriteGuard | None = None,
    ) -> None:
        self._guard = guard
        self.hub = self._guarded(hub, IN_CLUSTER_SERVER)
        self._factory = factory
        self._on_connect = on_connect
        self._secrets: dict[str, Manifest] = {}  # by server URL
        self._connections: dict[str, ClusterConnection] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._errors: dict[str, str] = {}

    def _guarded(self, connection: ClusterConnection, server: str) -> ClusterConnection:
        guard = self._guard
        if guard is None:
            return connection
        client = GuardedClient(connection.client, lambda: guard(server))
        return ClusterConnection(connection.server, connection.name, client, connection.cache)

    def server_of_app(self, app: Mapping[str, Any]) -> str | None:
        """The server URL of an Application's destination (None: no such cluster)."""
        return self.server_of(applications.destination(app))

    def connections(self) -> list[ClusterConnection]:
        return [self.hub, *self._connections.values()]

    def servers(self) -> dict[str, str]:
        """Known clusters: server -> name."""
        known = {IN_CLUSTER_SERVER: IN_CLUSTER_NAME}
        for server, secret in self._secrets.items():
            known[server] = secret_field(secret, "name") or server
        return known

    def server_of(self, destination: Destination) -> str | None:
        if destination.is_hub:
            return IN_CLUSTER_SERVER
        if destination.server:
            server = destination.server.rstrip("/")
            return server if server in self._secrets else None
        for server, secret in self._secrets.items():
            if secret_field(secret, "name") == destination.name:
                return server
        return None

    async def secret_changed(self, old: Manifest | None, new: Manifest | None) -> None:
        """A cluster Secret was added, changed or deleted: forget the old connection."""
        for secret in (old, new):
            if secret is None:
                continue
            server = secret_field(secret, "server").rstrip("/")
            connection = self._connections.pop(server, None)
            self._secrets.pop(server, None)
            if connection is not None:
                await self._factory.close(connection)
        if new is not None and secret_field(new, "server"):
            self._secrets[secret_field(new, "server").rstrip("/")] = new

    async def connect(self, destination: Destination) -> ClusterConnection:
        server = self.server_of(destination)
        if server is None:
            what = destination.server or destination.name or "(none)"
            raise DestinationError(f"there are no clusters with this URL or name: {what}")
        if server == IN_CLUSTER_SERVER:
            return self.hub
        lock = self._locks.setdefault(server, asyncio.Lock())
        async with lock:
            connection = self._connections.get(server)
            if connection is None:
                connection = self._guarded(await self._factory.open(self._secrets[server]), server)
                self._connections[server] = connection
                self._on_connect(connection)
            return connection

    async def close(self) -> None:
        for connection in list(self._connections.values()):
            await self._factory.close(connection)
        self._connections.clear()
