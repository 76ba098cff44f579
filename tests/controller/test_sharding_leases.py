"""`ShardManager` against a kubesim hub, one lease round at a time on a fake clock: every cluster
has one owner, a replica that stops renewing stops writing before another may take over, and a
replica that comes back gets its share again — never two owners at once."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from fleetops.adapters.kube import ClusterConfig, HttpKubeClient
from fleetops.controller.leases import LEASE, cluster_lease_name
from fleetops.controller.sharding import LeaseTimings, NotOwner, ShardManager
from fleetops.controller.sharding_guard import GuardedClient
from fleetops.core import sharding
from fleetops.kubesim.cluster import SimCluster
from fleetops.model import GroupVersionKind
from fleetops.ports.kube import NotFound

SERVERS = {f"https://spoke-{index}.example:6443": f"spoke-{index}" for index in range(12)}
TIMINGS = LeaseTimings(lease_duration=15, renew_deadline=10, retry_period=2)
CONFIGMAP = GroupVersionKind("", "v1", "ConfigMap")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def hub() -> AsyncIterator[HttpKubeClient]:
    cluster = SimCluster("hub")
    await cluster.start()
    client = HttpKubeClient(ClusterConfig(server=cluster.url, ca_pem=cluster.ca_pem, token=cluster.token))
    await client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "fleetops"}})
    yield client
    await client.close()
    await cluster.stop()


def replica(
    hub: HttpKubeClient, identity: str, clock: FakeClock, busy: set[str] | None = None
) -> ShardManager:
    return ShardManager(
        hub,
        namespace="fleetops",
        identity=identity,
        clusters=lambda: SERVERS,
        timings=TIMINGS,
        clock=clock,
        busy=lambda server: server in (busy or set()),
    )


def assert_single_owners(*replicas: ShardManager) -> None:
    for server in SERVERS:
        owners = [r.identity for r in replicas if r.owns(server)]
        assert len(owners) <= 1, f"{server} owned by {owners}"


async def rounds(clock: FakeClock, *replicas: ShardManager, count: int = 1) -> None:
    for _ in range(count):
        for each in replicas:
            await each.tick()
            assert_single_owners(*replicas)
        clock.now += TIMINGS.retry_period


async def test_replicas_split_the_clusters_as_the_ring_says(hub: HttpKubeClient) -> None:
    clock = FakeClock()
    a, b = replica(hub, "a", clock), replica(hub, "b", clock)
    await rounds(clock, a, b, count=3)
    assert a.members == b.members == ("a", "b")
    expected = sharding.assign(SERVERS, ["a", "b"])
    assert {s for s in SERVERS if a.owns(s)} == {s for s, m in expected.items() if m == "a"}
    assert {s for s in SERVERS if b.owns(s)} == {s for s, m in expected.items() if m == "b"}
    lease = await hub.get(LEASE, cluster_lease_name(next(iter(SERVERS))), "fleetops")
    assert lease["spec"]["holderIdentity"] in ("a", "b")
    assert lease["spec"]["leaseDurationSeconds"] == 15


async def test_a_stalled_replica_stops_writing_before_its_clusters_move(hub: HttpKubeClient) -> None:
    clock = FakeClock()
    a, b = replica(hub, "a", clock), replica(hub, "b", clock)
    await rounds(clock, a, b, count=3)
    owned_by_a = a.owned()
    assert owned_by_a
    # a stalls (SIGSTOP): only b runs. a's guard closes after the renew deadline, before b
    # may take anything (the lease duration, on b's own clock).
    taken_at = None
    for _ in range(20):
        await b.tick()
        assert_single_owners(a, b)
        if taken_at is None and owned_by_a & b.owned():
            taken_at = clock.now
            assert not a.owned()
        clock.now += TIMINGS.retry_period
    assert b.owned() == set(SERVERS)
    assert b.members == ("b",)
    # a comes back: it notices it lost everything, rejoins, and gets its share back from b.
    await rounds(clock, a, b, count=4)
    assert a.owned() and b.owned() and a.owned() | b.owned() == set(SERVERS)


async def test_a_busy_cluster_is_released_only_when_idle(hub: HttpKubeClient) -> None:
    clock = FakeClock()
    busy: set[str] = set()
    a = replica(hub, "a", clock, busy)
    await rounds(clock, a, count=2)
    assert a.owned() == set(SERVERS)
    b = replica(hub, "b", clock)
    moving = {s for s, m in sharding.assign(SERVERS, ["a", "b"]).items() if m == "b"}
    busy.update(moving)
    await rounds(clock, b, a, b, count=3)
    assert not (a.owned() & moving)  # a stopped writing at once
    assert not b.owned()  # but holds the leases while its reconciles run
    busy.clear()
    await rounds(clock, a, b, count=2)
    assert b.owned() == moving


async def test_graceful_stop_releases_everything_at_once(hub: HttpKubeClient) -> None:
    clock = FakeClock()
    a, b = replica(hub, "a", clock), replica(hub, "b", clock)
    await rounds(clock, a, b, count=3)
    await a.stop()
    await rounds(clock, b, count=3)  # no waiting for the lease duration
    assert b.owned() == set(SERVERS)


async def test_the_guard_refuses_writes_without_the_lease(hub: HttpKubeClient) -> None:
    clock = FakeClock()
    a = replica(hub, "a", clock)
    server = next(iter(SERVERS))
    guarded = GuardedClient(hub, lambda: a.check(server))
    configmap = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "fleetops"}}
    with pytest.raises(NotOwner, match="does not hold the lease"):
        await guarded.apply(configmap, field_manager="fleetops")
    await guarded.apply(configmap, field_manager="fleetops", dry_run=True)  # dry runs write nothing
    await rounds(clock, a)
    await guarded.apply(configmap, field_manager="fleetops")
    assert (await guarded.get(CONFIGMAP, "x", "fleetops"))["metadata"]["name"] == "x"
    clock.now += TIMINGS.renew_deadline  # no renewal for the renew deadline: writes stop
    with pytest.raises(NotOwner):
        await guarded.delete(CONFIGMAP, "x", "fleetops")


def test_lease_timings_are_checked() -> None:
    with pytest.raises(ValueError, match="renew deadline"):
        LeaseTimings(lease_duration=5, renew_deadline=6, retry_period=1)
    with pytest.raises(ValueError, match="whole seconds"):
        LeaseTimings(lease_duration=5.5, renew_deadline=2, retry_period=1)


async def test_the_lease_of_a_removed_cluster_is_deleted(hub: HttpKubeClient) -> None:
    clock = FakeClock()
    known = dict(SERVERS)
    a = ShardManager(
        hub, namespace="fleetops", identity="a", clusters=lambda: known, timings=TIMINGS, clock=clock
    )
    await rounds(clock, a, count=2)
    gone = next(iter(SERVERS))
    del known[gone]
    await rounds(clock, a, count=2)
    assert not a.owns(gone)
    with pytest.raises(NotFound):
        await hub.get(LEASE, cluster_lease_name(gone), "fleetops")
