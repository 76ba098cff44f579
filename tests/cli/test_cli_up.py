"""`fleetops up` as a user runs it: the console script in a subprocess with a temporary data
directory; the kubeconfig appearing means ready; the sample fleet syncs and turns healthy;
`kubectl scale` on a production spoke is healed; a bad commit is rolled back through Git with
auto-sync on; SIGINT stops everything with status 0 and a restart keeps the state."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pygit2
import pytest
import yaml
from tests.support.gitserver import BareRepo

from fleetops.embedded.applications import applications
from fleetops.embedded.fleet_layout import SPOKES

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
DEADLINE = 300.0
APP = "payment-service-prod-us-east-1"
OVERLAY = "apps/payment-service/overlays/production"


def expected_apps() -> set[str]:
    """The sample Applications and those the seed's ApplicationSet generates (production spokes)."""
    platform = {f"{spoke.name}-platform" for spoke in SPOKES if spoke.environment == "production"}
    return {app["metadata"]["name"] for app in applications()} | platform


def eventually(check: Callable[[], bool], what: str, deadline: float = DEADLINE) -> None:
    """Wait for a condition (a readiness wait with a generous deadline, not a timing assertion)."""
    end = time.monotonic() + deadline
    while not check():
        assert time.monotonic() < end, f"gave up waiting for {what}"
        time.sleep(0.5)


class Up:
    """A running `fleetops up` and the tools to look at it."""

    def __init__(self, data_dir: Path, kubectl: Path, home: Path) -> None:
        self.data_dir = data_dir
        self.kubeconfig = data_dir / "kubeconfig"
        self.kubectl_path = kubectl
        self.env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache")}
        self.env.pop("KUBECONFIG", None)
        self.log = data_dir.parent / f"up-{time.monotonic_ns()}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Up:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(BIN / "fleetops"), "up", "--data-dir", str(self.data_dir), "--port", "0"],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
            )
        eventually(self._ready, "the kubeconfig (fleetops up ready)")
        return self

    def _ready(self) -> bool:
        assert self.process is not None
        assert self.process.poll() is None, f"fleetops up exited early:\n{self.output()}"
        return self.kubeconfig.exists()

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def interrupt(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=120)
        self.process = None
        return code

    def fleetops(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**self.env, "KUBECONFIG": str(self.kubeconfig)}
        return subprocess.run(
            [str(BIN / "fleetops"), *args], capture_output=True, text=True, env=env, timeout=300, check=False
        )

    def kubectl(self, *args: str) -> str:
        done = subprocess.run(
            [str(self.kubectl_path), "--kubeconfig", str(self.kubeconfig), *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def apps(self) -> dict[str, dict[str, Any]]:
        done = self.fleetops("app", "list", "-o", "json")
        assert done.returncode == 0, done.stderr
        return {app["metadata"]["name"]: app for app in json.loads(done.stdout)}

    def all_synced_and_healthy(self) -> bool:
        found = self.apps()
        return set(found) == expected_apps() and all(
            app.get("status", {}).get("sync", {}).get("status") == "Synced"
            and app.get("status", {}).get("health", {}).get("status") == "Healthy"
            for app in found.values()
        )

    def deployment(self, context: str) -> dict[str, Any]:
        text = self.kubectl(
            "--context", context, "-n", "payments", "get", "deployment", "payment-service", "-o", "json"
        )
        loaded: dict[str, Any] = json.loads(text)
        return loaded

    def image(self, context: str) -> str:
        return str(self.deployment(context)["spec"]["template"]["spec"]["containers"][0]["image"])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=60)


@pytest.fixture
def up_factory(tmp_path: Path, kubectl: Path) -> Iterator[Callable[[], Up]]:
    started: list[Up] = []
    home = tmp_path / "home"
    home.mkdir()

    def start() -> Up:
        running = Up(tmp_path / "data", kubectl, home).start()
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


def _tree_id(repo: BareRepo, sha: str, path: str) -> str:
    commit = repo.repo[pygit2.Oid(hex=sha)]
    assert isinstance(commit, pygit2.Commit)
    return str(commit.tree[path].id)


def test_up_syncs_heals_rolls_back_and_restarts(up_factory: Callable[[], Up]) -> None:
    up = up_factory()
    assert "fleetops is up." in up.output() and str(up.kubeconfig) in up.output()
    config = yaml.safe_load(up.kubeconfig.read_text())
    hub = next(c for c in config["contexts"] if c["name"] == "hub")
    assert config["current-context"] == "hub" and hub["context"]["namespace"] == "fleetops"
    eventually(up.all_synced_and_healthy, "every sample application Synced and Healthy")
    listed = up.fleetops("app", "list")
    assert listed.returncode == 0 and "payment-service " in listed.stdout

    # drift on a production spoke is healed (selfHeal)
    up.kubectl("--context", "prod-us-east-1", "-n", "payments", "scale", "deployment", "payment-service",
               "--replicas", "5")  # fmt: skip
    eventually(
        lambda: up.deployment("prod-us-east-1")["spec"]["replicas"] == 4, "self-heal back to 4 replicas"
    )

    # a bad commit goes live; a GitOps rollback restores the overlay through one new commit
    repo = BareRepo(up.data_dir / "git" / "org" / "gitops-config.git")
    good = repo.head_of("main")
    kustomization = repo.read(good, f"{OVERLAY}/kustomization.yaml").decode()
    bad = repo.commit(
        {f"{OVERLAY}/kustomization.yaml": kustomization.replace("v2.3.0", "v9.9.9-bad")}, "bad tag"
    )
    unrelated = repo.commit({"README.md": "# changed meanwhile\n"}, "docs")
    assert up.fleetops("app", "get", APP, "--refresh").returncode == 0
    eventually(lambda: up.image("prod-us-east-1") == "payment-service:v9.9.9-bad", "the bad tag live")
    rolled = up.fleetops("app", "rollback", APP)
    assert rolled.returncode == 0, rolled.stderr
    assert bad[:12] in rolled.stdout and unrelated[:12] not in rolled.stdout
    head = repo.head_of("main")
    commit = repo.repo[pygit2.Oid(hex=head)]
    assert isinstance(commit, pygit2.Commit)
    assert [str(p) for p in commit.parent_ids] == [unrelated]
    assert _tree_id(repo, head, OVERLAY) == _tree_id(repo, good, OVERLAY)
    assert repo.read(head, "README.md") == b"# changed meanwhile\n"  # other paths untouched
    eventually(
        lambda: up.image("prod-us-east-1") == "payment-service:v2.3.0", "the rollback live (auto-sync)"
    )
    history = up.apps()[APP]["status"]["history"]
    assert len(history) >= 2

    # Ctrl-C stops cleanly; a restart with the same data directory keeps the state
    servers = {c["name"]: c["cluster"]["server"] for c in config["clusters"]}
    assert up.interrupt() == 0, up.output()
    assert "fleetops stopped" in up.output()
    assert not up.kubeconfig.exists()  # it announces a running fleet only
    again = up_factory()
    restarted = yaml.safe_load(again.kubeconfig.read_text())
    assert {c["name"]: c["cluster"]["server"] for c in restarted["clusters"]} == servers
    assert "sample repository created" not in again.output()
    kept = again.apps()
    assert set(kept) == expected_apps()
    assert kept[APP]["status"]["history"][: len(history)] == history
    assert BareRepo(again.data_dir / "git" / "org" / "gitops-config.git").head_of("main") == head
    eventually(again.all_synced_and_healthy, "the fleet Synced and Healthy after a restart")
    assert again.interrupt() == 0, again.output()
