"""The kube adapter's watch cache against kubesim: time to list and index N ConfigMaps, compared
with `kubectl get configmaps -A -o json` in the same run (a ratio), and the latency from a write
to the cache's change event (the drift signal), as a median over repeated writes."""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fleetops.adapters.kube import ClusterConfig, HttpKubeClient, WatchCache
from fleetops.kubesim.cluster import SimCluster
from fleetops.kubesim.kubeconfig import write_kubeconfig
from fleetops.model import GroupKind, GroupVersionKind, ResourceKey

OBJECTS = 2000
WRITES = 30
KUBECTL = Path(sys.executable).parent / "kubectl"
_CONFIGMAP = GroupVersionKind("", "v1", "ConfigMap")


async def _kubectl_list_seconds(cluster: SimCluster, home: Path) -> float:
    config = home / "kubeconfig"
    write_kubeconfig(config, [cluster])
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "KUBECONFIG": str(config)}
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            str(KUBECTL), "get", "configmaps", "-A", "-o", "json",
            env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        await process.wait()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


async def _run() -> None:
    async with SimCluster("bench") as cluster:
        config = ClusterConfig(server=cluster.url, ca_pem=cluster.ca_pem, token=cluster.token, qps=0)
        async with HttpKubeClient(config) as writer:
            for index in range(OBJECTS):
                body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"cm-{index}"}}
                await writer.create({**body, "data": {"value": "x" * 200}})
            sync_times = []
            for _ in range(3):
                async with HttpKubeClient(config) as reader:
                    started = time.perf_counter()
                    async with WatchCache(reader) as cache:
                        await cache.ensure_watched(GroupKind("", "ConfigMap"))
                        sync_times.append(time.perf_counter() - started)
            ours = statistics.median(sync_times)
            with tempfile.TemporaryDirectory() as home:
                theirs = await _kubectl_list_seconds(cluster, Path(home))
            print(f"list + index {OBJECTS} ConfigMaps: {ours * 1000:.0f} ms; kubectl get -A -o json: "
                  f"{theirs * 1000:.0f} ms; ratio {ours / theirs:.2f}")  # fmt: skip

            async with HttpKubeClient(config) as reader, WatchCache(reader) as cache:
                await cache.ensure_watched(GroupKind("", "ConfigMap"))
                latencies = []
                for value in range(WRITES):
                    arrived = asyncio.Event()
                    key = ResourceKey("", "ConfigMap", "default", "cm-0")
                    remove = cache.add_handler(
                        lambda event, k=key, a=arrived: a.set() if event.key == k else None
                    )
                    started = time.perf_counter()
                    await writer.patch(_CONFIGMAP, "cm-0", {"data": {"value": str(value)}}, "default")
                    await asyncio.wait_for(arrived.wait(), 30)
                    latencies.append(time.perf_counter() - started)
                    remove()
                print(f"write -> cache event: median {statistics.median(latencies) * 1000:.1f} ms, "
                      f"max {max(latencies) * 1000:.1f} ms over {WRITES} writes")  # fmt: skip


def main() -> None:
    asyncio.run(_run())


if __name__ == "__main__":
    main()
