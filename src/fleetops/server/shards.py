"""The hub's sharding wiring: this replica's identity, its `ShardManager` (with `--shards auto`)
and its cluster info publisher. Kept apart from `hub.py` so that the hub reads as the list of
parts it starts."""

from __future__ import annotations

import os
import socket

from fleetops.adapters.kube.transport import USER_AGENT
from fleetops.controller.app_controller import AppController
from fleetops.controller.cluster_info import ClusterInfoPublisher
from fleetops.controller.clusters import ClusterRegistry, WriteGuard
from fleetops.controller.metrics import Metrics
from fleetops.controller.sharding import LeaseTimings, NotOwner, ShardManager
from fleetops.ports.kube import KubeClient
from fleetops.server.config import HubConfig

SHARD_MODES = ("", "auto")


def identity_of(config: HubConfig) -> str:
    """`--shard`, or with `--shards auto` and none given, `<hostname>-<pid>`."""
    if config.shard:
        return config.shard
    return f"{socket.gethostname()}-{os.getpid()}" if config.shards == "auto" else ""


def user_agent_of(identity: str) -> str:
    """Each replica writes as `fleetops/<identity>` (field manager stays `fleetops`)."""
    return f"fleetops/{identity}" if identity else USER_AGENT


class ShardRuntime:
    def __init__(self, config: HubConfig, metrics: Metrics) -> None:
        if config.shards not in SHARD_MODES:
            raise ValueError(f"--shards is 'auto' or not given, not {config.shards!r}")
        self.config = config
        self.metrics = metrics
        self.identity = identity_of(config)
        self.sharded = config.shards == "auto"
        self.timings = LeaseTimings(
            config.lease_duration, config.lease_renew_deadline, config.lease_retry_period
        )
        self.manager: ShardManager | None = None
        self.publisher: ClusterInfoPublisher | None = None

    @property
    def guard(self) -> WriteGuard | None:
        return self._check if self.sharded else None

    def _check(self, server: str) -> None:
        if self.manager is None:
            raise NotOwner(f"controller {self.identity} holds no cluster leases yet")
        self.manager.check(server)

    def owns(self, server: str) -> bool:
        return self.manager is not None and self.manager.owns(server)

    async def start(self, client: KubeClient, registry: ClusterRegistry, controller: AppController) -> None:
        if self.sharded:
            self.manager = ShardManager(
                client,
                namespace=self.config.namespace,
                identity=self.identity,
                clusters=registry.servers,
                timings=self.timings,
                on_acquired=controller.cluster_acquired,
                on_lost=controller.cluster_lost,
                busy=controller.busy,
            )
            await self.manager.start()
        self.publisher = ClusterInfoPublisher(
            client,
            registry,
            namespace=self.config.namespace,
            identity=self.identity,
            apps=controller.applications,
            owns=self.owns if self.sharded else None,
            metrics=self.metrics,
            interval=self.config.cluster_info_interval,
        )
        await self.publisher.start()

    async def stop(self) -> None:
        if self.publisher is not None:
            await self.publisher.stop()
            self.publisher = None
        if self.manager is not None:
            await self.manager.stop(release=True)
            self.manager = None
