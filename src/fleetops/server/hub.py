"""`Hub`: the running hub — CRDs installed, informers and the Application controller started,
the HTTP server (webhook, /metrics, /healthz) listening. This is where concrete adapters (kube
client and watch caches, the pygit2 source) are wired into the controller and the engine."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from aiohttp import web

from fleetops.adapters.git import PygitSource
from fleetops.adapters.kube import IN_CLUSTER_SERVER, HttpKubeClient, WatchCache, load_kubeconfig
from fleetops.adapters.kustomize_remote import GitRemoteBases
from fleetops.controller.app_controller import AppController
from fleetops.controller.appset_controller import AppSetController
from fleetops.controller.clusters import ClusterRegistry
from fleetops.controller.metrics import Metrics
from fleetops.core.crds import all_crds
from fleetops.engine import AppEnvironment, AppSetEnvironment, ClusterConnection, EventRecorder
from fleetops.engine.events import APPSET_COMPONENT
from fleetops.model import GroupKind
from fleetops.ports.kube import AlreadyExists, KubeError
from fleetops.server.config import DEFAULT_POLL_INTERVAL, HubConfig
from fleetops.server.connections import SecretConnections
from fleetops.server.http import make_app
from fleetops.server.k8s_requests import request_observer
from fleetops.server.shards import ShardRuntime, user_agent_of

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
        self.appsets: AppSetController | None = None
        self.shards: ShardRuntime | None = None

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
        shards = self.shards = ShardRuntime(config, self.metrics)
        agent = user_agent_of(shards.identity)
        client = self._client = HttpKubeClient(
            cluster, observer=request_observer(self.metrics, IN_CLUSTER_SERVER), user_agent=agent
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
        connections = SecretConnections(
            self.metrics, user_agent=agent, request_timeout=config.cluster_request_timeout
        )
        registry = ClusterRegistry(hub, connections, on_connect=self._watch_cluster, guard=shards.guard)
        env = AppEnvironment(
            git=git,
            hub=client,
            clusters=registry,
            events=EventRecorder(client, instance=shards.identity),
            namespace=config.namespace,
            remote_bases=remote_bases(config, git),
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
            cluster_workers=config.cluster_workers,
            owns=shards.owns if shards.sharded else None,
            identity=shards.identity,
        )
        await self.controller.start()
        self.appsets = AppSetController(
            AppSetEnvironment(
                hub=client,
                git=git,
                namespace=config.namespace,
                events=EventRecorder(client, instance=shards.identity, component=APPSET_COMPONENT),
            ),
            cache,
            metrics=self.metrics,
            rewrites=config.url_rewrites,
            leader=(lambda: shards.owns(IN_CLUSTER_SERVER)) if shards.sharded else None,
        )
        await self.appsets.start()
        await shards.start(client, registry, self.controller)
        app = make_app(
            secrets=tuple(config.webhook_secrets),
            refresh=self._refresh_repositories,
            metrics=self.metrics.render,
        )
        runner = self._runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, config.host, config.port)
        await site.start()
        addresses = runner.addresses
        if addresses:
            self.port = int(addresses[0][1])

    def _refresh_repositories(self, urls: Iterable[str]) -> list[tuple[str, str]]:
        """A push: refresh the applications and the ApplicationSets (git generators) reading it."""
        urls = list(urls)
        refreshed = self._controller().refresh_repository(urls)
        if self.appsets is not None:
            refreshed += self.appsets.refresh_repository(urls)
        return refreshed

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
        if self.appsets is not None:
            await self.appsets.stop()
            self.appsets = None
        if self.controller is not None:
            await self.controller.stop()
            self.controller = None
        if self.shards is not None:
            await self.shards.stop()
            self.shards = None
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


def remote_bases(config: HubConfig, git: PygitSource) -> GitRemoteBases | None:
    """Remote Kustomize bases, when the configuration enables them (same credentials and URL
    rewrites as the applications' own repositories)."""
    if not config.kustomize_remote_bases:
        return None
    return GitRemoteBases(
        Path(config.git_cache_dir).expanduser() / "kustomize-remote",
        credentials=git.credentials,
        max_age=config.poll_interval or DEFAULT_POLL_INTERVAL,
        rewrite=git.rewrites.apply,
    )
