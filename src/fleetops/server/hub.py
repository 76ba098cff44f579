"""`Hub`: the running hub — CRDs installed, informers and the Application controller started,
the HTTP server (webhook, /metrics, /healthz) listening. This is where concrete adapters (kube
client and watch caches, the pygit2 source) are wired into the controller and the engine."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from types import TracebackType

from aiohttp import web

from fleetops.adapters.git import PygitSource
from fleetops.adapters.kube import IN_CLUSTER_SERVER, HttpKubeClient, WatchCache, load_kubeconfig
from fleetops.controller.app_controller import AppController
from fleetops.controller.clusters import ClusterRegistry
from fleetops.controller.metrics import Metrics
from fleetops.core.crds import all_crds
from fleetops.engine import AppEnvironment, ClusterConnection, EventRecorder
from fleetops.model import GroupKind
from fleetops.ports.kube import AlreadyExists, KubeError
from fleetops.server.config import HubConfig
from fleetops.server.connections import SecretConnections
from fleetops.server.http import make_app
from fleetops.server.k8s_requests import request_observer

log = logging.getLogger(__name__)

IN_CLUSTER_NAME = "in-cluster"
CRD_READY_DEADLINE = 60.0


class Hub:
    def __init__(self, config: HubConfig) -> None:
        self.config = config
        self.port = config.port
        self.metrics = Metrics()
        self._stopped = asyncio.Event()
        self._client: HttpKubeClient | None = None
        self._cache: WatchCache | None = None
        self._runner: web.AppRunner | None = None
        self.controller: AppController | None = None

    async def __aenter__(self) -> Hub:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        """Install the CRDs, start the informers and controllers, listen for HTTP."""
        config = self.config
        cluster = config.cluster or load_kubeconfig(config.kubeconfig, context=config.context)
        client = self._client = HttpKubeClient(
            cluster, observer=request_observer(self.metrics, IN_CLUSTER_SERVER)
        )
        await install_crds(client)
        await ensure_namespace(client, config.namespace)
        cache = self._cache = WatchCache(client, cluster=IN_CLUSTER_NAME)
        await cache.start()
        git = PygitSource(
            Path(config.git_cache_dir).expanduser(),
            rewrites=dict(config.url_rewrites),
            on_request=lambda repo, kind, seconds, ok: self.metrics.observe_git_request(repo, kind, seconds),
        )
        hub = ClusterConnection(IN_CLUSTER_SERVER, IN_CLUSTER_NAME, client, cache)
        registry = ClusterRegistry(hub, SecretConnections(self.metrics), on_connect=self._watch_cluster)
        env = AppEnvironment(
            git=git,
            hub=client,
            clusters=registry,
            events=EventRecorder(client, instance=config.shard),
            namespace=config.namespace,
        )
        self.controller = AppController(
            env,
            cache,
            registry,
            metrics=self.metrics,
            poll_interval=config.poll_interval,
            poll_jitter=config.poll_jitter,
            workers=config.workers,
            rewrites=config.url_rewrites,
            on_repo_secrets=git.set_repo_secrets,
        )
        await self.controller.start()
        app = make_app(
            secrets=tuple(config.webhook_secrets),
            refresh=lambda urls: self._controller().refresh_repository(urls),
            metrics=self.metrics.render,
        )
        runner = self._runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, config.host, config.port)
        await site.start()
        addresses = runner.addresses
        if addresses:
            self.port = int(addresses[0][1])

    def _controller(self) -> AppController:
        if self.controller is None:
            raise RuntimeError("the hub is not started")
        return self.controller

    def _watch_cluster(self, connection: ClusterConnection) -> None:
        self._controller().watch_cluster(connection)

    async def wait(self) -> None:
        await self._stopped.wait()

    async def stop(self) -> None:
        self._stopped.set()
        if self.controller is not None:
            await self.controller.stop()
            self.controller = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._cache is not None:
            await self._cache.stop()
            self._cache = None
        if self._client is not None:
            await self._client.close()
            self._client = None


async def install_crds(client: HttpKubeClient) -> None:
    """Apply fleetops' CRDs (server-side, idempotent) and wait until the API serves them."""
    for crd in all_crds():
        await client.apply(crd, field_manager="fleetops", force=True)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + CRD_READY_DEADLINE
    for kind in ("Application", "AppProject", "ApplicationSet"):
        while True:
            try:
                await client.resource_for(GroupKind("argoproj.io", kind))
                break
            except KubeError:
                if loop.time() > deadline:
                    raise
                await asyncio.sleep(0.1)


async def ensure_namespace(client: HttpKubeClient, name: str) -> None:
    with contextlib.suppress(AlreadyExists):
        await client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
