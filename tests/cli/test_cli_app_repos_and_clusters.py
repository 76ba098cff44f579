"""`fleetops repo add|list` and `fleetops cluster add|list` on a kubesim hub: Argo CD repository
and cluster Secrets in the control-plane namespace; credentials are stored, never printed."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from tests.embedded.hub_thread import NAMESPACE, SPOKE, HubThread
from typer.testing import CliRunner, Result

from fleetops.adapters.kube import HttpKubeClient, config_from_cluster_secret
from fleetops.cli.app import build_app
from fleetops.core.source import credentials_from_secret
from fleetops.embedded.runner import hub_config
from fleetops.model import GroupVersionKind

SECRET = GroupVersionKind("", "v1", "Secret")
PASSWORD = "s3cret-repo-password"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubThread]:
    with HubThread(tmp_path_factory.mktemp("repos-clusters"), rewrites={}) as running:
        yield running


@pytest.fixture
def cli(stack: HubThread) -> Callable[..., Result]:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(build_app(), list(args), env={"KUBECONFIG": str(stack.kubeconfig)})

    return invoke


def hub_secrets(stack: HubThread, secret_type: str) -> list[dict[str, Any]]:
    async def listed() -> list[dict[str, Any]]:
        async with HttpKubeClient(hub_config(stack.fleet["hub"], NAMESPACE)) as client:
            found = await client.list(
                SECRET, NAMESPACE, label_selector=f"argocd.argoproj.io/secret-type={secret_type}"
            )
            return list(found.items)

    result: list[dict[str, Any]] = stack.call(listed())
    return result


def test_repo_add_stores_credentials_and_list_never_prints_them(
    cli: Callable[..., Result], stack: HubThread, tmp_path: Any
) -> None:
    url = "https://git.example.com/org/private.git"
    added = cli("repo", "add", url, "--username", "deploy", "--password", PASSWORD, "--name", "private")
    assert added.exit_code == 0, added.output
    key = tmp_path / "id_ed25519"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----\n")
    ssh = cli("repo", "add", "ssh://git@git.example.com/org/other.git", "--ssh-private-key-path", str(key))
    assert ssh.exit_code == 0, ssh.output
    stored = [credentials_from_secret(s) for s in hub_secrets(stack, "repository")]
    by_url = {c.url: c for c in stored if c is not None}
    assert by_url[url].username == "deploy" and by_url[url].password == PASSWORD
    assert "not-a-real-key" in by_url["ssh://git@git.example.com/org/other.git"].ssh_private_key
    for output in ("table", "json", "yaml"):
        listed = cli("repo", "list", "-o", output)
        assert listed.exit_code == 0, listed.output
        assert url in listed.stdout
        assert PASSWORD not in listed.output and "not-a-real-key" not in listed.output
    rows = {r["repo"]: r for r in json.loads(cli("repo", "list", "-o", "json").stdout)}
    assert rows[url]["creds"] is True and rows[url]["name"] == "private"


def test_cluster_add_registers_a_service_account_token(cli: Callable[..., Result], stack: HubThread) -> None:
    added = cli("cluster", "add", SPOKE, "--label", "environment=test", "--label", "region=local")
    assert added.exit_code == 0, added.output
    (secret,) = [s for s in hub_secrets(stack, "cluster") if config_from_cluster_secret(s).name == SPOKE]
    assert secret["metadata"]["labels"]["environment"] == "test"
    config = config_from_cluster_secret(secret)
    assert config.server == stack.fleet[SPOKE].url
    assert config.token and config.token != stack.fleet[SPOKE].token  # a ServiceAccount token

    async def whoami() -> str:
        async with HttpKubeClient(config) as client:
            return str((await client.server_version()).git_version)

    assert stack.call(whoami())
    listed = cli("cluster", "list")
    assert listed.exit_code == 0, listed.output
    rows = [line.split() for line in listed.stdout.splitlines()]
    assert rows[1][:2] == ["https://kubernetes.default.svc", "in-cluster"]
    spoke_row = next(row for row in rows if row[:2] == [config.server, SPOKE])
    assert "Successful" in spoke_row and "environment=test,region=local" in spoke_row
    assert config.token not in listed.output
