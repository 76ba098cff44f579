"""Isolation of a hanging cluster: the hub in-process (polling off, 8 workers, spoke request
timeout 5 s) against kubesim — HEALTHY spokes with 2 applications each (a ConfigMap) and one
spoke whose API never answers (`unreachable: hang`) with 8 applications. We time a change (commit,
then every application asked to refresh) until it is on every healthy spoke:

1. baseline: the dead spoke has no applications yet;
2. per-cluster lanes (the default: at most a quarter of the workers per cluster);
3. for contrast, the same with `cluster_workers = workers` (one cluster may take every worker,
   as with a single shared queue).

Each figure is the median of ROUNDS changes.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.drift_heal import REPO_URL, LocalRepo, application, sim_config
from fleetops.adapters.kube import HttpKubeClient
from fleetops.embedded.cluster_secrets import cluster_secret
from fleetops.kubesim.background import BackgroundFleet
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.workloads.extension import workload_extensions
from fleetops.model import GroupVersionKind
from fleetops.ports.kube import NotFound
from fleetops.server.hub import Hub
from fleetops.server.wiring import HubConfig

HEALTHY = [f"ok-{index}" for index in range(10)]
DEAD = "dead"
DEAD_APPS = 8
ROUNDS = 3
WORKERS = 8
TIMEOUT = 5.0
APPLICATION = GroupVersionKind("argoproj.io", "v1alpha1", "Application")
CONFIGMAP = GroupVersionKind("", "v1", "ConfigMap")
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: probe\ndata:\n  color: {color}\n"
DEADLINE = 180.0


async def _wait(check: Callable[[], Awaitable[bool]], what: str) -> None:
    end = time.monotonic() + DEADLINE
    while not await check():
        if time.monotonic() > end:
            raise TimeoutError(what)
        await asyncio.sleep(0.02)


def _faults(fleet: Fleet, cluster: str, body: dict[str, str] | None) -> None:
    url = f"{fleet.control.url}/clusters/{cluster}/faults"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="DELETE" if body is None else "PATCH")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


async def _scenario(fleet: Fleet, root: Path, *, cluster_workers: int | None) -> tuple[float, float]:
    repo = LocalRepo(root / "repo.git")
    repo.commit(
        {"probe/kustomization.yaml": "resources:\n- cm.yaml\n", "probe/cm.yaml": CM.format(color="c0")}, "c0"
    )
    config = HubConfig(
        cluster=sim_config(fleet, "hub"),
        git_cache_dir=root / "git-cache",
        url_rewrites={REPO_URL: repo.url},
        port=0,
        poll_interval=None,
        workers=WORKERS,
        cluster_workers=cluster_workers,
        cluster_request_timeout=TIMEOUT,
    )
    spokes = {name: HttpKubeClient(sim_config(fleet, name)) for name in HEALTHY}
    hub_runtime = Hub(config)
    healthy_apps = [(f"{name}-{part}", name, f"probe-{part}") for name in HEALTHY for part in ("a", "b")]
    dead_apps = [(f"{DEAD}-{index}", DEAD, f"probe-{index}") for index in range(DEAD_APPS)]
    counter = 0

    async def colored(color: str) -> bool:
        found = await asyncio.gather(*(_color(spokes[c], ns) for _, c, ns in healthy_apps))
        return all(value == color for value in found)

    async def change(apps: list[tuple[str, str, str]]) -> float:
        nonlocal counter
        counter += 1
        color = f"c{counter}"
        repo.commit({"probe/cm.yaml": CM.format(color=color)}, color)
        started = time.monotonic()
        refresh = {"metadata": {"annotations": {"argocd.argoproj.io/refresh": "normal"}}}
        for name, _, _ in apps:
            await hub.patch(APPLICATION, name, refresh, "fleetops")
        await _wait(lambda: colored(color), f"{color} on the healthy spokes")
        return time.monotonic() - started

    async with HttpKubeClient(sim_config(fleet, "hub")) as hub:
        try:
            _faults(fleet, DEAD, {"unreachable": "hang"})
            await hub_runtime.start()
            for name in [*HEALTHY, DEAD]:
                sim = fleet[name]
                await hub.create(
                    cluster_secret(
                        name=name, server=sim.url, namespace="fleetops", token=sim.token, ca_pem=sim.ca_pem
                    )
                )
            for name, cluster, namespace in healthy_apps:
                app = application(name, server=fleet[cluster].url, namespace=namespace, path="probe")
                await hub.create(app)
            await _wait(lambda: colored("c0"), "first sync")
            baseline = statistics.median([await change(healthy_apps) for _ in range(ROUNDS)])
            for name, cluster, namespace in dead_apps:
                app = application(name, server=fleet[cluster].url, namespace=namespace, path="probe")
                await hub.create(app)
            degraded = statistics.median([await change(healthy_apps + dead_apps) for _ in range(ROUNDS)])
            return baseline, degraded
        finally:
            _faults(fleet, DEAD, None)
            await hub_runtime.stop()
            for client in spokes.values():
                await client.close()


def _fleet() -> BackgroundFleet:
    """kubesim with per-cluster fault knobs (`drift_heal.quiet_fleet` shares one settings object)."""
    return BackgroundFleet(["hub", *HEALTHY, DEAD], watch_history=20000, extensions=workload_extensions())


async def _color(client: HttpKubeClient, namespace: str) -> str:
    try:
        found = await client.get(CONFIGMAP, "probe", namespace)
    except NotFound:
        return ""
    return str((found.get("data") or {}).get("color", ""))


def main() -> None:
    for label, cluster_workers in (("per-cluster lanes (default)", None), ("no per-cluster limit", WORKERS)):
        with (
            tempfile.TemporaryDirectory(prefix="bench-isolation-") as tmp,
            _fleet() as fleet,
        ):
            baseline, degraded = asyncio.run(_scenario(fleet, Path(tmp), cluster_workers=cluster_workers))
        print(
            f"{label}: change on {len(HEALTHY)} healthy spokes ({2 * len(HEALTHY)} apps): "
            f"{baseline:.2f}s baseline, {degraded:.2f}s with one hanging cluster ({DEAD_APPS} apps, "
            f"request timeout {TIMEOUT:g}s) — {degraded / baseline:.1f}x",
            flush=True,
        )


if __name__ == "__main__":
    main()
