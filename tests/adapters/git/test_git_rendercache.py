"""The render cache against real commits: Git trees answer content ids without reading blobs."""

# ruff: noqa: F811  (pytest fixtures imported from tests.support.gitserver are test parameters)

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.gitserver import (
    BareRepo,
    FileContent,
    GitServer,
    git_server,  # noqa: F401  (fixtures)
)

from fleetops.adapters.git import PygitSource
from fleetops.core.kustomize import FileSystem, build
from fleetops.core.rendercache import RecordingTree, RenderCache, RenderInputs, RenderRecord, is_still_valid

URL = "https://github.com/org/gitops-config"
FILES: dict[str, FileContent] = {
    "apps/web/base/kustomization.yaml": "resources:\n- deployment.yaml\n",
    "apps/web/base/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
    "apps/web/overlays/prod/kustomization.yaml": "resources:\n- ../../base\nnamePrefix: prod-\n",
    "apps/api/manifests/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\n",
}
WEB = RenderInputs(URL, "apps/web/overlays/prod")
API = RenderInputs(URL, "apps/api/manifests", renderer="directory")


def render_directory(fs: FileSystem, path: str) -> list[bytes]:
    """A plain-directory source: every YAML file of the directory."""
    return [fs.read_bytes(f"{path}/{name}") for name in fs.list_dir(path) if name.endswith(".yaml")]


class Monorepo:
    def __init__(self, server: GitServer, cache: Path) -> None:
        self.repo: BareRepo = server.create_repo("gitops-config")
        self.repo.commit(FILES, "initial")
        self.source = PygitSource(cache, rewrites={URL: server.url_for("gitops-config")})

    async def render_both(self) -> tuple[RenderRecord, RenderRecord]:
        sha = await self.source.resolve(URL, "main")
        web = RecordingTree(self.source.tree(URL, sha))
        build(web, "/" + WEB.path)
        api = RecordingTree(self.source.tree(URL, sha))
        render_directory(api, "/" + API.path)
        return web.record(WEB, commit=sha), api.record(API, commit=sha)

    async def still_valid_after(self, change: dict[str, FileContent]) -> tuple[bool, bool]:
        web, api = await self.render_both()
        self.repo.commit(change, "change")
        await self.source.fetch(URL)
        tree = self.source.tree(URL, await self.source.resolve(URL, "main"))
        return is_still_valid(web, tree, WEB), is_still_valid(api, tree, API)


@pytest.fixture
def monorepo(git_server: GitServer, tmp_path: Path) -> Monorepo:
    return Monorepo(git_server, tmp_path / "cache")


@pytest.mark.parametrize(
    ("change", "web_valid", "api_valid"),
    [
        ({"apps/api/manifests/cm.yaml": "kind: ConfigMap\nmetadata: {name: api2}\n"}, True, False),
        ({"apps/web/base/deployment.yaml": "kind: Deployment\nmetadata: {name: w2}\n"}, False, True),
        ({"apps/api/manifests/secret.yaml": "kind: Secret\n"}, True, False),  # into a listed dir
        ({"apps/web/base/notes.txt": "not referenced\n"}, True, True),  # the web render listed no dir
        ({"apps/web/overlays/prod/kustomization.yml": "resources: []\n"}, False, True),  # a miss appears
        ({"README.md": "docs\n"}, True, True),
        ({"apps/api/manifests/cm.yaml": None}, True, False),
    ],
)
async def test_a_commit_invalidates_only_what_it_touched(
    monorepo: Monorepo, change: dict[str, FileContent], web_valid: bool, api_valid: bool
) -> None:
    assert await monorepo.still_valid_after(change) == (web_valid, api_valid)


async def test_one_commit_re_renders_only_the_affected_application(monorepo: Monorepo) -> None:
    cache: RenderCache[str] = RenderCache()
    web, api = await monorepo.render_both()
    cache.store("web", web, "web output")
    cache.store("api", api, "api output")
    monorepo.repo.commit({"apps/web/base/deployment.yaml": "kind: Deployment\n"}, "web only")
    await monorepo.source.fetch(URL)
    sha = await monorepo.source.resolve(URL, "main")
    tree = monorepo.source.tree(URL, sha)
    assert cache.lookup("api", tree, API, commit=sha) == "api output"
    assert cache.lookup("web", tree, WEB, commit=sha) is None
    assert cache.stats.invalidated == 1
