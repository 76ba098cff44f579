"""One unreachable cluster does not hold up the others: the hub in-process against kubesim (four
healthy spokes and one whose API hangs — kubesim's `unreachable: hang` fault), with per-cluster
work lanes and a short request timeout. A change reaches the healthy spokes about as fast as
before the failure (measured and printed; asserted only against a generous bound — the precise
figure is `python -m bench isolation`); the dead cluster's applications show sync and health
Unknown with the connection error, and `argocd_cluster_connection_status` is 0 for it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

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

HEALTHY = ["ok-0", "ok-1", "ok-2", "ok-3"]
DEAD = "dead"


@pytest.fixture
def isolation_fleet() -> Iterator[Fleet]:
    with BackgroundFleet(["hub", *HEALTHY, DEAD], extensions=workload_extensions()) as running:
        yield running


async def test_an_unreachable_cluster_does_not_delay_the_others(
    isolation_fleet: Fleet, git_server: GitServer, tmp_path: Path
) -> None:
    fleet = isolation_fleet
    repo, config = probe_hub(git_server, fleet, tmp_path, request_timeout=2.0)
    spokes = {name: HttpKubeClient(cluster_config(fleet, name)) for name in HEALTHY}
    hub_runtime = Hub(config)
    async with HttpKubeClient(cluster_config(fleet, "hub")) as hub:
        try:
            await set_faults(fleet, DEAD, {"unreachable": "hang"})
            await hub_runtime.start()
            await register_clusters(hub, fleet, [*HEALTHY, DEAD])
            healthy_apps = [f"{name}-{part}" for name in HEALTHY for part in ("a", "b")]
            for app in healthy_apps:
                cluster = app.rsplit("-", 1)[0]
                namespace = f"probe-{app.rsplit('-', 1)[1]}"
                await hub.create(
                    application(
                        app, server=fleet[cluster].url, namespace=namespace, path="probe", automated={}
                    )
                )

            async def colored(color: str) -> bool:
                found = await asyncio.gather(
                    *(
                        probe_color(spokes[app.rsplit("-", 1)[0]], f"probe-{app.rsplit('-', 1)[1]}")
                        for app in healthy_apps
                    )
                )
                return all(value == color for value in found)

            await eventually(lambda: colored("blue"), "the healthy spokes synced")
            baseline = await _timed_change(repo, hub, healthy_apps, "green", lambda: colored("green"))

            dead_apps = [f"{DEAD}-{index}" for index in range(4)]  # more than its lane's workers
            for app in dead_apps:
                await hub.create(
                    application(
                        app, server=fleet[DEAD].url, namespace=f"probe-{app}", path="probe", automated={}
                    )
                )
            await asyncio.sleep(0)  # the dead cluster's lane is busy from here on
            degraded = await _timed_change(
                repo, hub, [*healthy_apps, *dead_apps], "yellow", lambda: colored("yellow")
            )
            print(
                f"\nsync of a change on 4 healthy spokes: {baseline:.2f}s before, "
                f"{degraded:.2f}s with one cluster hanging"
            )
            assert degraded < 10 * baseline + 20

            async def dead_app_unknown() -> bool:
                status = (await hub.get(APPLICATION, dead_apps[0], "fleetops")).get("status") or {}
                messages = " ".join(str(c.get("message", "")) for c in status.get("conditions") or [])
                return (
                    (status.get("sync") or {}).get("status") == "Unknown"
                    and (status.get("health") or {}).get("status") == "Unknown"
                    and "cannot reach" in messages
                )

            await eventually(dead_app_unknown, "the dead cluster's application shows Unknown and why")
            metrics = hub_runtime.metrics.render().decode()
            status_line = next(
                line
                for line in metrics.splitlines()
                if line.startswith("argocd_cluster_connection_status") and fleet[DEAD].url in line
            )
            assert status_line.endswith(" 0.0")
        finally:
            await set_faults(fleet, DEAD, None)
            await hub_runtime.stop()
            for client in spokes.values():
                await client.close()


async def _timed_change(
    repo: BareRepo, hub: HttpKubeClient, apps: list[str], color: str, landed: Callable[[], Awaitable[bool]]
) -> float:
    """Commit `color`, ask `apps` to refresh, and time until `landed()` holds."""
    loop = asyncio.get_running_loop()
    repo.commit({"probe/cm.yaml": PROBE_CM.format(color=color)}, color)
    started = loop.time()
    refresh = {"metadata": {"annotations": {"argocd.argoproj.io/refresh": "normal"}}}
    for app in apps:
        await hub.patch(APPLICATION, app, refresh, "fleetops")
    await eventually(landed, f"{color} on the healthy spokes", 90)
    return loop.time() - started
