"""The first sync takes over fields `kubectl apply` (client-side) and Argo CD (server-side, manager
`argocd-controller`) own: what Git dropped goes away, the old managers and last-applied too."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from pathlib import Path
from typing import Any

from tests.support.gitserver import GitServer
from tests.support.shared import kubectl_path

from fleetops.adapters.kube import HttpKubeClient
from fleetops.core.diff import TAKEOVER_MANAGERS
from fleetops.engine import AppEnvironment, reconcile_app
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.kubeconfig import write_kubeconfig
from fleetops.model import GroupVersionKind

DEPLOYMENT = GroupVersionKind("apps", "v1", "Deployment")
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def _deployment(name: str, *, extra: bool) -> str:
    label = "    legacy: old\n" if extra else ""
    env = "        - name: OLD\n          value: gone\n" if extra else ""
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
        f"  name: {name}\n  labels:\n    app: {name}\n{label}"
        f"spec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: {name}\n"
        f"  template:\n    metadata:\n      labels:\n        app: {name}\n"
        "    spec:\n      containers:\n      - name: main\n        image: nginx:1.27\n"
        f"        env:\n        - name: KEEP\n          value: kept\n{env}"
    )


async def _kubectl(kubeconfig: Path, *args: str, stdin: str) -> None:
    process = await asyncio.create_subprocess_exec(
        str(kubectl_path()),
        "--kubeconfig",
        str(kubeconfig),
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await process.communicate(stdin.encode())
    assert process.returncode == 0, f"kubectl {' '.join(args)}: {err.decode()}"


def _application(name: str, repo: str, namespace: str) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": name, "namespace": "fleetops"},
        "spec": {
            "project": "default",
            "source": {"repoURL": repo, "targetRevision": "main", "path": "app"},
            "destination": {"server": "https://kubernetes.default.svc", "namespace": namespace},
            "syncPolicy": {"automated": {"prune": True, "selfHeal": True}},
        },
    }


async def test_the_first_sync_takes_over_kubectl_and_argocd_fields(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer, fleet: Fleet, tmp_path: Path
) -> None:
    target = f"t-{uuid.uuid4().hex[:6]}"
    with contextlib.suppress(Exception):
        await hub.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": target}})
    kubeconfig = tmp_path / "kubeconfig"
    write_kubeconfig(kubeconfig, [fleet["hub"]], current="hub")
    await _kubectl(kubeconfig, "apply", "-n", target, "-f", "-", stdin=_deployment("csa", extra=True))
    await _kubectl(
        kubeconfig,
        "apply",
        "-n",
        target,
        "--server-side",
        "--field-manager=argocd-controller",
        "-f",
        "-",
        stdin=_deployment("ssa", extra=True),
    )
    before = await hub.get(DEPLOYMENT, "csa", target)
    assert LAST_APPLIED in before["metadata"]["annotations"]
    assert "kubectl-client-side-apply" in {e["manager"] for e in before["metadata"]["managedFields"]}

    repo = git_server.create_repo("takeover")
    repo.commit(
        {
            "app/kustomization.yaml": "resources:\n- csa.yaml\n- ssa.yaml\n",
            "app/csa.yaml": _deployment("csa", extra=False),
            "app/ssa.yaml": _deployment("ssa", extra=False),
        },
        "git drops the legacy label and the OLD env var",
    )
    app = await hub.create(_application("takeover", git_server.url_for("takeover"), target))
    result = await reconcile_app(app, env)
    assert result.sync_phase == "Succeeded", result.app["status"].get("operationState")

    for name in ("csa", "ssa"):
        live = await hub.get(DEPLOYMENT, name, target)
        metadata = live["metadata"]
        assert "legacy" not in metadata.get("labels", {}), (name, metadata["managedFields"])
        assert LAST_APPLIED not in (metadata.get("annotations") or {}), name
        container = live["spec"]["template"]["spec"]["containers"][0]
        assert [e["name"] for e in container["env"]] == ["KEEP"], (name, container)
        managers = {e["manager"] for e in metadata["managedFields"] if not e.get("subresource")}
        assert not managers & set(TAKEOVER_MANAGERS), (name, metadata["managedFields"])
        assert "fleetops" in managers

    again = await reconcile_app(result.app, env)
    assert again.sync_status == "Synced", again.app["status"].get("resources")
    assert again.app["status"]["sync"]["status"] == "Synced"
