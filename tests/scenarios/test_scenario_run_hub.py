"""`run_hub` (what `fleetops controller` runs): installs the CRDs, becomes ready, refreshes by
polling when polling is on (no webhook involved), and stops cleanly when cancelled."""

from __future__ import annotations

import asyncio
from pathlib import Path

from scenario_support import CONFIGMAP, SEED_URL, application, cluster_config, eventually
from tests.support.gitserver import GitServer

from fleetops.adapters.kube import HttpKubeClient
from fleetops.kubesim.fleet import Fleet
from fleetops.ports.kube import NotFound
from fleetops.server.wiring import HubConfig, run_hub

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: polled\ndata:\n  color: {color}\n"


async def test_run_hub_polls_and_stops_when_cancelled(
    fleet: Fleet, git_server: GitServer, tmp_path: Path
) -> None:
    repo = git_server.create_repo("gitops-config")
    repo.commit(
        {"polled/kustomization.yaml": "resources:\n- cm.yaml\n", "polled/cm.yaml": CM.format(color="blue")}
    )
    config = HubConfig(
        cluster=cluster_config(fleet, "hub"),
        git_cache_dir=tmp_path / "git-cache",
        url_rewrites={SEED_URL: git_server.url_for("gitops-config")},
        port=0,
        poll_interval=0.2,
        poll_jitter=0.0,
    )
    ready = asyncio.Event()
    hub_task = asyncio.ensure_future(run_hub(config, ready=ready))
    async with HttpKubeClient(cluster_config(fleet, "hub")) as hub:
        try:
            await asyncio.wait_for(ready.wait(), 60)
            app = application(
                "polled",
                server="https://kubernetes.default.svc",
                namespace="polled",
                path="polled",
                automated={"prune": True},
            )
            await hub.create(app)

            async def color(value: str) -> bool:
                try:
                    found = await hub.get(CONFIGMAP, "polled", "polled")
                except NotFound:
                    return False
                return bool(found["data"]["color"] == value)

            await eventually(lambda: color("blue"), "the first sync")
            repo.commit({"polled/cm.yaml": CM.format(color="green")}, "green")
            await eventually(lambda: color("green"), "polling picks up the new commit without a webhook")
        finally:
            hub_task.cancel()
            done, _ = await asyncio.wait([hub_task], timeout=30)
            assert done, "run_hub stops when cancelled"
    assert hub_task.cancelled()
