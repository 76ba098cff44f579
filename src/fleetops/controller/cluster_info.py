"""Cluster info: what the controller knows about each cluster it owns — connection status, server
version, cached resources, applications — published for `fleetops cluster list` (Argo CD keeps
this in its cluster info cache and serves it from the API server; fleetops has no API server in
between, so each replica writes it to its own ConfigMap, `fleetops-cluster-info-<identity>`,
labelled `fleetops.io/cluster-info`, one JSON document per cluster keyed by `cluster-<hash of the
server URL>`). One ConfigMap per replica: no two replicas write the same object. The ConfigMap is
written only when its content changes; readers take the entry of the replica holding the
cluster's Lease (or the newest one)."""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

from fleetops.controller.clusters import ClusterRegistry
from fleetops.controller.metrics import Metrics
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import KubeClient, KubeError

log = logging.getLogger(__name__)

INFO_LABEL = "fleetops.io/cluster-info"
INFO_PREFIX = "fleetops-cluster-info-"


def info_key(server: str) -> str:
    return "cluster-" + hashlib.sha256(server.encode()).hexdigest()[:16]


def info_configmap_name(identity: str) -> str:
    return INFO_PREFIX + (identity or "controller")


class ClusterInfoPublisher:
    def __init__(
        self,
        client: KubeClient,
        registry: ClusterRegistry,
        *,
        namespace: str,
        identity: str,
        apps: Callable[[], Sequence[Manifest]],
        owns: Callable[[str], bool] | None = None,
        metrics: Metrics | None = None,
        interval: float = 5.0,
    ) -> None:
        self.client = client
        self.registry = registry
        self.namespace = namespace
        self.identity = identity
        self._apps = apps
        self._owns = owns
        self._metrics = metrics
        self.interval = interval
        self._last: dict[str, str] | None = None
        self._updated: dict[str, str] = {}
        self._task: asyncio.Task[None] | None = None

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """Server -> info, for the clusters this replica owns and has connected to."""
        counts: dict[str, int] = {}
        for app in self._apps():
            server = self.registry.server_of_app(app)
            if server is not None:
                counts[server] = counts.get(server, 0) + 1
        found: dict[str, dict[str, Any]] = {}
        for connection in self.registry.connections():
            server = connection.server.rstrip("/")
            if self._owns is not None and not self._owns(server):
                continue
            status = connection.cache.status()
            found[server] = {
                "server": server,
                "name": connection.name,
                "connectionState": "Successful" if status.connected else "Failed",
                "message": "" if status.connected else (status.last_error or ""),
                "serverVersion": status.server_version or "",
                "resources": status.resources,
                "applications": counts.get(server, 0),
                "shard": self.identity,
            }
        return found

    def update_metrics(self, found: dict[str, dict[str, Any]]) -> None:
        if self._metrics is None:
            return
        for server in set(self.registry.servers()) - set(found):
            if self._owns is not None:
                self._metrics.delete_cluster(server)
        for server, info in found.items():
            self._metrics.set_cluster(
                server,
                name=str(info["name"]),
                k8s_version=str(info["serverVersion"]),
                connected=info["connectionState"] == "Successful",
                shard=self.identity,
            )

    async def publish(self) -> None:
        found = self.snapshot()
        self.update_metrics(found)
        data: dict[str, str] = {}
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for server, info in sorted(found.items()):
            key = info_key(server)
            body = json.dumps(info, sort_keys=True)
            if self._last is None or self._last.get(key, "").split("\n", 1)[0] != body:
                self._updated[key] = now
            data[key] = body + "\n" + json.dumps({"updated": self._updated.get(key, now)})
        if data == self._last:
            return
        configmap: Manifest = {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {
                "name": info_configmap_name(self.identity),
                "namespace": self.namespace,
                "labels": {INFO_LABEL: "true"},
            },
            "data": data,
        }
        try:
            await self.client.apply(configmap, field_manager="fleetops", force=True)
            self._last = data
        except KubeError as error:
            log.warning("cannot publish cluster info: %s", error)

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="cluster-info")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.publish()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("cluster info round failed")
            await asyncio.sleep(self.interval)


def parse_info(value: str) -> dict[str, Any]:
    """One entry of a cluster info ConfigMap: the info plus its `updated` time ({} if unreadable)."""
    head, _, tail = value.partition("\n")
    try:
        info = json.loads(head)
        info.update(json.loads(tail) if tail else {})
    except ValueError:
        return {}
    return info if isinstance(info, dict) else {}
