"""`fleetops app rollback`: GitOps rollback (one commit restoring the application's path, with
auto-sync on) and Argo CD's history rollback (`--history`, auto-sync off), on kubesim with the
hub runtime and a real Git server."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from tests.embedded.hub_thread import SPOKE, HubThread
from tests.support.gitserver import BareRepo, GitServer
from typer.testing import CliRunner, Result

from fleetops.adapters.kube import HttpKubeClient
from fleetops.cli.app import build_app
from fleetops.embedded.runner import hub_config
from fleetops.model import GroupVersionKind

pytestmark = pytest.mark.slow

URL = "https://github.com/org/gitops-config"
DEADLINE = 180.0
DEPLOYMENT = GroupVersionKind("apps", "v1", "Deployment")


def manifest(name: str, image: str) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: 1
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
      - name: {name}
        image: {image}
"""


@pytest.fixture(scope="module")
def repo_and_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BareRepo, HubThread]]:
    root = tmp_path_factory.mktemp("rollback")
    with GitServer(root / "git") as server:
        repo = server.create_repo("gitops-config")
        repo.commit(
            {
                "apps/api/deploy.yaml": manifest("api", "api:1.0"),
                "apps/manual/deploy.yaml": manifest("manual", "manual:1.0"),
                "apps/other/deploy.yaml": manifest("other", "other:1.0"),
            },
            "first",
        )
        with HubThread(root / "hub", rewrites={URL: server.url_for("gitops-config")}) as stack:
            yield repo, stack


@pytest.fixture(scope="module")
def cli(
    repo_and_stack: tuple[BareRepo, HubThread], tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., Result]:
    runner = CliRunner()
    env = {
        "KUBECONFIG": str(repo_and_stack[1].kubeconfig),
        "XDG_CACHE_HOME": str(tmp_path_factory.mktemp("cache")),
    }

    def invoke(*args: str) -> Result:
        return runner.invoke(build_app(), list(args), env=env)

    return invoke


def eventually(check: Callable[[], bool], what: str) -> None:
    """Wait for a condition (a readiness wait with a generous deadline, not a timing assertion)."""
    end = time.monotonic() + DEADLINE
    while not check():
        assert time.monotonic() < end, f"gave up waiting for {what}"
        time.sleep(0.2)


def image(stack: HubThread, name: str) -> str:
    async def get() -> dict[str, Any]:
        async with HttpKubeClient(hub_config(stack.fleet[SPOKE], "apps")) as client:
            return await client.get(DEPLOYMENT, name, "apps")

    try:
        found: dict[str, Any] = stack.call(get())
    except Exception:
        return ""
    return str(found["spec"]["template"]["spec"]["containers"][0]["image"])


def app_json(cli: Callable[..., Result], name: str) -> dict[str, Any]:
    result = cli("app", "get", name, "-o", "json")
    assert result.exit_code == 0, result.output
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def create(cli: Callable[..., Result], name: str, *extra: str) -> None:
    result = cli(
        "app", "create", name, "--repo", URL, "--path", f"apps/{name}", "--revision", "main",
        "--dest-name", SPOKE, "--dest-namespace", "apps", "--sync-option", "CreateNamespace=true", *extra,
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_gitops_rollback_with_auto_sync(
    cli: Callable[..., Result], repo_and_stack: tuple[BareRepo, HubThread]
) -> None:
    repo, stack = repo_and_stack
    create(cli, "api", "--sync-policy", "automated", "--self-heal", "--auto-prune")
    eventually(lambda: image(stack, "api") == "api:1.0", "api synced")
    good = repo.head_of("main")
    bad = repo.commit({"apps/api/deploy.yaml": manifest("api", "api:2.0-broken")}, "api: broken release")
    other = repo.commit({"apps/other/deploy.yaml": manifest("other", "other:2.0")}, "other: release")
    assert cli("app", "get", "api", "--refresh").exit_code == 0
    eventually(lambda: image(stack, "api") == "api:2.0-broken", "the broken release live")
    eventually(lambda: len(app_json(cli, "api")["status"].get("history", [])) >= 2, "a second history entry")

    preview = cli("app", "rollback", "api", "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert bad[:12] in preview.stdout and other[:12] not in preview.stdout
    assert repo.head_of("main") == other  # nothing pushed

    result = cli("app", "rollback", "api")
    assert result.exit_code == 0, result.output
    assert bad[:12] in result.stdout and good[:12] in result.stdout
    head = repo.head_of("main")
    assert head != other
    assert repo.read(head, "apps/api/deploy.yaml") == repo.read(good, "apps/api/deploy.yaml")
    assert repo.read(head, "apps/other/deploy.yaml") == manifest("other", "other:2.0").encode()
    eventually(lambda: image(stack, "api") == "api:1.0", "the rollback live through auto-sync")

    again = cli("app", "rollback", "api", "--to", good)
    assert again.exit_code == 0, again.output
    assert "nothing to roll back" in again.stdout
    assert repo.head_of("main") == head

    refused = cli("app", "rollback", "api", "--history", "0")
    assert refused.exit_code == 2
    assert "auto-sync" in refused.output


def test_history_rollback_without_auto_sync(
    cli: Callable[..., Result], repo_and_stack: tuple[BareRepo, HubThread]
) -> None:
    repo, stack = repo_and_stack
    create(cli, "manual")
    assert cli("app", "sync", "manual", "--timeout", str(DEADLINE)).exit_code == 0
    assert image(stack, "manual") == "manual:1.0"
    repo.commit({"apps/manual/deploy.yaml": manifest("manual", "manual:2.0")}, "manual: 2.0")
    assert cli("app", "get", "manual", "--refresh").exit_code == 0
    eventually(
        lambda: app_json(cli, "manual")["status"]["sync"]["status"] == "OutOfSync", "the new commit seen"
    )
    assert cli("app", "sync", "manual", "--timeout", str(DEADLINE)).exit_code == 0
    assert image(stack, "manual") == "manual:2.0"
    history = app_json(cli, "manual")["status"]["history"]
    first, second = history[0]["revision"], history[-1]["revision"]
    assert first != second and second == repo.head_of("main")

    result = cli("app", "rollback", "manual", "--history", str(history[0]["id"]), "--timeout", str(DEADLINE))
    assert result.exit_code == 0, result.output
    assert "Sync Succeeded" in result.stdout
    assert image(stack, "manual") == "manual:1.0"
    assert app_json(cli, "manual")["status"]["history"][-1]["revision"] == first
