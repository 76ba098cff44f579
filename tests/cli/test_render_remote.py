"""`fleetops render` with remote bases: fetched like `kubectl kustomize` does, from a real Git
server (smart HTTP) and file:// repositories; refused with --no-remote; clear errors."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support.gitserver import BareRepo, GitServer

from fleetops.adapters.kustomize_disk import DiskFileSystem
from fleetops.adapters.kustomize_remote import GitRemoteBases, build_with_remote_bases
from fleetops.cli import render
from fleetops.core.kustomize import BuildOptions

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
"""
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: {mode}\n"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[GitServer]:
    with GitServer(tmp_path / "srv") as started:
        yield started


@pytest.fixture
def file_repo(tmp_path: Path) -> Path:
    """A bare repository reached through file://, with a `shared` base on `main`."""
    repo = BareRepo(tmp_path / "local" / "shared.git")
    repo.commit(
        {"shared/kustomization.yaml": "resources:\n- cm.yaml\n", "shared/cm.yaml": CM.format(mode="a")}
    )
    return repo.path


@pytest.fixture
def remote_url(server: GitServer, file_repo: Path) -> str:
    """`org/repo` on the HTTP server: tag v1 has `base` (a Deployment and, itself remote, the
    file:// repository's `shared` base); `main` moved on after it."""
    repo = server.create_repo("org/repo")
    v1 = repo.commit(
        {
            "base/kustomization.yaml": f"resources:\n- deployment.yaml\n- file://{file_repo}//shared?ref=main\n"
            "namePrefix: base-\ncommonLabels:\n  tier: web\n",
            "base/deployment.yaml": DEPLOYMENT,
            "outside.yaml": CM.format(mode="outside"),
            "escape/kustomization.yaml": "resources:\n- ../outside.yaml\n",
        },
        "v1",
    )
    repo.tag("v1", v1)
    repo.commit({"base/deployment.yaml": DEPLOYMENT.replace("1.25", "1.26")}, "after v1")
    return server.url_for("org/repo")


def _app(tmp_path: Path, resource: str, extra: str = "") -> Path:
    app = tmp_path / "app"
    app.mkdir(exist_ok=True)
    (app / "kustomization.yaml").write_text(
        f'resources:\n- {resource}\nnamePrefix: prod-\nimages:\n- name: nginx\n  newTag: "1.27"\n{extra}'
    )
    return app


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.mark.parametrize("extra", ["", "buildMetadata: [originAnnotations]\n"])
def test_same_text_as_kubectl_kustomize(
    kubectl: Path, tmp_path: Path, remote_url: str, capsys: pytest.CaptureFixture[str], extra: str
) -> None:
    app = _app(tmp_path, f"{remote_url}//base?ref=v1", extra)
    assert render.main([str(app)]) == 0
    ours = capsys.readouterr()
    theirs = subprocess.run(
        [str(kubectl), "kustomize", str(app)], capture_output=True, text=True, check=False, timeout=120
    )
    assert theirs.returncode == 0, theirs.stderr
    assert ours.out == theirs.stdout
    assert "prod-base-settings" in ours.out and "nginx:1.27" in ours.out and "tier: web" in ours.out


def test_refused_with_no_remote(tmp_path: Path, remote_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    app = _app(tmp_path, f"{remote_url}//base?ref=v1")
    assert render.main([str(app), "--no-remote"]) == 1
    err = capsys.readouterr().err
    assert "remote resources are not enabled" in err and remote_url in err


def test_unknown_ref_names_the_url(
    tmp_path: Path, remote_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = _app(tmp_path, f"{remote_url}//base?ref=v9")
    assert render.main([str(app)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and remote_url in err and "ref 'v9' not found" in err


def test_unreachable_host_names_the_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = "http://127.0.0.1:1/org/repo.git"
    app = _app(tmp_path, f"{url}//base?ref=v1")
    assert render.main([str(app)]) == 1
    err = capsys.readouterr().err
    assert f"failed to fetch remote base {url}" in err


def test_load_restrictions_hold_inside_the_remote_tree(
    tmp_path: Path, remote_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = _app(tmp_path, f"{remote_url}//escape?ref=v1")
    assert render.main([str(app), "--load-restrictor", "LoadRestrictionsNone"]) == 1
    assert "is not in or below '/escape'" in capsys.readouterr().err


def test_each_repository_is_fetched_once_and_the_commits_are_recorded(
    tmp_path: Path, server: GitServer, remote_url: str
) -> None:
    app = _app(tmp_path, f"{remote_url}//base?ref=v1")
    bases = GitRemoteBases(tmp_path / "mirrors")
    fs = DiskFileSystem("/")
    first = build_with_remote_bases(fs, str(app), BuildOptions(), bases)
    second = build_with_remote_bases(fs, str(app), BuildOptions(), bases)
    assert first.manifests == second.manifests
    assert len(server.upload_pack_requests("org/repo")) == 1
    assert {(use.url, use.ref) for use in first.remotes} == {
        (remote_url, "v1"),
        (f"file://{tmp_path / 'local' / 'shared.git'}", "main"),
    }
    assert all(len(use.commit) == 40 for use in first.remotes)
    # a new resolver on the same cache directory fetches again (a ref may have moved)
    build_with_remote_bases(fs, str(app), BuildOptions(), GitRemoteBases(tmp_path / "mirrors"))
    assert len(server.upload_pack_requests("org/repo")) == 2
