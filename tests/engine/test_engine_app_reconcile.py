"""One reconcile of one Application against kubesim and a real Git server."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from tests.support.gitserver import GitServer

from fleetops.adapters.kube import HttpKubeClient
from fleetops.engine import AppEnvironment, reconcile_app
from fleetops.model import GroupVersionKind

APPLICATION = GroupVersionKind("argoproj.io", "v1alpha1", "Application")
DEPLOYMENT = GroupVersionKind("apps", "v1", "Deployment")
CONFIGMAP = GroupVersionKind("", "v1", "ConfigMap")

BASE = {
    "app/kustomization.yaml": "resources:\n- cm.yaml\n",
    "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n",
}


def application(name: str, repo: str, namespace: str, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": name, "namespace": "fleetops"},
        "spec": {
            "project": "default",
            "source": {"repoURL": repo, "targetRevision": "main", "path": "app"},
            "destination": {"server": "https://kubernetes.default.svc", "namespace": namespace},
            **spec,
        },
    }


async def _ensure_ns(hub: HttpKubeClient, name: str) -> None:
    with contextlib.suppress(Exception):
        await hub.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})


async def test_automated_sync_creates_the_namespace_and_applies(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer
) -> None:
    await _ensure_ns(hub, "fleetops")
    repo = git_server.create_repo("cfg")
    sha = repo.commit(BASE, "first")
    target = f"t-{uuid.uuid4().hex[:6]}"
    app = await hub.create(
        application(
            "a1",
            git_server.url_for("cfg"),
            target,
            syncPolicy={
                "automated": {"prune": True, "selfHeal": True},
                "syncOptions": ["CreateNamespace=true"],
            },
        )
    )
    result = await reconcile_app(app, env)
    assert result.conditions == [], result.conditions
    assert result.sync_phase == "Succeeded", result.app["status"].get("operationState")
    assert result.sync_status == "Synced"
    cm = await hub.get(CONFIGMAP, "settings", target)
    assert (
        cm["metadata"]["annotations"]["argocd.argoproj.io/tracking-id"] == f"a1:/ConfigMap:{target}/settings"
    )
    status = result.app["status"]
    assert status["sync"]["revision"] == sha
    assert status["operationState"]["phase"] == "Succeeded"
    assert status["history"][0]["revision"] == sha
