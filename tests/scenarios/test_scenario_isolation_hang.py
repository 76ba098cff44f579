"""A spoke that hangs AFTER the hub connected to it (issue #6, isolation): the hub in-process
against kubesim, two healthy spokes and one that is connected, synced and healthy first, then
made unreachable with kubesim's `unreachable: hang` fault (its watches, opened before, stay open:
only new requests hang). Its applications turn Unknown with the connection error and
`argocd_cluster_connection_status` becomes 0 for it, while the other spokes keep syncing; when
the fault is cleared it is 1 again and its applications sync again. Short timeouts: the cluster
request timeout (which also sets how often the hub probes a spoke's version) is 1 s."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scenario_support import (
    APPLICATION,
    PROBE_CM,
    application,
    cluster_config,
    eventually,
    probe_color,
    probe_hub,
    register_clusters,
    set_faults,
)
from tests.support.gitserver import BareRepo, GitServer

from fleetops.adapters.kube import HttpKubeClient
from fleetops.kubesim.background import BackgroundFleet
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.workloads.extension import workload_extensions
from fleetops.server.hub import Hub

HEALTHY = ["ok-0", "ok-1"]
FLAKY = "flaky"
APPS = {f"{cluster}-{part}": cluster for cluster in [*HEALTHY, FLAKY] for part in ("a", "b")}
HEALTHY_APPS = [app for app, cluster in APPS.items() if cluster != FLAKY]
FLAKY_APPS = [app for app, cluster in APPS.items() if cluster == FLAKY]


@pytest.fixture
def hang_fleet() -> Iterator[Fleet]:
    with BackgroundFleet(["hub", *HEALTHY, FLAKY], extensions=workload_extensions()) as running:
        yield running


async def test_a_cluster_that_hangs_after_it_was_connected(
    hang_fleet: Fleet, git_server: GitServer, tmp_path: Path
) -> None:
    fleet = hang_fleet
    repo, config = probe_hub(git_server, fleet, tmp_path, request_timeout=1.0)
    spokes = {name: HttpKubeClient(cluster_config(fleet, name)) for name in [*HEALTHY, FLAKY]}
    hub_runtime = Hub(config)
    async with HttpKubeClient(cluster_config(fleet, "hub")) as hub:
        try:
            await hub_runtime.start()
            await register_clusters(hub, fleet, [*HEALTHY, FLAKY])
            for app, cluster in APPS.items():
                await hub.create(
                    application(
                        app, server=fleet[cluster].url, namespace=f"probe-{app}", path="probe", automated={}
                    )
                )

            async def colored(apps: list[str], color: str) -> bool:
                found = await asyncio.gather(
                    *(probe_color(spokes[APPS[app]], f"probe-{app}") for app in apps)
                )
                return all(value == color for value in found)

            async def synced(apps: list[str]) -> bool:
                statuses = [await _status(hub, app) for app in apps]
                return all(
                    (s.get("sync") or {}).get("status") == "Synced"
                    and (s.get("health") or {}).get("status") == "Healthy"
                    for s in statuses
                )

            def connection(cluster: str) -> float | None:
                return _connection_status(hub_runtime, fleet[cluster].url)

            async def flaky_connected(value: float) -> bool:
                return connection(FLAKY) == value

            await eventually(lambda: colored(list(APPS), "blue"), "every spoke synced")
            await eventually(lambda: synced(list(APPS)), "every application Synced and Healthy")
            await eventually(lambda: flaky_connected(1.0), "the flaky spoke is connected")

            loop = asyncio.get_running_loop()
            await set_faults(fleet, FLAKY, {"unreachable": "hang"})
            hung_at = loop.time()

            async def flaky_unknown() -> bool:
                for app in FLAKY_APPS:
                    status = await _status(hub, app)
                    messages = " ".join(str(c.get("message", "")) for c in status.get("conditions") or [])
                    if (status.get("sync") or {}).get(
                        "status"
                    ) != "Unknown" or "cannot reach" not in messages:
                        return False
                return True

            await eventually(flaky_unknown, "the hanging spoke's applications show Unknown and why")
            await eventually(lambda: flaky_connected(0.0), "argocd_cluster_connection_status is 0 for it")
            noticed = loop.time() - hung_at
            for name in HEALTHY:
                assert connection(name) == 1.0

            await _change(repo, hub, HEALTHY_APPS, "green")
            await eventually(lambda: colored(HEALTHY_APPS, "green"), "the healthy spokes keep syncing", 90)
            await eventually(lambda: synced(HEALTHY_APPS), "the healthy applications are Synced")
            assert connection(FLAKY) == 0.0
            assert await flaky_unknown()

            await set_faults(fleet, FLAKY, None)
            cleared_at = loop.time()
            await eventually(lambda: flaky_connected(1.0), "the spoke is connected again")
            print(
                f"\nhanging spoke (request timeout 1 s): Unknown and status 0 after {noticed:.2f}s, "
                f"status 1 again {loop.time() - cleared_at:.2f}s after the fault was cleared"
            )
            await _change(repo, hub, list(APPS), "yellow")
            await eventually(lambda: colored(list(APPS), "yellow"), "every spoke syncs again", 90)
            await eventually(lambda: synced(list(APPS)), "every application Synced and Healthy again")
        finally:
            await set_faults(fleet, FLAKY, None)
            await hub_runtime.stop()
            for client in spokes.values():
                await client.close()


def _connection_status(hub_runtime: Hub, server: str) -> float | None:
    for line in hub_runtime.metrics.render().decode().splitlines():
        if line.startswith("argocd_cluster_connection_status{") and f'server="{server}"' in line:
            return float(line.rsplit(" ", 1)[1])
    return None


async def _status(hub: HttpKubeClient, app: str) -> dict[str, Any]:
    found = await hub.get(APPLICATION, app, "fleetops")
    return dict(found.get("status") or {})


async def _change(repo: BareRepo, hub: HttpKubeClient, apps: list[str], color: str) -> None:
    repo.commit({"probe/cm.yaml": PROBE_CM.format(color=color)}, color)
    refresh = {"metadata": {"annotations": {"argocd.argoproj.io/refresh": "normal"}}}
    for app in apps:
        await hub.patch(APPLICATION, app, refresh, "fleetops")
