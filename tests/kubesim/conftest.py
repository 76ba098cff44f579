"""kubesim under test: a cluster served from a background thread, driven by real clients —
the pinned kubectl (fresh HOME, so its discovery cache is empty) and the official `kubernetes` client."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

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


@dataclass
class Kubectl:
    """Runs the pinned kubectl against the simulated cluster; `run` returns the finished process."""

    path: Path
    env: dict[str, str]
    workdir: Path

    def run(
        self, *args: str, stdin: str | None = None, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.path), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.workdir,
            timeout=timeout,
            check=False,
        )

    def ok(self, *args: str, stdin: str | None = None) -> str:
        done = self.run(*args, stdin=stdin)
        assert done.returncode == 0, f"kubectl {' '.join(args)} failed ({done.returncode}): {done.stderr}"
        return done.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "-o", "json"))


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


@dataclass
class RawApi:
    """Plain HTTPS requests, for bodies no client library would send."""

    cluster: SimCluster

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str = "application/json",
        token: str | None = "",
    ) -> tuple[int, Any]:
        context = ssl.create_default_context(cadata=self.cluster.ca_pem.decode())
        headers = {"Content-Type": content_type}
        bearer = self.cluster.token if token == "" else token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        request = urllib.request.Request(self.cluster.url + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, context=context, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.loads(error.read() or b"null")


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
