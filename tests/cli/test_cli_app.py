"""`fleetops app …` on a real hub: kubesim (hub + spoke), a real Git server (smart HTTP), the
hub runtime on a background thread; the CLI driven through typer's CliRunner, as a user would.
Repository URLs name `https://github.com/org/gitops-config` and reach the local server through
the hub's URL rewriting (`fleetops-cm`)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.embedded.hub_thread import SPOKE, HubThread
from tests.support.gitserver import GitServer
from tests.support.shared import SHARED_DIR
from typer.testing import CliRunner, Result

from fleetops.adapters.kube import HttpKubeClient
from fleetops.cli.app import build_app
from fleetops.embedded import sample_repo
from fleetops.embedded.runner import hub_config
from fleetops.model import GroupVersionKind
from fleetops.ports.kube import NotFound

pytestmark = pytest.mark.slow

SEED_URL = "https://github.com/org/gitops-config"
SEED_APPLICATION = SHARED_DIR / "seed" / "examples" / "application.yaml"
PASSWORD = "hunter2-very-secret"
DEADLINE = 180.0

WEB = {
    "apps/web/kustomization.yaml": "resources:\n- deployment.yaml\n- service.yaml\n- secret.yaml\n",
    "apps/web/deployment.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
""",
    "apps/web/service.yaml": """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
""",
    "apps/web/secret.yaml": f"""apiVersion: v1
kind: Secret
metadata:
  name: web-credentials
type: Opaque
data:
  password: {base64.b64encode(PASSWORD.encode()).decode()}
""",
}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubThread]:
    root = tmp_path_factory.mktemp("cli-app")
    with GitServer(root / "git") as server:
        repo = server.create_repo("gitops-config")
        repo.commit({**sample_repo.files(), **WEB}, "sample fleet and a web app")
        with HubThread(root / "hub", rewrites={SEED_URL: server.url_for("gitops-config")}) as running:
            yield running


@pytest.fixture(scope="module")
def cli(stack: HubThread, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Result]:
    runner = CliRunner()
    env = {
        "KUBECONFIG": str(stack.kubeconfig),
        "XDG_CACHE_HOME": str(tmp_path_factory.mktemp("cache")),
        "COLUMNS": "200",
    }

    def invoke(*args: str) -> Result:
        return runner.invoke(build_app(), list(args), env=env)

    return invoke


def app_json(cli: Callable[..., Result], name: str) -> dict[str, Any]:
    result = cli("app", "get", name, "-o", "json")
    assert result.exit_code == 0, result.output
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def eventually(check: Callable[[], bool], what: str, deadline: float = DEADLINE) -> None:
    """Wait for a condition (a readiness wait with a generous deadline, not a timing assertion)."""
    end = time.monotonic() + deadline
    while not check():
        assert time.monotonic() < end, f"gave up waiting for {what}"
        time.sleep(0.2)


def spoke_object(stack: HubThread, gvk: GroupVersionKind, name: str, namespace: str) -> dict[str, Any] | None:
    async def get() -> dict[str, Any] | None:
        async with HttpKubeClient(hub_config(stack.fleet[SPOKE], namespace)) as client:
            try:
                return await client.get(gvk, name, namespace)
            except NotFound:
                return None

    found: dict[str, Any] | None = stack.call(get())
    return found


DEPLOYMENT = GroupVersionKind("apps", "v1", "Deployment")


def test_create_from_flags_then_list_and_get(cli: Callable[..., Result]) -> None:
    result = cli(
        "app", "create", "web", "--repo", SEED_URL, "--path", "apps/web", "--revision", "main",
        "--dest-name", SPOKE, "--dest-namespace", "web", "--sync-option", "CreateNamespace=true",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "application web created" in result.stdout
    listed = cli("app", "list")
    assert listed.exit_code == 0, listed.output
    header, *rows = listed.stdout.splitlines()
    assert header.split() == [
        "NAME", "CLUSTER", "NAMESPACE", "PROJECT", "STATUS", "HEALTH", "SYNCPOLICY", "CONDITIONS", "REPO",
        "PATH", "TARGET",
    ]  # fmt: skip
    row = next(line.split() for line in rows if line.startswith("web "))
    assert row[1:4] == [SPOKE, "web", "default"]
    assert "Manual" in row and SEED_URL in row and "apps/web" in row and "main" in row
    spec = app_json(cli, "web")["spec"]
    assert spec["destination"] == {"name": SPOKE, "namespace": "web"}
    assert spec["syncPolicy"] == {"syncOptions": ["CreateNamespace=true"]}
    eventually(lambda: app_json(cli, "web").get("status", {}).get("sync", {}).get("status") == "OutOfSync",
               "the controller to compare web")  # fmt: skip


def test_diff_exits_1_with_a_difference_and_masks_secret_values(cli: Callable[..., Result]) -> None:
    result = cli("app", "diff", "web")
    assert result.exit_code == 1, result.output
    assert "web-credentials" in result.stdout and "Deployment" in result.stdout
    assert PASSWORD not in result.output
    assert base64.b64encode(PASSWORD.encode()).decode() not in result.output


def test_manifests_from_git_mask_secrets(cli: Callable[..., Result]) -> None:
    result = cli("app", "manifests", "web")
    assert result.exit_code == 0, result.output
    assert "kind: Secret" in result.stdout and "name: web-credentials" in result.stdout
    assert "argocd.argoproj.io/tracking-id: web:apps/Deployment:web/web" in result.stdout
    assert PASSWORD not in result.output
    assert base64.b64encode(PASSWORD.encode()).decode() not in result.output


def test_sync_dry_run_writes_nothing(cli: Callable[..., Result], stack: HubThread) -> None:
    result = cli("app", "sync", "web", "--dry-run")
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines()]
    assert ["apps", "Deployment", "web", "web", "OutOfSync", "create"] in rows
    assert "operationState" not in app_json(cli, "web").get("status", {})
    assert spoke_object(stack, DEPLOYMENT, "web", "web") is None


def test_sync_writes_an_operation_and_waits_for_it(cli: Callable[..., Result], stack: HubThread) -> None:
    result = cli("app", "sync", "web", "--timeout", str(DEADLINE))
    assert result.exit_code == 0, result.output
    assert "Operation: Sync Succeeded" in result.stdout
    assert spoke_object(stack, DEPLOYMENT, "web", "web") is not None
    state = app_json(cli, "web")["status"]["operationState"]
    assert state["operation"]["initiatedBy"].get("username")
    waited = cli("app", "wait", "web", "--sync", "--health", "--timeout", str(DEADLINE))
    assert waited.exit_code == 0, waited.output
    assert cli("app", "diff", "web").exit_code == 0


def test_live_manifests_mask_secrets(cli: Callable[..., Result]) -> None:
    result = cli("app", "manifests", "web", "--source", "live")
    assert result.exit_code == 0, result.output
    assert "name: web-credentials" in result.stdout and "uid:" in result.stdout
    assert PASSWORD not in result.output
    assert base64.b64encode(PASSWORD.encode()).decode() not in result.output


def test_history_lists_the_sync(cli: Callable[..., Result]) -> None:
    result = cli("app", "history", "web")
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header.split()[:3] == ["ID", "DATE", "REVISION"]
    revision = app_json(cli, "web")["status"]["sync"]["revision"]
    assert any(row.split()[0] == "0" and revision in row for row in rows), result.stdout


def test_get_shows_fields_and_resources(cli: Callable[..., Result]) -> None:
    result = cli("app", "get", "web")
    assert result.exit_code == 0, result.output
    assert "Name:           fleetops/web" in result.stdout
    assert "Sync Status:    Synced" in result.stdout
    assert any(
        line.split()[:4] == ["apps", "Deployment", "web", "web"] for line in result.stdout.splitlines()
    )


def test_drift_shows_in_diff_without_self_heal(cli: Callable[..., Result], stack: HubThread) -> None:
    async def scale() -> None:
        async with HttpKubeClient(hub_config(stack.fleet[SPOKE], "web")) as client:
            await client.patch(
                DEPLOYMENT, "web", {"spec": {"replicas": 3}}, "web", field_manager="kubectl-edit"
            )

    stack.call(scale())
    eventually(lambda: app_json(cli, "web")["status"]["sync"]["status"] == "OutOfSync", "drift to be seen")
    result = cli("app", "diff", "web")
    assert result.exit_code == 1, result.output
    assert "replicas" in result.stdout


def test_wait_times_out_with_exit_1(cli: Callable[..., Result]) -> None:
    created = cli(
        "app", "create", "broken", "--repo", SEED_URL, "--path", "apps/missing", "--dest-name", SPOKE,
        "--dest-namespace", "web",
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    result = cli("app", "wait", "broken", "--health", "--sync", "--timeout", "2")
    assert result.exit_code == 1
    assert "timed out" in result.output


def test_diff_exits_2_on_error(cli: Callable[..., Result]) -> None:
    assert cli("app", "diff", "no-such-app").exit_code == 2
    result = cli("app", "diff", "broken")
    assert result.exit_code == 2, result.output
    assert "apps/missing" in result.output


def test_create_twice_needs_upsert(cli: Callable[..., Result], tmp_path: Path) -> None:
    again = cli("app", "create", "web", "--repo", SEED_URL, "--path", "apps/web", "--dest-name", SPOKE)
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_seed_application_unchanged_syncs_on_the_hub(cli: Callable[..., Result]) -> None:
    result = cli("app", "create", "-f", str(SEED_APPLICATION))
    assert result.exit_code == 0, result.output
    waited = cli("app", "wait", "payment-service", "--sync", "--health", "--timeout", str(DEADLINE))
    assert waited.exit_code == 0, waited.output
    history = cli("app", "rollback", "payment-service", "--history", "0")
    assert history.exit_code == 2
    assert "auto-sync" in history.output


def test_delete_with_cascade_removes_the_resources(cli: Callable[..., Result], stack: HubThread) -> None:
    result = cli("app", "delete", "web")
    assert result.exit_code == 0, result.output
    assert "deleted Deployment/web in web" in result.stdout
    eventually(lambda: spoke_object(stack, DEPLOYMENT, "web", "web") is None, "the Deployment to go")
    assert cli("app", "get", "web").exit_code == 1
