"""Remote Kustomize bases in the controller: refused (ComparisonError, nothing applied) unless
the hub's configuration enables them; enabled, they are fetched through the hub's URL rewrites,
so a base written as `https://github.com/org/bases//base?ref=main` comes from a local mirror."""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from pathlib import Path

import pytest
from tests.support.gitserver import GitServer

from fleetops.adapters.git import PygitSource
from fleetops.adapters.kube import HttpKubeClient
from fleetops.engine import AppEnvironment, reconcile_app
from fleetops.model import GroupVersionKind
from fleetops.ports.kube import NotFound
from fleetops.server.config import HubConfig
from fleetops.server.hub import remote_bases

CONFIGMAP = GroupVersionKind("", "v1", "ConfigMap")
BASE_CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n  tier: {tier}\n"
WRITTEN_URL = "https://github.com/org/bases"


def _application(repo: str, target: str) -> dict[str, object]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": f"remote-{target}", "namespace": "fleetops"},
        "spec": {
            "project": "default",
            "source": {"repoURL": repo, "targetRevision": "main", "path": "app"},
            "destination": {"server": "https://kubernetes.default.svc", "namespace": target},
            "syncPolicy": {"automated": {}, "syncOptions": ["CreateNamespace=true"]},
        },
    }


@pytest.fixture
def repos(git_server: GitServer) -> str:
    """A bases repository and a config repository whose kustomization uses the remote base."""
    git_server.create_repo("org/bases").commit(
        {"base/kustomization.yaml": "resources: [cm.yaml]\n", "base/cm.yaml": BASE_CM.format(tier="gold")}
    )
    git_server.create_repo("org/config").commit(
        {"app/kustomization.yaml": f"resources:\n- {WRITTEN_URL}//base?ref=main\nnamePrefix: team-\n"}
    )
    return git_server.url_for("org/config")


async def test_remote_bases_are_refused_unless_enabled(
    env: AppEnvironment, hub: HttpKubeClient, repos: str
) -> None:
    with contextlib.suppress(Exception):
        await hub.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "fleetops"}})
    target = f"r-{uuid.uuid4().hex[:6]}"
    app = await hub.create(_application(repos, target))
    result = await reconcile_app(app, env)
    [condition] = result.conditions
    assert condition["type"] == "ComparisonError"
    assert "remote" in condition["message"] and "github.com/org/bases" in condition["message"]
    with pytest.raises(NotFound):
        await hub.get(CONFIGMAP, "team-shared", target)


async def test_enabled_remote_bases_are_fetched_through_the_hub_rewrites(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer, repos: str, tmp_path: Path
) -> None:
    with contextlib.suppress(Exception):
        await hub.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "fleetops"}})
    rewrites = {WRITTEN_URL: git_server.url_for("org/bases")}
    git = PygitSource(tmp_path / "hub-git", rewrites=rewrites)
    config = HubConfig(git_cache_dir=tmp_path / "hub-git", url_rewrites=rewrites, kustomize_remote_bases=True)
    assert remote_bases(dataclasses.replace(config, kustomize_remote_bases=False), git) is None
    enabled = dataclasses.replace(env, git=git, remote_bases=remote_bases(config, git))
    target = f"r-{uuid.uuid4().hex[:6]}"
    app = await hub.create(_application(repos, target))
    result = await reconcile_app(app, enabled)
    assert result.conditions == [], result.conditions
    assert result.sync_phase == "Succeeded"
    cm = await hub.get(CONFIGMAP, "team-shared", target)
    assert cm["data"] == {"tier": "gold"}
    assert git_server.upload_pack_requests("org/bases"), "the base came from the rewritten URL"
