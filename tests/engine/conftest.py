# ruff: noqa: E402  (tests.support needs the repository root on sys.path first)
"""Engine tests: a kubesim cluster (the hub and the destination at once) reached over HTTPS by the
kube adapter, a real Git server, and the Argo CD CRDs installed."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # `tests.support` without `python -m pytest`
    sys.path.insert(0, str(REPO_ROOT))

import contextlib

from tests.support.gitserver import GitServer

from fleetops.adapters.git import PygitSource
from fleetops.adapters.kube import ClusterConfig, HttpKubeClient, WatchCache
from fleetops.core.app import Destination
from fleetops.core.crds import all_crds
from fleetops.engine import AppEnvironment, ClusterConnection, EventRecorder
from fleetops.kubesim.background import BackgroundFleet
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.workloads.extension import workload_extensions
from fleetops.model import GroupKind
from fleetops.ports.kube import AlreadyExists, NotFound

HUB = "hub"


@pytest.fixture(scope="module")
def fleet() -> Iterator[Fleet]:
    with BackgroundFleet([HUB], watch_history=2000, extensions=workload_extensions()) as running:
        yield running


@pytest.fixture
async def hub(fleet: Fleet) -> AsyncIterator[HttpKubeClient]:
    sim = fleet[HUB]
    config = ClusterConfig(server=sim.url, name=HUB, ca_pem=sim.ca_pem, token=sim.token)
    async with HttpKubeClient(config) as client:
        for crd in all_crds():
            try:
                await client.get(_CRD, crd["metadata"]["name"])
            except NotFound:
                await client.create(crd)
        with contextlib.suppress(AlreadyExists):
            await client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "fleetops"}})
        for _ in range(200):
            try:
                await client.resource_for(GroupKind("argoproj.io", "Application"))
                break
            except Exception:
                await asyncio.sleep(0.05)
        yield client


@pytest.fixture
async def cache(hub: HttpKubeClient) -> AsyncIterator[WatchCache]:
    async with WatchCache(hub, cluster=HUB) as watch_cache:
        yield watch_cache


class OneCluster:
    """Every destination is the one kubesim cluster."""

    def __init__(self, connection: ClusterConnection) -> None:
        self.connection = connection

    async def connect(self, destination: Destination) -> ClusterConnection:
        return self.connection


@pytest.fixture
def git_server(tmp_path: Path) -> Iterator[GitServer]:
    with GitServer(tmp_path / "git-server") as server:
        yield server


@pytest.fixture
def env(hub: HttpKubeClient, cache: WatchCache, tmp_path: Path) -> AppEnvironment:
    connection = ClusterConnection("https://kubernetes.default.svc", "in-cluster", hub, cache)
    return AppEnvironment(
        git=PygitSource(tmp_path / "git-cache"),
        hub=hub,
        clusters=OneCluster(connection),
        events=EventRecorder(hub),
        namespace="fleetops",
        sync_timeout=30.0,
    )


from fleetops.model import GroupVersionKind

_CRD = GroupVersionKind("apiextensions.k8s.io", "v1", "CustomResourceDefinition")
