"""`fleetops up`: the whole system in one process.

    kubesim (hub + spokes, SQLite under DATA_DIR/kubesim)
    → the local Git server (DATA_DIR/git) with the sample repository
    → the hub prepared (CRDs, rewrites, cluster Secrets, project; Applications on first start)
    → a stand-in HPA status reporter per cluster (see `autoscaler.py`)
    → the first sync of each Application the seed's `platform-services` ApplicationSet
      generates (it has no sync policy; see `first_sync.py`)
    → the hub runtime (controllers, webhook, /metrics on HOST:PORT); pushes to the local
      Git server are announced to its webhook (signed GitHub push events)
    → the kubeconfig written, last and atomically: the signal that everything is ready.

Stopping (cancellation) removes the kubeconfig first, then takes everything down in reverse
order."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import ssl
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from fleetops.adapters.kube import ClusterConfig, HttpKubeClient
from fleetops.embedded.applications import platform_applicationset
from fleetops.embedded.autoscaler import run_autoscaler
from fleetops.embedded.bootstrap import create_applications, prepare_hub
from fleetops.embedded.first_sync import run_first_syncs
from fleetops.embedded.fleet_layout import (
    CONTROL_NAMESPACE,
    HUB,
    PLATFORM_APPSET,
    REPO_PATH,
    SEED_REPO_URL,
    SPOKES,
)
from fleetops.embedded.gitserver import GitHttpServer, OnPush
from fleetops.embedded.kubeconfig import write_kubeconfig
from fleetops.embedded.push_webhook import announce_push, default_branch, push_payload
from fleetops.embedded.sample_repo import add_platform, create_repository
from fleetops.embedded.state import EmbeddedState, free_port
from fleetops.kubesim.cluster import SimCluster
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.workloads.extension import workload_extensions
from fleetops.server import HubConfig, run_hub

Echo = Callable[[str], None]


@dataclass(frozen=True)
class EmbeddedConfig:
    data_dir: Path
    kubeconfig: Path
    host: str = "127.0.0.1"
    port: int = 8080
    poll_interval: float = 30.0
    poll_jitter: float = 5.0


@dataclass(frozen=True)
class Running:
    """What a started embedded fleet offers (for the banner and for tests)."""

    fleet: Fleet
    git: GitHttpServer
    repo_url: str
    state: EmbeddedState
    port: int = 0
    """The hub's HTTP port (webhook, /metrics)."""


def hub_config(cluster: SimCluster, namespace: str) -> ClusterConfig:
    return ClusterConfig(
        server=cluster.url,
        name=cluster.name,
        namespace=namespace,
        ca_pem=cluster.ca_pem or None,
        token=cluster.token,
    )


async def _answers(cluster: SimCluster) -> bool:
    context: ssl.SSLContext | bool = False
    if cluster.ca_pem:
        context = ssl.create_default_context(cadata=cluster.ca_pem.decode())
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{cluster.url}/readyz", ssl=context) as answer,
        ):
            return answer.status == 200
    except aiohttp.ClientError:
        return False


@contextlib.asynccontextmanager
async def started(config: EmbeddedConfig, echo: Echo) -> AsyncIterator[Running]:
    """Everything but the hub runtime and the kubeconfig."""
    data_dir = config.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    state = EmbeddedState.load(data_dir)
    fleet = Fleet(
        [HUB, *(s.name for s in SPOKES)], data_dir=data_dir / "kubesim", extensions=workload_extensions()
    )
    await fleet.start()
    git = GitHttpServer(data_dir / "git", host="127.0.0.1", port=state.git_port)
    try:
        for cluster in fleet.clusters.values():
            while not await _answers(cluster):
                await asyncio.sleep(0.05)
        echo(f"kubesim: {', '.join(f'{c.name} {c.url}' for c in fleet.clusters.values())}")
        repository = data_dir / "git" / REPO_PATH
        if not repository.exists():
            repository.parent.mkdir(parents=True, exist_ok=True)
            sha = create_repository(repository)
            echo(f"sample repository created at {repository} ({sha[:12]})")
        await git.start()
        state.git_port = git.port
        state.save(data_dir)
        async with contextlib.AsyncExitStack() as stack:
            for cluster in fleet.clusters.values():
                client = await stack.enter_async_context(HttpKubeClient(hub_config(cluster, "default")))
                task = asyncio.ensure_future(run_autoscaler(client))
                stack.push_async_callback(_cancel, task)
            yield Running(fleet, git, git.url_for(REPO_PATH), state)
    finally:
        await git.stop()
        await fleet.stop()


async def _cancel(task: asyncio.Future[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def run_embedded(config: EmbeddedConfig, *, echo: Echo, on_ready: Callable[[Running], None]) -> None:
    """Start everything, write the kubeconfig, call `on_ready`; run until cancelled."""
    with contextlib.suppress(FileNotFoundError):
        config.kubeconfig.unlink()  # its appearance must mean "ready"
    async with started(config, echo) as running:
        hub = running.fleet[HUB]
        rewrites = {SEED_REPO_URL: running.repo_url}
        async with HttpKubeClient(hub_config(hub, CONTROL_NAMESPACE)) as client:
            await prepare_hub(
                client, namespace=CONTROL_NAMESPACE, spokes=running.fleet.clusters, rewrites=rewrites
            )
            if not running.state.seeded:
                await create_applications(client)
                running.state.seeded = running.state.platform = True
                running.state.save(config.data_dir)
            elif not running.state.platform:  # a data directory from before platform-services
                sha = add_platform(config.data_dir / "git" / REPO_PATH)
                if sha is not None:
                    echo(f"sample repository: clusters/<cluster>/platform added ({sha[:12]})")
                await create_applications(client, [platform_applicationset()])
                running.state.platform = True
                running.state.save(config.data_dir)
        port = config.port or free_port(config.host, running.state.hub_port)
        running.state.hub_port = port if not config.port else running.state.hub_port
        running.state.save(config.data_dir)
        hub_settings = HubConfig(
            cluster=hub_config(hub, CONTROL_NAMESPACE),
            namespace=CONTROL_NAMESPACE,
            git_cache_dir=config.data_dir / "git-cache",
            url_rewrites=rewrites,
            webhook_secrets=(running.state.webhook_secret,),
            host=config.host,
            port=port,
            poll_interval=config.poll_interval,
            poll_jitter=config.poll_jitter,
            shard="embedded",
        )
        running.git.on_push = _announcer(config, running, f"http://{config.host}:{port}/api/webhook")
        ready = asyncio.Event()
        runtime = asyncio.ensure_future(run_hub(hub_settings, ready=ready))
        waiter = asyncio.ensure_future(ready.wait())
        syncer = await _start_first_syncs(hub)
        try:
            await asyncio.wait([runtime, waiter], return_when=asyncio.FIRST_COMPLETED)
            if runtime.done():
                runtime.result()  # raises what stopped the hub
                raise RuntimeError("the hub runtime stopped before it was ready")
            write_kubeconfig(
                config.kubeconfig, list(running.fleet.clusters.values()), hub=HUB, namespace=CONTROL_NAMESPACE
            )
            on_ready(dataclasses.replace(running, port=port))
            await runtime
        finally:
            with contextlib.suppress(FileNotFoundError):
                config.kubeconfig.unlink()  # a stale file would announce a fleet that is not running
            waiter.cancel()
            await syncer.aclose()
            runtime.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await runtime


async def _start_first_syncs(hub: SimCluster) -> contextlib.AsyncExitStack:
    stack = contextlib.AsyncExitStack()
    client = await stack.enter_async_context(HttpKubeClient(hub_config(hub, CONTROL_NAMESPACE)))
    task = asyncio.ensure_future(run_first_syncs(client, CONTROL_NAMESPACE, PLATFORM_APPSET))
    stack.push_async_callback(_cancel, task)
    return stack


def _announcer(config: EmbeddedConfig, running: Running, webhook_url: str) -> OnPush:
    """Pushes to the sample repository announced to the hub (a signed GitHub push event)."""

    async def on_push(repository: str) -> None:
        if repository != REPO_PATH:
            return
        branch = default_branch(config.data_dir / "git" / REPO_PATH)
        body = push_payload(SEED_REPO_URL, running.repo_url, branch)
        await announce_push(webhook_url, running.state.webhook_secret, body)

    return on_push
