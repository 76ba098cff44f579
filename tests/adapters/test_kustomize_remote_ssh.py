"""Remote Kustomize bases over ssh (`ssh://user@host:port/path.git//dir`), with the key from an
Argo CD repository Secret, through `GitRemoteBases(credentials=...)`, against a local sshd."""

# ruff: noqa: F811  (pytest fixtures imported from tests.support.gitserver are test parameters)

from __future__ import annotations

from pathlib import Path

from tests.support.gitserver import (
    SshGitServer,
    ssh_git_server,  # noqa: F401  (fixtures)
)

from fleetops.adapters.git import PygitSource
from fleetops.adapters.kustomize_remote import GitRemoteBases, build_with_remote_bases
from fleetops.core.kustomize import BuildOptions, MemoryFileSystem

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: ssh\n"


def test_a_remote_base_over_ssh(ssh_git_server: SshGitServer, tmp_path: Path) -> None:
    sha = ssh_git_server.create_repo("bases").commit(
        {"base/kustomization.yaml": "resources: [cm.yaml]", "base/cm.yaml": CM}
    )
    url = ssh_git_server.url_for("bases")
    secret = {
        "metadata": {"labels": {"argocd.argoproj.io/secret-type": "repository"}},
        "stringData": {"url": url, "sshPrivateKey": ssh_git_server.client_key, "insecure": "true"},
    }
    source = PygitSource(tmp_path / "source", repo_secrets=[secret])
    bases = GitRemoteBases(tmp_path / "mirrors", credentials=source.credentials)
    kustomization = f"resources:\n- {url}//base?ref=main\nnamePrefix: x-\n"
    app = MemoryFileSystem({"/app/kustomization.yaml": kustomization})
    result = build_with_remote_bases(app, "/app", BuildOptions(), bases)
    assert [m["metadata"]["name"] for m in result.manifests] == ["x-settings"]
    assert [(use.url, use.commit) for use in result.remotes] == [(url, sha)]
