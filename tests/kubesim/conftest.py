"""kubesim under test: a cluster served from a background thread, driven by real clients —
the pinned kubectl (fresh HOME, so its discovery cache is empty) and the official `kubernetes` client."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.support.kubesim_clients import Kubectl, RawApi

from fleetops.kubesim.background import BackgroundFleet
from fleetops.kubesim.cluster import SimCluster
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.kubeconfig import write_kubeconfig

CLUSTER = "sim"


@pytest.fixture(scope="module")
def kubesim_fleet() -> Iterator[Fleet]:
    with BackgroundFleet([CLUSTER], watch_history=200) as fleet:
        yield fleet


@pytest.fixture
def sim_cluster(kubesim_fleet: Fleet) -> SimCluster:
    return kubesim_fleet[CLUSTER]


@pytest.fixture
def kube(kubectl: Path, sim_cluster: SimCluster, tmp_path: Path) -> Kubectl:
    home = tmp_path / "home"
    home.mkdir()
    config = tmp_path / "kubeconfig"
    write_kubeconfig(config, [sim_cluster])
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "KUBECONFIG": str(config)}
    return Kubectl(kubectl, env, tmp_path)


@pytest.fixture
def namespace(kube: Kubectl) -> str:
    name = f"t-{uuid.uuid4().hex[:8]}"
    kube.ok("apply", "-f", "-", stdin=f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n")
    return name


@pytest.fixture
def raw_api(sim_cluster: SimCluster) -> RawApi:
    return RawApi(sim_cluster)


@pytest.fixture
def api_client(sim_cluster: SimCluster, tmp_path: Path) -> Iterator[Any]:
    """An official `kubernetes` client ApiClient for the simulated cluster."""
    from kubernetes import client  # noqa: PLC0415 - only the tests that use it pay for the import

    ca = tmp_path / "ca.crt"
    ca.write_bytes(sim_cluster.ca_pem)
    configuration = client.Configuration()
    configuration.host = sim_cluster.url
    configuration.ssl_ca_cert = str(ca)
    configuration.api_key = {"authorization": sim_cluster.token}
    configuration.api_key_prefix = {"authorization": "Bearer"}
    with client.ApiClient(configuration) as api:
        yield api
