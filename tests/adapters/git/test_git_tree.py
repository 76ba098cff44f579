"""Reading a tree at a commit without a checkout: files, directories, symlinks, escapes."""

# ruff: noqa: F811  (pytest fixtures imported from tests.support.gitserver are test parameters)

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.gitserver import (
    GitServer,
    Symlink,
    git_server,  # noqa: F401  (fixtures)
)

from fleetops.adapters.git import PygitSource
from fleetops.core.kustomize import build
from fleetops.core.source import PathEscapeError, RevisionNotFoundError, git_blob_id

KUSTOMIZATION = b"resources:\n- deployment.yaml\nnamePrefix: prod-\n"
DEPLOYMENT = b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"


@pytest.fixture
async def tree_repo(git_server: GitServer, tmp_path: Path) -> tuple[PygitSource, str, str, str]:
    repo = git_server.create_repo("config")
    old = repo.commit({"apps/web/kustomization.yaml": b"resources: []\n"}, "old")
    sha = repo.commit(
        {
            "apps/web/kustomization.yaml": KUSTOMIZATION,
            "apps/web/deployment.yaml": DEPLOYMENT,
            "apps/web/shared": Symlink("../../base"),
            "apps/web/link.yaml": Symlink("deployment.yaml"),
            "apps/web/escape": Symlink("../../../outside"),
            "apps/web/absolute": Symlink("/etc/passwd"),
            "apps/web/loop": Symlink("loop"),
            "apps/other/x.yaml": b"x: 1\n",
            "base/cm.yaml": b"kind: ConfigMap\n",
        },
        "new",
    )
    source = PygitSource(tmp_path / "cache")
    url = git_server.url_for("config")
    await source.fetch(url)
    return source, url, sha, old


async def test_reads_files_at_a_commit(tree_repo: tuple[PygitSource, str, str, str]) -> None:
    source, url, sha, old = tree_repo
    fs = source.tree(url, sha)
    assert fs.read_bytes("/apps/web/deployment.yaml") == DEPLOYMENT
    assert fs.is_dir("/apps") and fs.is_file("/apps/web/deployment.yaml")
    assert not fs.is_file("/apps") and not fs.is_dir("/apps/web/deployment.yaml")
    assert fs.list_dir("/apps") == ["other", "web"]
    assert fs.list_dir("/") == ["apps", "base"]
    assert fs.content_id("/apps/web/deployment.yaml") == git_blob_id(DEPLOYMENT)
    assert source.tree(url, old).read_bytes("/apps/web/kustomization.yaml") == b"resources: []\n"
    with pytest.raises(FileNotFoundError):
        fs.read_bytes("/apps/web/nope.yaml")
    with pytest.raises(IsADirectoryError):
        fs.read_bytes("/apps/web")


async def test_symlinks_inside_the_root_are_followed(tree_repo: tuple[PygitSource, str, str, str]) -> None:
    source, url, sha, _ = tree_repo
    fs = source.tree(url, sha)
    assert fs.read_bytes("/apps/web/link.yaml") == DEPLOYMENT
    assert fs.content_id("/apps/web/link.yaml") == git_blob_id(DEPLOYMENT)
    assert fs.list_dir("/apps/web/shared") == ["cm.yaml"]
    assert fs.read_bytes("/apps/web/shared/cm.yaml") == b"kind: ConfigMap\n"
    assert fs.real_path("/apps/web/shared/cm.yaml") == "/base/cm.yaml"
    assert fs.real_path("/apps/web/../web/deployment.yaml") == "/apps/web/deployment.yaml"


@pytest.mark.parametrize(
    "path", ["/apps/web/escape", "/apps/web/absolute", "/../etc/passwd", "/apps/../../x"]
)
async def test_escapes_are_refused(tree_repo: tuple[PygitSource, str, str, str], path: str) -> None:
    source, url, sha, _ = tree_repo
    fs = source.tree(url, sha)
    with pytest.raises(PathEscapeError):
        fs.read_bytes(path)
    assert not fs.is_file(path) and not fs.is_dir(path)


async def test_a_subdirectory_root_confines_reads(tree_repo: tuple[PygitSource, str, str, str]) -> None:
    source, url, sha, _ = tree_repo
    fs = source.tree(url, sha, root="/apps/web")
    assert fs.read_bytes("/deployment.yaml") == DEPLOYMENT
    with pytest.raises(PathEscapeError):
        fs.read_bytes("/../other/x.yaml")
    with pytest.raises(PathEscapeError):
        fs.list_dir("/shared")  # inside the repository, but outside this root


async def test_symlink_loop(tree_repo: tuple[PygitSource, str, str, str]) -> None:
    source, url, sha, _ = tree_repo
    with pytest.raises(OSError, match="symbolic links"):
        source.tree(url, sha).read_bytes("/apps/web/loop")


async def test_unknown_commit(tree_repo: tuple[PygitSource, str, str, str]) -> None:
    source, url, _, _ = tree_repo
    with pytest.raises(RevisionNotFoundError):
        source.tree(url, "0" * 40)
    with pytest.raises(RevisionNotFoundError):
        source.tree("https://example.invalid/never-fetched", "0" * 40)


async def test_kustomize_builds_from_the_tree(tree_repo: tuple[PygitSource, str, str, str]) -> None:
    source, url, sha, _ = tree_repo
    result = build(source.tree(url, sha), "/apps/web")
    assert [m["metadata"]["name"] for m in result.manifests] == ["prod-web"]
    assert set(result.files_read) == {"/apps/web/kustomization.yaml", "/apps/web/deployment.yaml"}


async def test_a_root_that_is_not_a_directory(tree_repo: tuple[PygitSource, str, str, str]) -> None:
    source, url, sha, _ = tree_repo
    with pytest.raises(FileNotFoundError):
        source.tree(url, sha, root="/apps/nowhere")
    with pytest.raises(FileNotFoundError):
        source.tree(url, sha, root="/apps/web/deployment.yaml")
    with pytest.raises(PathEscapeError):
        source.tree(url, sha, root="/../x")
    assert source.tree(url, sha, root="/apps/web/shared").list_dir("/") == ["cm.yaml"]  # via a symlink
