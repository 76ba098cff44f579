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
from fleetops.core import sharding
from fleetops.ports.kube import KubeClient
from fleetops.server.config import HubConfig


def static_shards(config: HubConfig) -> int:
    """N of `--shards N` (0: not static); a ValueError for anything else than "", "auto", N."""
    if config.shards in ("", "auto"):
        return 0
    if not config.shards.isdigit() or int(config.shards) < 1:
        raise ValueError(f"--shards is 'auto' or a number of replicas, not {config.shards!r}")
    count = int(config.shards)
    if not 0 <= config.shard_index < count:
        raise ValueError(f"--shard-index is 0 to {count - 1} with --shards {count}, not {config.shard_index}")
    return count


def identity_of(config: HubConfig) -> str:
    """`--shard`; else with `--shards auto` `<hostname>-<pid>`, with `--shards N` the index."""
    if config.shard:
        return config.shard
    if config.shards == "auto":
        return f"{socket.gethostname()}-{os.getpid()}"
    return str(config.shard_index) if static_shards(config) else ""


def user_agent_of(identity: str) -> str:
    """Each replica writes as `fleetops/<identity>` (field manager stays `fleetops`)."""
    return f"fleetops/{identity}" if identity else USER_AGENT


class ShardRuntime:
    def __init__(self, config: HubConfig, metrics: Metrics) -> None:
        self.static = static_shards(config)
        self.config = config
        self.metrics = metrics
        self.identity = identity_of(config)
        self.sharded = config.shards == "auto" or self.static > 0
        self._registry: ClusterRegistry | None = None
        self._static_assignment: tuple[frozenset[str], dict[str, str]] = (frozenset(), {})
        self.timings = LeaseTimings(
            config.lease_duration, config.lease_renew_deadline, config.lease_retry_period
        )
        self.manager: ShardManager | None = None
        self.publisher: ClusterInfoPublisher | None = None

    @property
    def guard(self) -> WriteGuard | None:
        return self._check if self.sharded else None

    def _check(self, server: str) -> None:
        if self.manager is not None:
            self.manager.check(server)
        elif not self.owns(server):
            raise NotOwner(f"controller {self.identity} does not own cluster {server}")

    def owns(self, server: str) -> bool:
        if self.manager is not None:
            return self.manager.owns(server)
        if self.static and self._registry is not None:
            members = [str(index) for index in range(self.static)]
            return sharding.assign(self._registry.servers(), members).get(server) == str(
                self.config.shard_index
            )
        return False

    async def start(self, client: KubeClient, registry: ClusterRegistry, controller: AppController) -> None:
        self._registry = registry
        if self.static:
            for server in registry.servers():
                if self.owns(server):
                    controller.cluster_acquired(server)
        if self.config.shards == "auto":
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
