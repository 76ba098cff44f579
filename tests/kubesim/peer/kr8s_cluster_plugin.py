"""A pytest plugin giving kr8s's own test suite (`pytest --pyargs kr8s.tests`) its `k8s_cluster`
fixture — a kubesim cluster run by `fleetops sim up` in a child process — instead of a kind cluster.

Loaded with `-p kr8s_cluster_plugin` (this directory on PYTHONPATH) by
`tests/kubesim/test_kubesim_kr8s_peer.py`.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

STARTUP_DEADLINE_SECONDS = 60


class KubesimCluster:
    """What kr8s's tests use of pytest-kind's `KindCluster`."""

    def __init__(self, kubeconfig_path: Path, home: Path) -> None:
        self.kubeconfig_path = kubeconfig_path
        self.kubectl_path = Path(sys.executable).parent / "kubectl"
        self.home = home

    def kubectl(self, *args: str) -> str:
        env = {**os.environ, "KUBECONFIG": str(self.kubeconfig_path), "HOME": str(self.home)}
        done = subprocess.run(
            [str(self.kubectl_path), *args], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout


@pytest.fixture(scope="session")
def k8s_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KubesimCluster]:
    base = tmp_path_factory.mktemp("kubesim")
    home = base / "home"
    home.mkdir()
    config = base / "kubeconfig"
    fleetops = Path(sys.executable).parent / "fleetops"
    log = (base / "sim.log").open("w")
    server = subprocess.Popen(
        [str(fleetops), "sim", "up", "--clusters", "kind", "--kubeconfig", str(config)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    while not config.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"fleetops sim up did not start: {(base / 'sim.log').read_text()}")
        time.sleep(0.05)
    previous = os.environ.get("KUBECONFIG")
    os.environ["KUBECONFIG"] = str(config)
    cluster = KubesimCluster(config, home)
    try:
        cluster.kubectl("apply", "-f", str(Path(__file__).with_name("kind-system.yaml")))
        cluster.kubectl(
            "wait", "-n", "kube-system", "--for=condition=Ready", "pods", "--all", "--timeout=60s"
        )
        yield cluster
    finally:
        if previous is None:
            os.environ.pop("KUBECONFIG", None)
        else:
            os.environ["KUBECONFIG"] = previous
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        log.close()


@pytest.fixture
def ensure_gc() -> Iterator[None]:
    """kr8s's repository conftest has this fixture (its wheel does not): collect garbage after the test."""
    yield
    gc.collect()
