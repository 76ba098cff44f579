"""kubesim at fleet scale: memory per 10,000 stored objects, and start-up time and memory of 100
clusters with 100 Deployments each in one process. Each figure is measured in a fresh child
process so resident memory is not shared between measurements."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from typing import Any

OBJECTS = 10_000
CLUSTERS = 100
DEPLOYMENTS = 100


def _rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * 4096 / (1024 * 1024)


def _deployment(index: int) -> dict[str, Any]:
    labels = {"app": f"app-{index}"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": f"app-{index}", "labels": labels},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {
                            "name": "app",
                            "image": f"registry.example/app:{index}",
                            "ports": [{"containerPort": 8080}],
                        }
                    ]
                },
            },
        },
    }


async def _objects() -> dict[str, float]:
    from fleetops.kubesim.cluster import SimCluster  # noqa: PLC0415
    from fleetops.kubesim.keys import GroupResource  # noqa: PLC0415
    from fleetops.kubesim.rest.caller import Caller, WriteOptions  # noqa: PLC0415
    from fleetops.kubesim.rest.writes import Writer  # noqa: PLC0415

    cluster = SimCluster("objects", tls=False)
    await cluster.start()
    assert cluster.state is not None
    before = _rss_mib()
    writer = Writer(cluster.state)
    info = cluster.state.info_for(GroupResource("", "configmaps"))
    assert info is not None
    caller, options = Caller("bench", "bench/1.0"), WriteOptions(field_manager="bench")
    started = time.perf_counter()
    for index in range(OBJECTS):
        body = {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": f"cm-{index}", "labels": {"i": "x"}},
            "data": {"key": f"value-{index}", "other": "y" * 100},
        }
        writer.create(info, "default", body, options, caller)
    elapsed = time.perf_counter() - started
    await asyncio.sleep(0.2)
    after = _rss_mib()
    await cluster.stop()
    return {"rss_per_10k": (after - before) * 10_000 / OBJECTS, "creates_per_s": OBJECTS / elapsed}


async def _fleet() -> dict[str, float]:
    from fleetops.kubesim.fleet import Fleet  # noqa: PLC0415
    from fleetops.kubesim.keys import GroupResource  # noqa: PLC0415
    from fleetops.kubesim.rest.caller import Caller, WriteOptions  # noqa: PLC0415
    from fleetops.kubesim.rest.writes import Writer  # noqa: PLC0415

    base = _rss_mib()
    started = time.perf_counter()
    fleet = Fleet([f"c{i:03d}" for i in range(CLUSTERS)])
    await fleet.start()
    up = time.perf_counter() - started
    caller, options = Caller("bench", "bench/1.0"), WriteOptions(field_manager="bench")
    for cluster in fleet.clusters.values():
        assert cluster.state is not None
        writer = Writer(cluster.state)
        info = cluster.state.info_for(GroupResource("apps", "deployments"))
        assert info is not None
        for index in range(DEPLOYMENTS):
            writer.create(info, "default", _deployment(index), options, caller)
    loaded = time.perf_counter() - started
    await asyncio.sleep(0.5)
    rss = _rss_mib()
    await fleet.stop()
    return {"startup_s": up, "loaded_s": loaded, "rss_mib": rss, "base_mib": base}


def _child(what: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.kubesim_scale", what], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    objects = _child("objects")
    print(
        f"memory per 10,000 stored ConfigMaps: {objects['rss_per_10k']:.1f} MiB "
        f"(created through the REST layer at {objects['creates_per_s']:,.0f}/s)"
    )
    fleet = _child("fleet")
    print(
        f"{CLUSTERS} clusters start in {fleet['startup_s']:.2f} s; with {DEPLOYMENTS} Deployments each "
        f"({CLUSTERS * DEPLOYMENTS:,} objects) after {fleet['loaded_s']:.2f} s; process RSS "
        f"{fleet['rss_mib']:.0f} MiB (interpreter and schema: {fleet['base_mib']:.0f} MiB)"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1:
        runner = {"objects": _objects, "fleet": _fleet}[sys.argv[1]]
        print(json.dumps(asyncio.run(runner())))
    else:
        main()
