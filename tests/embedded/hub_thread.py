"""A hub for CLI tests: kubesim (a `hub` and a `spoke`, with simulated workloads), the spoke
registered as an Argo CD cluster Secret, and the real hub runtime (`run_hub`) on a background
thread with its own event loop — so tests drive the CLI (which runs its own `asyncio.run`) from
ordinary synchronous code.

    with HubThread(tmp, rewrites={SEED: git_url}) as stack:
        stack.kubeconfig   # contexts hub (namespace fleetops, current) and spoke
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fleetops.adapters.kube import HttpKubeClient
from fleetops.embedded.autoscaler import run_autoscaler
from fleetops.embedded.bootstrap import SETTINGS_CONFIG_MAP, default_project
from fleetops.embedded.cluster_secrets import cluster_secret
from fleetops.embedded.kubeconfig import write_kubeconfig
from fleetops.embedded.runner import hub_config
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.workloads.extension import workload_extensions
from fleetops.ports.kube import AlreadyExists
from fleetops.server import HubConfig, run_hub

NAMESPACE = "fleetops"
HUB, SPOKE = "hub", "spoke"


class HubThread:
    def __init__(self, root: Path, *, rewrites: Mapping[str, str]) -> None:
        self.root = root
        self.rewrites = dict(rewrites)
        self.kubeconfig = root / "kubeconfig"
        self.fleet = Fleet([HUB, SPOKE], extensions=workload_extensions())
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="hub", daemon=True)
        self._runtime: asyncio.Task[None] | None = None
        self._autoscalers: list[asyncio.Task[None]] = []
        self._clients: list[HttpKubeClient] = []

    def call(self, work: Any, timeout: float = 120) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=timeout)

    def start(self) -> HubThread:
        self._thread.start()
        self.call(self._start())
        return self

    async def _start(self) -> None:
        await self.fleet.start()
        hub, spoke = self.fleet[HUB], self.fleet[SPOKE]
        async with HttpKubeClient(hub_config(hub, NAMESPACE)) as client:
            await client.apply(
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}},
                field_manager="test",
            )
            rules = "".join(f"{a}={b}\n" for a, b in self.rewrites.items())
            await client.apply(
                {
                    "apiVersion": "v1",
                    "kind": "ConfigMap",
                    "metadata": {"name": SETTINGS_CONFIG_MAP, "namespace": NAMESPACE},
                    "data": {"url.rewrites": rules},
                },
                field_manager="test",
            )
            secret = cluster_secret(
                name=SPOKE, server=spoke.url, namespace=NAMESPACE, token=spoke.token, ca_pem=spoke.ca_pem
            )
            await client.apply(secret, field_manager="test")
        for cluster in (hub, spoke):  # HPAs report a working autoscaler, as in `fleetops up`
            client = HttpKubeClient(hub_config(cluster, "default"))
            self._clients.append(client)
            self._autoscalers.append(asyncio.ensure_future(run_autoscaler(client)))
        ready = asyncio.Event()
        config = HubConfig(
            cluster=hub_config(hub, NAMESPACE),
            namespace=NAMESPACE,
            git_cache_dir=self.root / "git-cache",
            url_rewrites=self.rewrites,
            port=0,
            poll_interval=None,
        )
        self._runtime = asyncio.ensure_future(run_hub(config, ready=ready))
        async with asyncio.timeout(120):
            await ready.wait()
        async with HttpKubeClient(hub_config(hub, NAMESPACE)) as client:
            with contextlib.suppress(AlreadyExists):  # the hub may have created it
                await client.create(default_project(NAMESPACE), field_manager="test")
        write_kubeconfig(self.kubeconfig, list(self.fleet.clusters.values()), hub=HUB, namespace=NAMESPACE)

    def stop(self) -> None:
        async def stop() -> None:
            for task in [*self._autoscalers, *([self._runtime] if self._runtime else [])]:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            for client in self._clients:
                await client.close()
            await self.fleet.stop()

        self.call(stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()

    def __enter__(self) -> HubThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
