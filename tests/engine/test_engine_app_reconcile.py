"""One reconcile of one Application against kubesim and a real Git server."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from tests.support.gitserver import GitServer

from fleetops.adapters.kube import HttpKubeClient
from fleetops.engine import AppEnvironment, reconcile_app
from fleetops.model import GroupVersionKind
from fleetops.ports.kube import NotFound

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


def _cm(name: str, annotations: dict[str, str] | None = None) -> str:
    meta = f"  name: {name}\n"
    if annotations:
        meta += "  annotations:\n" + "".join(f'    {k}: "{v}"\n' for k, v in annotations.items())
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n{meta}data:\n  k: v\n"


def _job(name: str, hook: str) -> str:
    return (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n"
        f"  name: {name}\n  annotations:\n    argocd.argoproj.io/hook: {hook}\n"
        "    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n"
        "spec:\n  template:\n    spec:\n      restartPolicy: Never\n"
        '      containers:\n      - name: run\n        image: busybox:1.36\n        command: ["true"]\n'
    )


async def test_a_manual_sync_runs_hooks_and_waves_in_argo_order_and_clears_the_operation(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer, fleet: Any
) -> None:
    await _ensure_ns(hub, "fleetops")
    repo = git_server.create_repo("waves")
    files = {
        "app/kustomization.yaml": "resources:\n- pre.yaml\n- late.yaml\n- early.yaml\n- post.yaml\n",
        "app/pre.yaml": _job("pre", "PreSync"),
        "app/post.yaml": _job("post", "PostSync"),
        "app/early.yaml": _cm("early", {"argocd.argoproj.io/sync-wave": "-1"}),
        "app/late.yaml": _cm("late", {"argocd.argoproj.io/sync-wave": "1"}),
    }
    sha = repo.commit(files, "waves")
    target = f"t-{uuid.uuid4().hex[:6]}"
    await _ensure_ns(hub, target)
    manifest = application("waves", git_server.url_for("waves"), target)
    manifest["operation"] = {"sync": {"revision": "main"}, "initiatedBy": {"username": "admin"}}
    app = await hub.create(manifest)
    before = fleet["hub"].state.write_log.total
    result = await reconcile_app(app, env)
    assert result.sync_phase == "Succeeded", result.app["status"].get("operationState")
    assert "operation" not in result.app
    state = result.app["status"]["operationState"]
    assert state["phase"] == "Succeeded" and state["syncResult"]["revision"] == sha
    written = [
        (w.verb, w.resource, w.name)
        for w in fleet["hub"].state.write_log.records()[-(fleet["hub"].state.write_log.total - before) :]
        if w.namespace == target
        and (w.field_manager == "fleetops" or w.verb == "delete")
        and w.verb in ("create", "apply", "delete")
    ]
    order = [name for _, _, name in written]
    assert order.index("pre") < order.index("early") < order.index("late") < order.index("post"), written
    assert ("delete", "jobs.batch", "pre") in written
    assert result.app["status"]["history"][-1]["initiatedBy"] == {"username": "admin"}


async def test_an_empty_render_prunes_nothing_without_allow_empty(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer
) -> None:
    await _ensure_ns(hub, "fleetops")
    repo = git_server.create_repo("emptying")
    repo.commit(BASE, "first")
    target = f"t-{uuid.uuid4().hex[:6]}"
    await _ensure_ns(hub, target)
    policy = {"automated": {"prune": True}}
    app = await hub.create(application("emptying", git_server.url_for("emptying"), target, syncPolicy=policy))
    first = await reconcile_app(app, env)
    assert first.sync_phase == "Succeeded"
    repo.commit({"app/kustomization.yaml": "resources: []\n", "app/cm.yaml": None}, "empty")
    second = await reconcile_app(first.app, env, refresh=True)
    assert second.sync_phase is None
    assert second.sync_status == "OutOfSync"
    messages = [c["message"] for c in second.conditions]
    assert any("wipe out all resources" in m for m in messages), messages
    assert await hub.get(CONFIGMAP, "settings", target)


async def test_a_project_violation_blocks_every_write(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer
) -> None:
    await _ensure_ns(hub, "fleetops")
    repo = git_server.create_repo("fenced")
    repo.commit(BASE, "first")
    target = f"t-{uuid.uuid4().hex[:6]}"
    project = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": {"name": "fenced", "namespace": "fleetops"},
        "spec": {"sourceRepos": ["*"], "destinations": [{"server": "*", "namespace": "elsewhere"}]},
    }
    manifest = application("fenced", git_server.url_for("fenced"), target, syncPolicy={"automated": {}})
    manifest["spec"]["project"] = "fenced"
    app = await hub.create(manifest)
    result = await reconcile_app(app, env, project=project)
    assert result.sync_phase is None
    messages = [f"{c['type']}: {c['message']}" for c in result.conditions]
    assert any(m.startswith("InvalidSpecError") and "allowed destinations" in m for m in messages), messages
    assert any(m.startswith("SyncError: Sync refused by the project") for m in messages), messages
    try:
        await hub.get(CONFIGMAP, "settings", target)
        raise AssertionError("the ConfigMap was written despite the project")
    except NotFound:
        pass


async def test_replace_true_writes_with_put_and_server_side_apply_otherwise(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer, fleet: Any
) -> None:
    repo = git_server.create_repo("replaced")
    files = {
        "app/kustomization.yaml": "resources:\n- replaced.yaml\n- applied.yaml\n",
        "app/replaced.yaml": _cm("replaced", {"argocd.argoproj.io/sync-options": "Replace=true"}),
        "app/applied.yaml": _cm("applied"),
    }
    repo.commit(files, "replace")
    target = f"t-{uuid.uuid4().hex[:6]}"
    await _ensure_ns(hub, target)
    app = await hub.create(
        application("replaced", git_server.url_for("replaced"), target, syncPolicy={"automated": {}})
    )
    log = fleet["hub"].state.write_log
    before = log.total
    first = await reconcile_app(app, env)
    assert first.sync_phase == "Succeeded", first.app["status"].get("operationState")
    writes = {(w.name, w.verb) for w in log.records()[-(log.total - before) :] if w.namespace == target}
    assert ("replaced", "create") in writes  # PUT of an absent object: created
    assert ("applied", "apply") in writes
    await hub.patch(CONFIGMAP, "replaced", {"data": {"k": "drifted"}}, target)
    before = log.total
    manifest = dict(first.app)
    manifest["operation"] = {"sync": {}, "initiatedBy": {"username": "admin"}}
    second = await reconcile_app(manifest, env)
    assert second.sync_phase == "Succeeded"
    writes = {(w.name, w.verb) for w in log.records()[-(log.total - before) :] if w.namespace == target}
    assert ("replaced", "update") in writes, writes
    assert (await hub.get(CONFIGMAP, "replaced", target))["data"] == {"k": "v"}
