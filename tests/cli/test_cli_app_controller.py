"""`fleetops controller` as a console script against a kubesim hub: it installs the CRDs, serves
/metrics, reconciles an Application, and stops cleanly on SIGINT."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.support.gitserver import GitServer

from fleetops.embedded.kubeconfig import write_kubeconfig
from fleetops.kubesim.background import BackgroundFleet
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.workloads.extension import workload_extensions

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
DEADLINE = 180.0
URL = "https://github.com/org/gitops-config"


def eventually(check: Callable[[], bool], what: str) -> None:
    """Wait for a condition (a readiness wait with a generous deadline, not a timing assertion)."""
    end = time.monotonic() + DEADLINE
    while not check():
        assert time.monotonic() < end, f"gave up waiting for {what}"
        time.sleep(0.2)


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[Fleet, Path]]:
    with BackgroundFleet(["hub"], extensions=workload_extensions()) as fleet:
        kubeconfig = tmp_path / "kubeconfig"
        write_kubeconfig(kubeconfig, [fleet["hub"]], hub="hub", namespace="fleetops")
        yield fleet, kubeconfig


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_controller_runs_against_the_hub_until_sigint(hub: tuple[Fleet, Path], tmp_path: Path) -> None:
    _, kubeconfig = hub
    env = {**os.environ, "KUBECONFIG": str(kubeconfig), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    port = free_port()
    with GitServer(tmp_path / "git") as server:
        repo = server.create_repo("gitops-config")
        repo.commit(
            {"apps/cm/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello\ndata:\n  a: b\n"}
        )
        log = (tmp_path / "controller.log").open("wb")
        process = subprocess.Popen(
            [
                str(BIN / "fleetops"), "controller", "--port", str(port), "--poll-interval", "0",
                "--git-cache-dir", str(tmp_path / "git-cache"),
                "--rewrite", f"{URL}={server.url_for('gitops-config')}",
            ],
            stdout=log, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
        try:

            def metrics() -> bool:
                assert process.poll() is None, (tmp_path / "controller.log").read_text()
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
                        return answer.status == 200
                except OSError:
                    return False

            eventually(metrics, "the controller's /metrics")

            def fleetops(*args: str) -> subprocess.CompletedProcess[str]:
                command = [str(BIN / "fleetops"), *args]
                return subprocess.run(
                    command, capture_output=True, text=True, env=env, timeout=300, check=False
                )

            created = fleetops(
                "app", "create", "hello", "--repo", URL, "--path", "apps/cm", "--dest-server",
                "https://kubernetes.default.svc", "--dest-namespace", "default", "--sync-policy", "automated",
            )  # fmt: skip
            assert created.returncode == 0, created.stderr
            waited = fleetops("app", "wait", "hello", "--sync", "--health", "--timeout", str(DEADLINE))
            assert waited.returncode == 0, waited.stderr
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=120) == 0, (tmp_path / "controller.log").read_text()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            log.close()
