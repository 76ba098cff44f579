"""The kube adapter under test: a kubesim cluster served from a background thread, reached by
`HttpKubeClient` over HTTPS with its bearer token, exactly as a real cluster would be."""

from __future__ import annotations

import gc
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from kube_support import CLUSTER, AsyncKubectl, Control

from fleetops.adapters.kube import ClusterConfig, HttpKubeClient
from fleetops.kubesim.background import BackgroundFleet
from fleetops.kubesim.cluster import SimCluster
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.kubeconfig import write_kubeconfig


@pytest.fixture(scope="module")
def fleet() -> Iterator[Fleet]:
    with BackgroundFleet([CLUSTER], watch_history=500) as running:
        yield running


@pytest.fixture
def sim(fleet: Fleet) -> SimCluster:
    return fleet[CLUSTER]


@pytest.fixture
def config(sim: SimCluster) -> ClusterConfig:
    return ClusterConfig(server=sim.url, name=CLUSTER, ca_pem=sim.ca_pem, token=sim.token)


@pytest.fixture
async def client(config: ClusterConfig) -> AsyncIterator[HttpKubeClient]:
    async with HttpKubeClient(config) as kube:
        yield kube


@pytest.fixture
async def namespace(client: HttpKubeClient) -> str:
    name = f"t-{uuid.uuid4().hex[:8]}"
    await client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    return name


@pytest.fixture
def control(fleet: Fleet) -> Control:
    return Control(fleet.control.url, CLUSTER)


@pytest.fixture
def kubeconfig_file(sim: SimCluster, tmp_path: Path) -> Path:
    path = tmp_path / "kubeconfig"
    write_kubeconfig(path, [sim])
    return path


@pytest.fixture
def kubectl_async(kubectl: Path, kubeconfig_file: Path, tmp_path: Path) -> AsyncKubectl:
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "KUBECONFIG": str(kubeconfig_file)}
    return AsyncKubectl(kubectl, env)


@pytest.fixture(autouse=True)
def _collect_after() -> Iterator[None]:
    """Collect garbage after each test, so a leaked socket is reported by the test that leaked it."""
    yield
    gc.collect()
