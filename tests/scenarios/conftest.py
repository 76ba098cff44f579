# ruff: noqa: E402  (tests.support needs the repository root on sys.path first)
"""Scenario tests: the whole hub (`fleetops.server.Hub`, as `fleetops controller` runs it) against
kubesim clusters (a hub and a spoke, served over HTTPS in a background thread) and a real Git
server, with kubectl as the user's hand. Polling is off unless a test turns it on, so every
change has a visible cause."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # `tests.support` without `python -m pytest`
    sys.path.insert(0, str(REPO_ROOT))

from scenario_support import PRIVATE_URL, SEED_URL, Scenario, seed_repository_files
from tests.support.gitserver import GitServer

from fleetops.kubesim.background import BackgroundFleet
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.workloads.extension import workload_extensions

WEBHOOK_SECRET = "webhook-s3cret"


@pytest.fixture
def fleet() -> Iterator[Fleet]:
    with BackgroundFleet(["hub", "spoke"], watch_history=5000, extensions=workload_extensions()) as running:
        yield running


@pytest.fixture
def git_server(tmp_path: Path) -> Iterator[GitServer]:
    with GitServer(tmp_path / "git-server") as server:
        yield server


@pytest.fixture
def private_git_server(tmp_path: Path) -> Iterator[GitServer]:
    with GitServer(
        tmp_path / "private-git-server", username="fleetops", password="s3cret-password"
    ) as server:
        yield server


@pytest.fixture
async def scenario(
    fleet: Fleet, git_server: GitServer, private_git_server: GitServer, tmp_path: Path
) -> AsyncIterator[Scenario]:
    repo = git_server.create_repo("gitops-config")
    repo.commit(seed_repository_files(), "seed layout")
    running = Scenario(
        fleet, git_server, repo, tmp_path, webhook_secret=WEBHOOK_SECRET, private_git=private_git_server
    )
    private_git_server.create_repo("private-config")
    await running.start(
        url_rewrites={
            SEED_URL: git_server.url_for("gitops-config"),
            PRIVATE_URL: private_git_server.url_for("private-config"),
        }
    )
    try:
        yield running
    finally:
        await running.stop()
