"""kubesim over HTTP: server-side applies per second, and watch fan-out latency (one write, ten
watchers). No reference API server can run here, so the figures are absolute (for the record)."""

from __future__ import annotations

import asyncio
import json
import statistics
import time

import aiohttp

from fleetops.kubesim.cluster import SimCluster

APPLIES = 400
WATCHERS = 10
WRITES = 50


def _config_map(index: int, value: int) -> bytes:
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": f"cm-{index % 50}"},
            "data": {"value": str(value), "other": "x" * 64},
        }
    ).encode()


async def _applies(session: aiohttp.ClientSession, cluster: SimCluster) -> float:
    url = f"{cluster.url}/api/v1/namespaces/default/configmaps/cm-{{}}?fieldManager=bench&force=true"
    headers = {"Authorization": f"Bearer {cluster.token}", "Content-Type": "application/apply-patch+yaml"}
    started = time.perf_counter()
    for index in range(APPLIES):
        async with session.patch(
            url.format(index % 50), data=_config_map(index, index), headers=headers
        ) as reply:
            assert reply.status in (200, 201), await reply.text()
    return APPLIES / (time.perf_counter() - started)


async def _watch(
    session: aiohttp.ClientSession,
    cluster: SimCluster,
    ready: asyncio.Event,
    seen: dict[str, float],
    expected: int,
) -> None:
    headers = {"Authorization": f"Bearer {cluster.token}"}
    revision = cluster.state.store.revision if cluster.state else 0
    url = f"{cluster.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={revision}"
    async with session.get(url, headers=headers, timeout=aiohttp.ClientTimeout(total=None)) as reply:
        ready.set()
        count = 0
        async for line in reply.content:
            event = json.loads(line)
            name = event["object"]["metadata"]["name"]
            seen[name] = time.perf_counter()
            count += 1
            if count == expected:
                return


async def _fan_out(session: aiohttp.ClientSession, cluster: SimCluster) -> list[float]:
    headers = {"Authorization": f"Bearer {cluster.token}", "Content-Type": "application/json"}
    latencies: list[float] = []
    seen: list[dict[str, float]] = [{} for _ in range(WATCHERS)]
    readies = [asyncio.Event() for _ in range(WATCHERS)]
    tasks = [
        asyncio.create_task(_watch(session, cluster, readies[i], seen[i], WRITES)) for i in range(WATCHERS)
    ]
    await asyncio.gather(*(ready.wait() for ready in readies))
    for index in range(WRITES):
        name = f"fan-{index}"
        body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}).encode()
        started = time.perf_counter()
        async with session.post(
            f"{cluster.url}/api/v1/namespaces/default/configmaps", data=body, headers=headers
        ) as reply:
            assert reply.status == 201
        while not all(name in s for s in seen):
            await asyncio.sleep(0)
        latencies.append(max(s[name] for s in seen) - started)
    await asyncio.gather(*tasks)
    return latencies


async def _run() -> None:
    cluster = SimCluster("bench", tls=False)
    await cluster.start()
    try:
        async with aiohttp.ClientSession() as session:
            rate = await _applies(session, cluster)
            print(f"server-side applies over HTTP: {rate:,.0f}/s ({APPLIES} applies of 50 ConfigMaps)")
            latencies = await _fan_out(session, cluster)
            print(
                f"watch fan-out, write → event at all {WATCHERS} watchers: median "
                f"{statistics.median(latencies) * 1000:.2f} ms, max {max(latencies) * 1000:.2f} ms "
                f"({WRITES} writes, including the POST)"
            )
    finally:
        await cluster.stop()


def main() -> None:
    asyncio.run(_run())


if __name__ == "__main__":
    main()
