"""The render stage with remote Kustomize bases: refused by default; fetched through
`GitRemoteBases` when enabled; the render cache keys on the commits the remote refs resolve to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygit2
import pytest
from tests.support.gitserver import BareRepo, GitServer

from fleetops.adapters.git import GitTreeFileSystem
from fleetops.adapters.kustomize_remote import GitRemoteBases
from fleetops.core.rendercache import RenderCache
from fleetops.engine.render_stage import RenderError, render
from fleetops.model.manifest import Manifest

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: {mode}\n"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[GitServer]:
    with GitServer(tmp_path / "srv") as started:
        yield started


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _tree(repo: BareRepo, sha: str) -> GitTreeFileSystem:
    commit = repo.repo[pygit2.Oid(hex=sha)]
    assert isinstance(commit, pygit2.Commit)
    return GitTreeFileSystem(repo.repo, commit.tree)


def test_remote_bases_refused_then_fetched_and_cached_by_commit(tmp_path: Path, server: GitServer) -> None:
    bases_repo = server.create_repo("org/bases")
    bases_repo.commit(
        {"base/kustomization.yaml": "resources: [cm.yaml]", "base/cm.yaml": CM.format(mode="a")}
    )
    url = server.url_for("org/bases")
    config = BareRepo(tmp_path / "config.git")
    sha = config.commit({"app/kustomization.yaml": f"resources:\n- {url}//base?ref=main\nnamePrefix: p-\n"})
    source = {"repoURL": "https://git.example/config.git", "path": "app", "targetRevision": "main"}
    cache: RenderCache[list[Manifest]] = RenderCache()

    with pytest.raises(RenderError, match="remote resources are not enabled"):
        render(source, _tree(config, sha), cache=cache, cache_key="ns/app", commit=sha)

    clock = Clock()
    bases = GitRemoteBases(tmp_path / "mirrors", max_age=60.0, clock=clock)

    def run() -> tuple[str, bool]:
        done = render(
            source, _tree(config, sha), cache=cache, cache_key="ns/app", commit=sha, remote_bases=bases
        )
        assert [m["metadata"]["name"] for m in done.manifests] == ["p-settings"]
        return str(done.manifests[0]["data"]["mode"]), done.cached

    assert run() == ("a", False)
    assert run() == ("a", True)
    bases_repo.commit({"base/cm.yaml": CM.format(mode="b")})
    assert run() == ("a", True)  # within max_age the ref is not fetched again
    clock.now = 120.0
    assert run() == ("b", False)  # the branch moved: a cache miss
    assert run() == ("b", True)
    assert len(server.upload_pack_requests("org/bases")) == 2
