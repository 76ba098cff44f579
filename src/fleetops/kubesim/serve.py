"""The foreground loop of `fleetops sim up` (and `make up`): start the fleet, wait until every
cluster answers, write the kubeconfig, then serve until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import ssl
from collections.abc import Callable
from pathlib import Path

import aiohttp

from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.kubeconfig import write_kubeconfig
from fleetops.kubesim.workloads.extension import workload_extensions


async def _answers(url: str, ca_pem: bytes) -> bool:
    context: ssl.SSLContext | bool = False
    if ca_pem:
        context = ssl.create_default_context(cadata=ca_pem.decode())
    try:
        async with aiohttp.ClientSession() as session, session.get(f"{url}/readyz", ssl=context) as response:
            return response.status == 200
    except aiohttp.ClientError:
        return False


async def serve(
    names: list[str],
    *,
    data_dir: Path | None,
    kubeconfig: Path,
    tls: bool,
    control_port: int,
    echo: Callable[[str], None],
) -> None:
    fleet = Fleet(
        names, data_dir=data_dir, tls=tls, control_port=control_port, extensions=workload_extensions()
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await fleet.start()
    try:
        for cluster in fleet.clusters.values():
            while not await _answers(cluster.url, cluster.ca_pem):
                await asyncio.sleep(0.05)
        write_kubeconfig(kubeconfig, list(fleet.clusters.values()))
        for cluster in fleet.clusters.values():
            echo(f"cluster {cluster.name}: {cluster.url}")
        echo(f"kubeconfig: {kubeconfig}")
        echo(f"control endpoint: {fleet.control.url}")
        echo("serving until SIGINT/SIGTERM")
        await stop.wait()
    finally:
        echo("stopping")
        await fleet.stop()
