"""`ShardManager`: one controller replica's part in `--shards auto`.

Every `retry_period` the replica
1. renews its membership Lease `fleetops-controller-<identity>`;
2. lists the Leases of the control-plane namespace and notes, on its own monotonic clock, when
   each last changed: a Lease not seen to change for its `leaseDurationSeconds` is expired;
3. computes the assignment of all known clusters (the hub's `in-cluster` too) to the live members
   by consistent hashing with bounded loads (`fleetops.core.sharding`) — every replica computes
   the same from the same Leases;
4. for each cluster assigned to it, renews its cluster Lease or, when the Lease is missing,
   released or expired, takes it (an update naming the resourceVersion it saw, so two replicas
   cannot both take it);
5. for each cluster it holds but is no longer assigned, stops writing to it at once and releases
   the Lease (empty holder) once no reconcile of that cluster is running;
6. while it holds the hub's own cluster (`in-cluster`), deletes the cluster info ConfigMap
   `fleetops-cluster-info-<id>` of every replica whose membership Lease has been gone or expired
   for at least `lease_duration` (one replica cleans up after a dead one, none after a live one).

`owns(server)` is the write guard: true only while this replica holds the cluster's Lease and
renewed it less than `renew_deadline` ago (measured from when the renewal was sent). Since
`renew_deadline < lease_duration`, a replica that stalls (SIGSTOP, a long GC, a partition)
stops writing before any other replica may take the cluster over."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from fleetops.controller.cluster_info import INFO_LABEL, INFO_PREFIX
from fleetops.controller.leases import (
    DEFAULT_LEASE_DURATION,
    DEFAULT_RENEW_DEADLINE,
    DEFAULT_RETRY_PERIOD,
    LEASE,
    ROLE_LABEL,
    LeaseRecord,
    cluster_lease_name,
    lease_manifest,
    member_lease_name,
)
from fleetops.controller.sharding_guard import NotOwner
from fleetops.core import sharding
from fleetops.core.app import IN_CLUSTER_SERVER
from fleetops.model import GroupVersionKind
from fleetops.ports.kube import AlreadyExists, Conflict, KubeClient, KubeError, NotFound

__all__ = ["LeaseTimings", "NotOwner", "ShardManager"]

log = logging.getLogger(__name__)

Clock = Callable[[], float]
CONFIGMAP = GroupVersionKind("", "v1", "ConfigMap")


@dataclass(frozen=True)
class LeaseTimings:
    lease_duration: float = DEFAULT_LEASE_DURATION
    renew_deadline: float = DEFAULT_RENEW_DEADLINE
    retry_period: float = DEFAULT_RETRY_PERIOD

    def __post_init__(self) -> None:
        if not 0 < self.retry_period < self.renew_deadline < self.lease_duration:
            raise ValueError(
                "lease timings need 0 < retry period < renew deadline < lease duration, not "
                f"{self.retry_period} / {self.renew_deadline} / {self.lease_duration}"
            )
        if self.lease_duration != round(self.lease_duration):
            raise ValueError(f"the lease duration is whole seconds, not {self.lease_duration}")


class ShardManager:
    def __init__(
        self,
        client: KubeClient,
        *,
        namespace: str,
        identity: str,
        clusters: Callable[[], Mapping[str, str]],
        timings: LeaseTimings | None = None,
        on_acquired: Callable[[str], None] = lambda server: None,
        on_lost: Callable[[str], None] = lambda server: None,
        busy: Callable[[str], bool] = lambda server: False,
        clock: Clock = time.monotonic,
    ) -> None:
        if not identity:
            raise ValueError("a sharded controller needs an identity (--shard)")
        self.client = client
        self.namespace = namespace
        self.identity = identity
        self.timings = timings or LeaseTimings()
        self._clusters = clusters
        self._on_acquired = on_acquired
        self._on_lost = on_lost
        self._busy = busy
        self._clock = clock
        self._seen: dict[str, tuple[str, float]] = {}
        """Lease name -> (resourceVersion, when this replica saw that version first)."""
        self._held: dict[str, tuple[float, str]] = {}
        """Server -> (when the last successful renewal was sent, the Lease's resourceVersion)."""
        self._releasing: dict[str, LeaseRecord] = {}
        self._dead_since: dict[str, float] = {}
        """Replica identity -> when this replica first saw it without a live membership Lease."""
        self.members: tuple[str, ...] = ()
        self.assignment: dict[str, str] = {}
        """Server -> the member the ring gives it (as this replica computed it last)."""
        self.holders: dict[str, str] = {}
        """Server -> holder of its cluster Lease (as this replica saw it last)."""
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    # -- the write guard ---------------------------------------------------------------------

    def owns(self, server: str) -> bool:
        held = self._held.get(server)
        return held is not None and self._clock() - held[0] < self.timings.renew_deadline

    def check(self, server: str) -> None:
        if not self.owns(server):
            raise NotOwner(f"controller {self.identity} does not hold the lease of cluster {server}")

    def owned(self) -> set[str]:
        return {server for server in self._held if self.owns(server)}

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        await self.tick()
        self._task = asyncio.get_running_loop().create_task(self._run(), name=f"shard-{self.identity}")

    async def stop(self, *, release: bool = True) -> None:
        """Stop renewing; release this replica's cluster Leases and membership (graceful exit)."""
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if not release:
            return
        held = dict(self._held)
        self._held.clear()
        for server in held:
            self._on_lost(server)
        for server, (_, version) in held.items():
            await self._release(server, version)
        try:
            await self.client.delete(LEASE, member_lease_name(self.identity), self.namespace)
        except KubeError as error:
            log.debug("cannot delete the membership lease: %s", error)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.timings.retry_period)
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("shard %s: lease round failed", self.identity)

    # -- one round ---------------------------------------------------------------------------

    async def tick(self) -> None:
        await self._renew_membership()
        leases = await self._list()
        now = self._clock()
        for record in leases.values():
            seen = self._seen.get(record.name)
            if seen is None or seen[0] != record.resource_version:
                self._seen[record.name] = (record.resource_version, now)
        for name in set(self._seen) - set(leases):
            del self._seen[name]
        self.members = tuple(
            sorted(
                record.holder
                for record in leases.values()
                if record.role == "member" and record.holder and not self._expired(record, now)
            )
        )
        servers = set(self._clusters())
        self.assignment = sharding.assign(servers, self.members)
        by_server = {record.server: record for record in leases.values() if record.role == "cluster"}
        self.holders = {
            server: record.holder
            for server, record in by_server.items()
            if record.holder and not self._expired(record, now)
        }
        mine = {server for server, member in self.assignment.items() if member == self.identity}
        # Lost: a held Lease whose renewal is overdue, or that someone else holds now.
        for server in list(self._held):
            current = by_server.get(server)
            if not self.owns(server) or current is None or current.holder != self.identity:
                self._lose(server)
        # Give up what the ring moved away: stop writing now, release when idle.
        for server in [s for s in self._held if s not in mine]:
            if server in by_server:
                self._releasing[server] = by_server[server]
            self._lose(server)
        for server, released in list(self._releasing.items()):
            if server in mine:
                del self._releasing[server]
            elif not self._busy(server):
                del self._releasing[server]
                await self._release(server, released.resource_version, forget=server not in servers)
        await asyncio.gather(*(self._claim(server, by_server.get(server), now) for server in sorted(mine)))
        if self.owns(IN_CLUSTER_SERVER):
            await self._delete_dead_info(now)
        else:
            self._dead_since.clear()

    async def _delete_dead_info(self, now: float) -> None:
        """Delete the cluster info ConfigMaps of replicas without a live membership Lease for at
        least `lease_duration` (a gone replica's entries would otherwise be shown forever)."""
        try:
            listed = await self.client.list(CONFIGMAP, self.namespace, label_selector=INFO_LABEL)
        except KubeError as error:
            log.warning("shard %s: cannot list cluster info: %s", self.identity, error)
            return
        found: set[str] = set()
        for configmap in listed.items:
            metadata = configmap.get("metadata", {})
            name = str(metadata.get("name", ""))
            replica = name.removeprefix(INFO_PREFIX)
            if not name.startswith(INFO_PREFIX) or replica == self.identity or replica in self.members:
                continue
            found.add(replica)
            since = self._dead_since.setdefault(replica, now)
            if now - since < self.timings.lease_duration:
                continue
            try:
                await self.client.delete(
                    CONFIGMAP,
                    name,
                    self.namespace,
                    preconditions={"resourceVersion": str(metadata.get("resourceVersion", ""))},
                )
                log.info("shard %s: deleted the cluster info of gone replica %s", self.identity, replica)
            except (NotFound, Conflict):
                pass  # gone already, or rewritten: the replica is back
            except KubeError as error:
                log.warning("shard %s: cannot delete %s: %s", self.identity, name, error)
        for replica in set(self._dead_since) - found:
            del self._dead_since[replica]

    def _expired(self, record: LeaseRecord, now: float) -> bool:
        if record.holder == self.identity:
            return False
        seen = self._seen.get(record.name)
        return seen is None or now - seen[1] >= record.duration

    def _lose(self, server: str) -> None:
        if self._held.pop(server, None) is not None:
            log.info("shard %s: no longer owns %s", self.identity, server)
            self._on_lost(server)

    async def _renew_membership(self) -> None:
        lease = lease_manifest(
            name=member_lease_name(self.identity),
            namespace=self.namespace,
            role="member",
            holder=self.identity,
            duration=self.timings.lease_duration,
        )
        await self.client.apply(lease, field_manager=f"fleetops-shard-{self.identity}", force=True)

    async def _list(self) -> dict[str, LeaseRecord]:
        listed = await self.client.list(LEASE, self.namespace, label_selector=ROLE_LABEL)
        records = (LeaseRecord.parse(item) for item in listed.items)
        return {record.name: record for record in records}

    async def _claim(self, server: str, record: LeaseRecord | None, now: float) -> None:
        """Renew the cluster Lease this replica holds, or take it when free or expired."""
        taken = record is not None and record.holder and record.holder != self.identity
        if taken and record is not None and not self._expired(record, now):
            return  # someone else holds it; wait until it expires or is released
        held = server in self._held
        sent = self._clock()
        lease = lease_manifest(
            name=cluster_lease_name(server),
            namespace=self.namespace,
            role="cluster",
            holder=self.identity,
            duration=self.timings.lease_duration,
            server=server,
            transitions=(record.transitions if record else 0) + (0 if held or record is None else 1),
            acquire=not held,
            resource_version=record.resource_version if record is not None else "",
        )
        try:
            if record is None:
                written = await self.client.create(lease, field_manager="fleetops")
            else:
                written = await self.client.replace(lease, field_manager="fleetops")
        except (AlreadyExists, Conflict, NotFound):
            self._lose(server)  # another replica got there first; look again next round
            return
        except KubeError as error:
            log.warning("shard %s: cannot renew the lease of %s: %s", self.identity, server, error)
            return  # the guard expires by itself after renew_deadline
        version = str(written.get("metadata", {}).get("resourceVersion", ""))
        self._seen[cluster_lease_name(server)] = (version, self._clock())
        self._held[server] = (sent, version)
        if not held:
            log.info("shard %s: owns %s", self.identity, server)
            self._on_acquired(server)

    async def _release(self, server: str, version: str, *, forget: bool = False) -> None:
        """Release the cluster's Lease (empty holder); `forget`: the cluster is gone, delete it."""
        if forget:
            try:
                await self.client.delete(
                    LEASE,
                    cluster_lease_name(server),
                    self.namespace,
                    preconditions={"resourceVersion": version},
                )
            except KubeError as error:
                log.debug("shard %s: cannot delete the lease of %s: %s", self.identity, server, error)
            return
        lease = lease_manifest(
            name=cluster_lease_name(server),
            namespace=self.namespace,
            role="cluster",
            holder="",
            duration=self.timings.lease_duration,
            server=server,
            resource_version=version,
        )
        try:
            await self.client.replace(lease, field_manager="fleetops")
        except KubeError as error:
            log.debug("shard %s: cannot release the lease of %s: %s", self.identity, server, error)
