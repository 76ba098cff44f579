"""The cluster info ConfigMap of a replica that is gone (membership Lease deleted) or dead
(membership Lease expired) is deleted by the replica holding the hub's `in-cluster` Lease once
the Lease has been gone or expired for the lease duration; live replicas' ConfigMaps stay.
`ShardManager` against a kubesim hub, one lease round at a time on a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from fleetops.adapters.kube import ClusterConfig, HttpKubeClient
from fleetops.controller.cluster_info import INFO_LABEL, info_configmap_name
from fleetops.controller.sharding import CONFIGMAP, LeaseTimings, ShardManager
from fleetops.core import sharding
from fleetops.core.app import IN_CLUSTER_SERVER
from fleetops.kubesim.cluster import SimCluster
from fleetops.ports.kube import NotFound

SERVERS = {IN_CLUSTER_SERVER: "in-cluster"} | {
    f"https://spoke-{index}.example:6443": f"spoke-{index}" for index in range(6)
}
TIMINGS = LeaseTimings(lease_duration=15, renew_deadline=10, retry_period=2)


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


def replica(hub: HttpKubeClient, identity: str, clock: FakeClock) -> ShardManager:
    return ShardManager(
        hub, namespace="fleetops", identity=identity, clusters=lambda: SERVERS, timings=TIMINGS, clock=clock
    )


async def publish(hub: HttpKubeClient, identity: str) -> None:
    configmap = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": info_configmap_name(identity),
            "namespace": "fleetops",
            "labels": {INFO_LABEL: "true"},
        },
        "data": {"cluster-x": "{}"},
    }
    await hub.apply(configmap, field_manager="fleetops", force=True)


async def infos(hub: HttpKubeClient) -> set[str]:
    listed = await hub.list(CONFIGMAP, "fleetops", label_selector=INFO_LABEL)
    return {item["metadata"]["name"] for item in listed.items}


async def rounds(clock: FakeClock, *replicas: ShardManager, count: int = 1) -> None:
    for _ in range(count):
        for each in replicas:
            await each.tick()
        clock.now += TIMINGS.retry_period


async def test_only_dead_replicas_lose_their_cluster_info(hub: HttpKubeClient) -> None:
    clock = FakeClock()
    members = {name: replica(hub, name, clock) for name in ("a", "b", "c")}
    for name in members:
        await publish(hub, name)
    await rounds(clock, *members.values(), count=9)  # longer than the lease duration
    everyone = {info_configmap_name(name) for name in members}
    assert await infos(hub) == everyone, "live replicas keep their cluster info"

    holder = sharding.assign(SERVERS, sorted(members))[IN_CLUSTER_SERVER]
    assert members[holder].owns(IN_CLUSTER_SERVER)
    stalled, stopped = sorted(set(members) - {holder})
    await members[stopped].stop()  # graceful: its membership Lease is deleted now
    stopped_at = clock.now
    last_renewal = clock.now - TIMINGS.retry_period  # `stalled` ticked last round, then froze
    survivor = members[holder]
    for _ in range(40):
        await rounds(clock, survivor)
        left = await infos(hub)
        if clock.now - stopped_at < TIMINGS.lease_duration:
            assert info_configmap_name(stopped) in left, "gone for less than the lease duration"
        if clock.now - last_renewal < 2 * TIMINGS.lease_duration:
            assert info_configmap_name(stalled) in left, "expired for less than the lease duration"
        if left == {info_configmap_name(holder)}:
            break
    assert await infos(hub) == {info_configmap_name(holder)}


async def test_a_replica_never_seen_is_cleaned_up_and_outside_deletes_are_no_error(
    hub: HttpKubeClient,
) -> None:
    clock = FakeClock()
    a = replica(hub, "a", clock)
    await publish(hub, "a")
    await publish(hub, "gone")  # a replica that never came back after a restart
    await rounds(clock, a, count=2)
    assert a.owns(IN_CLUSTER_SERVER)
    await hub.delete(CONFIGMAP, info_configmap_name("gone"), "fleetops")
    await rounds(clock, a, count=10)
    assert await infos(hub) == {info_configmap_name("a")}
    with pytest.raises(NotFound):
        await hub.get(CONFIGMAP, info_configmap_name("gone"), "fleetops")
