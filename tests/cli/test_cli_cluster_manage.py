"""`fleetops cluster set-labels | rm | list` on a kubesim hub: labels change on the cluster Secret
(`kubectl label` syntax), `rm` deletes the Secret but refuses while applications target the
cluster (unless --force), `list` shows applications, resources and the shard."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from tests.embedded.hub_thread import NAMESPACE, SPOKE, HubThread
from typer.testing import CliRunner, Result

from fleetops.adapters.kube import HttpKubeClient, config_from_cluster_secret
from fleetops.cli.app import build_app
from fleetops.embedded.runner import hub_config
from fleetops.model import GroupVersionKind

SECRET = GroupVersionKind("", "v1", "Secret")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubThread]:
    with HubThread(tmp_path_factory.mktemp("cluster-manage"), rewrites={}) as running:
        yield running


@pytest.fixture
def cli(stack: HubThread) -> Callable[..., Result]:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(build_app(), list(args), env={"KUBECONFIG": str(stack.kubeconfig)})

    return invoke


def spoke_secret(stack: HubThread) -> dict[str, Any] | None:
    async def listed() -> list[dict[str, Any]]:
        async with HttpKubeClient(hub_config(stack.fleet["hub"], NAMESPACE)) as client:
            found = await client.list(
                SECRET, NAMESPACE, label_selector="argocd.argoproj.io/secret-type=cluster"
            )
            return list(found.items)

    secrets: list[dict[str, Any]] = stack.call(listed())
    return next((s for s in secrets if config_from_cluster_secret(s).name == SPOKE), None)


def create_app(stack: HubThread, name: str, server: str) -> None:
    async def create() -> None:
        async with HttpKubeClient(hub_config(stack.fleet["hub"], NAMESPACE)) as client:
            await client.create(
                {
                    "apiVersion": "argoproj.io/v1alpha1",
                    "kind": "Application",
                    "metadata": {"name": name, "namespace": NAMESPACE},
                    "spec": {
                        "project": "default",
                        "source": {"repoURL": "https://git.example.com/none.git", "path": "x"},
                        "destination": {"server": server, "namespace": "default"},
                    },
                }
            )

    stack.call(create())


def test_set_labels_adds_and_removes(cli: Callable[..., Result], stack: HubThread) -> None:
    done = cli("cluster", "set-labels", SPOKE, "environment=production", "tier=gold")
    assert done.exit_code == 0, done.output
    secret = spoke_secret(stack)
    assert secret is not None
    assert secret["metadata"]["labels"]["environment"] == "production"
    assert secret["metadata"]["labels"]["argocd.argoproj.io/secret-type"] == "cluster"
    done = cli("cluster", "set-labels", stack.fleet[SPOKE].url, "tier-")
    assert done.exit_code == 0, done.output
    secret = spoke_secret(stack)
    assert secret is not None and "tier" not in secret["metadata"]["labels"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["spoke", "=x"], "KEY=VALUE or KEY-"),
        (["spoke", "argocd.argoproj.io/secret-type-"], "marks the Secret as a cluster"),
        (["nowhere", "a=b"], "no cluster with server URL or name"),
    ],
)
def test_set_labels_refuses_bad_input(cli: Callable[..., Result], args: list[str], message: str) -> None:
    done = cli("cluster", "set-labels", *args)
    assert done.exit_code != 0 and message in done.output


def test_list_rm_and_force(cli: Callable[..., Result], stack: HubThread) -> None:
    spoke_url = stack.fleet[SPOKE].url
    create_app(stack, "on-spoke", spoke_url)
    table = cli("cluster", "list")
    assert table.exit_code == 0, table.output
    header = table.stdout.splitlines()[0].split()
    assert header == [
        "SERVER",
        "NAME",
        "VERSION",
        "STATUS",
        "RESOURCES",
        "APPS",
        "SHARD",
        "MESSAGE",
        "LABELS",
    ]
    rows = {row["name"]: row for row in json.loads(cli("cluster", "list", "-o", "json").stdout)}
    assert rows[SPOKE]["applications"] == 1 and rows[SPOKE]["status"] == "Successful"
    assert rows["in-cluster"]["applications"] == 0
    assert {"shard", "resources", "version", "labels"} <= set(rows[SPOKE])

    refused = cli("cluster", "rm", SPOKE)
    assert refused.exit_code == 1 and "on-spoke" in refused.output and "--force" in refused.output
    assert spoke_secret(stack) is not None
    assert cli("cluster", "rm", "in-cluster").exit_code == 2
    removed = cli("cluster", "rm", SPOKE, "--force")
    assert removed.exit_code == 0, removed.output
    assert "will show Unknown: on-spoke" in removed.output
    assert spoke_secret(stack) is None
    assert cli("cluster", "rm", SPOKE).exit_code == 1
