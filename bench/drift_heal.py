"""Self-heal latency: the whole hub (`fleetops.server.Hub`, as `fleetops controller` runs it) in
this process's event loop, kubesim (a `hub` and a `spoke`, with simulated workloads) on a
background thread, and a Git repository on disk reached through URL rewriting (file://), with
polling off. One Application (a Deployment of 3 replicas, `automated: {selfHeal: true}`) on the
spoke; once it is Synced and Healthy, `kubectl scale` (the pinned `.venv/bin/kubectl`) changes the
replica count ROUNDS times and for each round we measure, from kubectl's write as kubesim's write
log stamps it:

- detected: the controller queues the application because of the watch event on the Deployment
  (`MODIFIED apps/Deployment/...` in its trigger log; the enqueue is timestamped in-process);
- healed: kubesim's write log records the `fleetops` manager's apply of the Deployment after
  kubectl's write (the replica count back to Git's).

Argo CD's self-heal backoff (2 s, factor 3, cap 300 s) delays every self-heal after the first of
one revision (fleetops keeps `selfHealAttemptsCount` across heals, so the k-th heal waits
2*3^(k-2) s); round 1 runs with that default, later rounds with the backoff set to zero so they
measure the detection and heal path, not the deliberate wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import aiohttp
import pygit2

from fleetops.adapters.kube import ClusterConfig, HttpKubeClient
from fleetops.core.sync.auto_sync import SelfHealBackoff
from fleetops.embedded.bootstrap import default_project
from fleetops.embedded.cluster_secrets import cluster_secret
from fleetops.kubesim.background import BackgroundFleet
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.kubeconfig import write_kubeconfig
from fleetops.kubesim.workloads.extension import workload_extensions
from fleetops.kubesim.workloads.settings import WorkloadSettings
from fleetops.model import GroupKind
from fleetops.ports.kube import AlreadyExists
from fleetops.server.hub import Hub
from fleetops.server.wiring import HubConfig

ROUNDS = 20
DESIRED = 3
NAMESPACE = "fleetops"
REPO_URL = "https://github.com/org/gitops-config"
KUBECTL = Path(sys.executable).parent / "kubectl"
ROUND_DEADLINE = 30.0
SETUP_DEADLINE = 120.0


# -- shared set-up (bench.monorepo uses these too) ---------------------------------------------


class LocalRepo:
    """A bare repository on disk, written with pygit2 (served over file://)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.repo = pygit2.init_repository(str(path), bare=True, initial_head="main")
        self._tick = 0

    @property
    def url(self) -> str:
        return self.path.as_uri()

    def commit(self, files: Mapping[str, str], message: str) -> str:
        index = pygit2.Index()
        parents: list[pygit2.Oid] = []
        head = self.repo.references.get("refs/heads/main")
        if head is not None:
            parent = self.repo[head.target]
            assert isinstance(parent, pygit2.Commit)
            index.read_tree(parent.tree)
            parents.append(parent.id)
        for path, content in files.items():
            index.add(
                pygit2.IndexEntry(path, self.repo.create_blob(content.encode()), pygit2.enums.FileMode.BLOB)
            )
        tree = index.write_tree(self.repo)
        self._tick += 1
        who = pygit2.Signature("bench", "bench@example.com", 1_700_000_000 + self._tick, 0)
        return str(self.repo.create_commit("refs/heads/main", who, who, message, tree, parents))


def sim_config(fleet: Fleet, name: str) -> ClusterConfig:
    sim = fleet[name]
    return ClusterConfig(server=sim.url, name=name, ca_pem=sim.ca_pem, token=sim.token)


def quiet_fleet(names: list[str]) -> BackgroundFleet:
    """kubesim with workloads, no Events and fast pod start-up."""
    settings = WorkloadSettings(events=False, pod_startup_seconds=0.05)
    return BackgroundFleet(names, watch_history=20000, extensions=workload_extensions(lambda _: settings))


async def start_hub(
    fleet: Fleet, root: Path, repo: LocalRepo, *, webhook_secret: str = "bench", workers: int = 8
) -> Hub:
    config = HubConfig(
        cluster=sim_config(fleet, "hub"),
        namespace=NAMESPACE,
        git_cache_dir=root / "git-cache",
        url_rewrites={REPO_URL: repo.url},
        webhook_secrets=(webhook_secret,),
        port=0,
        poll_interval=None,
        workers=workers,
    )
    hub = Hub(config)
    await hub.start()
    async with HttpKubeClient(sim_config(fleet, "hub")) as client:
        with contextlib.suppress(AlreadyExists):  # the hub may have created it
            await client.create(default_project(NAMESPACE))
    return hub


def application(name: str, *, server: str, namespace: str, path: str) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": name, "namespace": NAMESPACE},
        "spec": {
            "project": "default",
            "source": {"repoURL": REPO_URL, "targetRevision": "main", "path": path},
            "destination": {"server": server, "namespace": namespace},
            "syncPolicy": {
                "automated": {"prune": True, "selfHeal": True},
                "syncOptions": ["CreateNamespace=true"],
            },
        },
    }


def deployment(name: str, namespace: str, replicas: int) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {namespace}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
        - name: app
          image: nginx:1.25
"""


def app_statuses(hub: Hub) -> list[dict[str, Any]]:
    assert hub.controller is not None
    return [
        dict(app.get("status") or {})
        for app in hub.controller.hub_cache.objects(GroupKind("argoproj.io", "Application"))
    ]


def synced_healthy(status: Mapping[str, Any]) -> tuple[bool, bool]:
    return (
        (status.get("sync") or {}).get("status") == "Synced",
        (status.get("health") or {}).get("status") == "Healthy",
    )


async def wait_for(check: Callable[[], Awaitable[bool] | bool], deadline: float, step: float = 0.05) -> bool:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        result = check()
        if not isinstance(result, bool):
            result = await result
        if result:
            return True
        await asyncio.sleep(step)
    return False


async def writes(fleet: Fleet, cluster: str, since: int = 0) -> tuple[int, list[dict[str, Any]]]:
    url = f"{fleet.control.url}/clusters/{cluster}/writes?since={since}"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        body = await response.json()
        return int(body["total"]), list(body["writes"])


def wall(stamp: str) -> float:
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def summary(what: str, values: list[float], goal: float) -> str:
    if not values:
        return f"{what}: no samples"
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    median = statistics.median(ordered)
    verdict = "meets" if median <= goal else "misses"
    return (
        f"{what}: median {median * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms "
        f"over {len(values)} rounds (goal: median <= {goal:g} s; {verdict} it)"
    )


# -- the benchmark ---------------------------------------------------------------------------


async def _kubectl(kubeconfig: Path, home: Path, *args: str) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "KUBECONFIG": str(kubeconfig)}
    process = await asyncio.create_subprocess_exec(
        str(KUBECTL), *args, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(process.communicate(), 60)
    if process.returncode != 0:
        raise RuntimeError(f"kubectl {' '.join(args)}: {err.decode()}")


async def _run(fleet: Fleet, root: Path) -> None:
    repo = LocalRepo(root / "gitops-config.git")
    repo.commit({"apps/web/deployment.yaml": deployment("web", "web", DESIRED)}, "web")
    kubeconfig = root / "kubeconfig"
    write_kubeconfig(kubeconfig, [fleet["hub"], fleet["spoke"]], current="spoke")
    hub = await start_hub(fleet, root, repo)
    try:
        controller = hub.controller
        assert controller is not None
        detections: list[tuple[float, str]] = []
        original = controller.enqueue

        def enqueue(key: tuple[str, str], reason: str, *, refresh: bool = False) -> None:
            detections.append((time.time(), reason))
            original(key, reason, refresh=refresh)

        controller.enqueue = enqueue  # type: ignore[method-assign]
        spoke = fleet["spoke"]
        async with HttpKubeClient(sim_config(fleet, "hub")) as client:
            await client.apply(
                cluster_secret(
                    name="spoke",
                    server=spoke.url,
                    namespace=NAMESPACE,
                    token=spoke.token,
                    ca_pem=spoke.ca_pem,
                ),
                field_manager="bench",
            )
            await client.create(application("web", server=spoke.url, namespace="web", path="apps/web"))
        started = time.monotonic()
        ready = await wait_for(lambda: any(all(synced_healthy(s)) for s in app_statuses(hub)), SETUP_DEADLINE)
        if not ready:
            print(
                f"the application did not turn Synced/Healthy within {SETUP_DEADLINE:g}s: {app_statuses(hub)}"
            )
            return
        print(f"initial sync: Synced and Healthy after {time.monotonic() - started:.2f} s")

        detected: list[float] = []
        healed: list[float] = []
        kubectl_times: list[float] = []
        misses = 0
        for round_ in range(ROUNDS):
            if round_ == 1:  # see the module docstring: later rounds measure without the backoff
                controller.env.self_heal_backoff = SelfHealBackoff(duration=0.0, factor=1.0, cap=0.0)
            await asyncio.sleep(0.5)  # let the previous heal's operation settle
            since, _ = await writes(fleet, "spoke")
            replicas = [1, 2, 4, 5][round_ % 4]
            mark = len(detections)
            began = time.perf_counter()
            await _kubectl(
                kubeconfig, root, "--context", "spoke", "scale", "deployment/web", "-n", "web",
                f"--replicas={replicas}",
            )  # fmt: skip
            kubectl_times.append(time.perf_counter() - began)
            scaled_at: float | None = None
            healed_at: float | None = None
            end = time.monotonic() + ROUND_DEADLINE
            while time.monotonic() < end and healed_at is None:
                _, records = await writes(fleet, "spoke", since)
                for record in records:
                    if record["name"] != "web" or not record["resource"].startswith("deployments"):
                        continue
                    if record["field_manager"].startswith("kubectl") and scaled_at is None:
                        scaled_at = wall(record["time"])
                    elif (
                        scaled_at is not None
                        and record["field_manager"] == "fleetops"
                        and record["verb"] == "apply"
                        and "/status" not in record["resource"]
                    ):
                        healed_at = wall(record["time"])
                        break
                await asyncio.sleep(0.02)
            if scaled_at is None or healed_at is None:
                misses += 1
                print(f"round {round_ + 1}: not healed within {ROUND_DEADLINE:g}s")
                continue
            seen = [
                t
                for t, reason in detections[mark:]
                if "MODIFIED apps/Deployment/web/web" in reason and t >= scaled_at
            ]
            if seen:
                detected.append(seen[0] - scaled_at)
            healed.append(healed_at - scaled_at)
            if round_ == 0:
                print(f"round 1 (Argo's default self-heal backoff, first heal): detected "
                      f"{(seen[0] - scaled_at) * 1000 if seen else float('nan'):.0f} ms, "
                      f"healed {(healed_at - scaled_at) * 1000:.0f} ms")  # fmt: skip
        print(
            f"kubectl scale (process start to exit): median {statistics.median(kubectl_times) * 1000:.0f} ms"
        )
        print(summary("kubectl write -> drift detected (watch event queues the app)", detected, 1.0))
        print(summary("kubectl write -> healed (fleetops apply in kubesim's write log)", healed, 2.0))
        if misses:
            print(f"{misses} of {ROUNDS} rounds were not healed within {ROUND_DEADLINE:g}s")
    finally:
        await hub.stop()


def main() -> None:
    with (
        tempfile.TemporaryDirectory(prefix="fleetops-bench-drift-") as tmp,
        quiet_fleet(["hub", "spoke"]) as fleet,
    ):
        asyncio.run(asyncio.wait_for(_run(fleet, Path(tmp)), 600))


if __name__ == "__main__":
    main()
