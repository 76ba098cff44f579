"""Git over ssh with a private key from an Argo CD repository Secret, against a local sshd."""

# ruff: noqa: F811  (pytest fixtures imported from tests.support.gitserver are test parameters)

from __future__ import annotations

import subprocess
from pathlib import Path

import pygit2
import pytest
from tests.support.gitserver import (
    SshGitServer,
    ssh_git_server,  # noqa: F401  (fixtures)
)

from fleetops.adapters.git import PygitSource
from fleetops.core.source import AuthenticationError, RepositoryUnreachableError


def ssh_secret(url: str, key: str, *, insecure: bool) -> dict[str, object]:
    data = {"url": url, "sshPrivateKey": key}
    if insecure:
        data["insecure"] = "true"
    return {"metadata": {"labels": {"argocd.argoproj.io/secret-type": "repository"}}, "stringData": data}


async def test_fetch_over_ssh_with_a_key(ssh_git_server: SshGitServer, tmp_path: Path) -> None:
    sha = ssh_git_server.create_repo("config").commit({"a.yaml": "a\n"})
    url = ssh_git_server.url_for("config")
    source = PygitSource(
        tmp_path / "cache", repo_secrets=[ssh_secret(url, ssh_git_server.client_key, insecure=True)]
    )
    assert await source.resolve(url, "main") == sha
    assert source.tree(url, sha).read_bytes("/a.yaml") == b"a\n"


async def test_ssh_host_key_must_be_known(ssh_git_server: SshGitServer, tmp_path: Path) -> None:
    sha = ssh_git_server.create_repo("config").commit({"a.yaml": "a\n"})
    url = ssh_git_server.url_for("config")
    secrets = [ssh_secret(url, ssh_git_server.client_key, insecure=False)]
    previous = pygit2.option(pygit2.enums.Option.GET_HOMEDIR)
    try:
        unknown = PygitSource(tmp_path / "a", repo_secrets=secrets, ssh_known_hosts="")
        with pytest.raises(RepositoryUnreachableError, match="not trusted"):
            await unknown.fetch(url)
        known = PygitSource(
            tmp_path / "b", repo_secrets=secrets, ssh_known_hosts=ssh_git_server.host_key_line()
        )
        assert await known.resolve(url, "main") == sha
    finally:
        pygit2.option(pygit2.enums.Option.SET_HOMEDIR, previous)


async def test_wrong_ssh_key(ssh_git_server: SshGitServer, tmp_path: Path) -> None:
    ssh_git_server.create_repo("config").commit({"a.yaml": "a\n"})
    url = ssh_git_server.url_for("config")
    other = tmp_path / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    source = PygitSource(tmp_path / "cache", repo_secrets=[ssh_secret(url, other.read_text(), insecure=True)])
    with pytest.raises(AuthenticationError):
        await source.fetch(url)
