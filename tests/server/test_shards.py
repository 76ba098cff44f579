"""The hub's sharding wiring: static sharding (`--shards N --shard-index I`) gives every cluster
to exactly one index; bad shard settings are refused with a clear message (CLI exit 2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import pytest
from typer.testing import CliRunner

from fleetops.cli.app import build_app
from fleetops.controller.app_controller import AppController
from fleetops.controller.clusters import ClusterRegistry
from fleetops.controller.metrics import Metrics
from fleetops.controller.sharding import NotOwner
from fleetops.core.app import IN_CLUSTER_NAME, IN_CLUSTER_SERVER
from fleetops.ports.kube import KubeClient
from fleetops.server.config import HubConfig
from fleetops.server.shards import ShardRuntime, identity_of, user_agent_of

SERVERS = {IN_CLUSTER_SERVER: IN_CLUSTER_NAME} | {f"https://c{i}.example:6443": f"c{i}" for i in range(20)}


class FakeRegistry:
    def servers(self) -> Mapping[str, str]:
        return SERVERS


class FakeController:
    def __init__(self) -> None:
        self.acquired: list[str] = []

    def cluster_acquired(self, server: str) -> None:
        self.acquired.append(server)

    def applications(self) -> list[Any]:
        return []


class NoClient:
    async def apply(self, *args: Any, **kwargs: Any) -> Any:
        return {}


async def test_static_shards_split_the_clusters_once() -> None:
    owners: dict[str, list[int]] = {server: [] for server in SERVERS}
    for index in range(3):
        config = HubConfig(shards="3", shard_index=index, cluster_info_interval=3600)
        runtime = ShardRuntime(config, Metrics())
        assert runtime.sharded and runtime.identity == str(index)
        assert user_agent_of(runtime.identity) == f"fleetops/{index}"
        controller = FakeController()
        await runtime.start(
            cast(KubeClient, NoClient()),
            cast(ClusterRegistry, FakeRegistry()),
            cast(AppController, controller),
        )
        for server in SERVERS:
            if runtime.owns(server):
                owners[server].append(index)
            else:
                with pytest.raises(NotOwner):
                    runtime.guard(server)  # type: ignore[misc]
        assert sorted(controller.acquired) == sorted(s for s in SERVERS if runtime.owns(s))
        await runtime.stop()
    assert all(len(indexes) == 1 for indexes in owners.values()), owners


def test_identity_defaults() -> None:
    assert identity_of(HubConfig()) == ""
    assert identity_of(HubConfig(shard="c-7", shards="auto")) == "c-7"
    assert "-" in identity_of(HubConfig(shards="auto"))  # host-pid
    assert user_agent_of("").startswith("fleetops/")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shards", "bogus"], "--shards is 'auto' or a number"),
        (["--shards", "0"], "--shards is 'auto' or a number"),
        (["--shards", "3", "--shard-index", "3"], "--shard-index is 0 to 2"),
        (["--shards", "auto", "--lease-duration", "5", "--lease-renew-deadline", "6"], "renew deadline"),
    ],
)
def test_controller_refuses_bad_shard_settings(args: list[str], message: str) -> None:
    result = CliRunner().invoke(build_app(), ["controller", *args])
    assert result.exit_code == 2
    assert message in result.output
