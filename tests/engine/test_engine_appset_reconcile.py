"""`reconcile_appset` against kubesim (the hub) and a real Git server: git directories generator
read at the resolved commit (a new commit seen after a refresh), creates/updates/deletes with owner
references, applicationsSync policies, RollingSync sync requests, and errors that write nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.support.gitserver import GitServer

from fleetops.adapters.git import PygitSource
from fleetops.adapters.kube import HttpKubeClient
from fleetops.core.app.kinds import APPLICATION, APPLICATIONSET
from fleetops.engine import AppSetEnvironment, AppSetView, reconcile_appset
from fleetops.model import manifest
from fleetops.ports.kube import AlreadyExists

URL = "https://git.example/org/apps"


def _appset(name: str, generators: list[dict[str, Any]], template_name: str, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {"name": name, "namespace": "fleetops"},
        "spec": {
            "generators": generators,
            "template": {
                "metadata": {"name": template_name, "labels": {"set": name}},
                "spec": {
                    "project": "default",
                    "source": {"repoURL": URL, "path": "{{path}}"},
                    "destination": {"server": "https://kubernetes.default.svc", "namespace": "x"},
                    "syncPolicy": {"automated": {"prune": True}},
                },
            },
            **spec,
        },
    }


async def _run(hub: HttpKubeClient, env: AppSetEnvironment, name: str, *, refresh: bool = False) -> Any:
    appset = await hub.get(APPLICATIONSET, name, "fleetops")
    apps = (await hub.list(APPLICATION, "fleetops")).items
    return await reconcile_appset(appset, env, AppSetView(applications=apps, projects=[]), refresh=refresh)


async def _owned(hub: HttpKubeClient, name: str) -> dict[str, dict[str, Any]]:
    apps = (await hub.list(APPLICATION, "fleetops", label_selector=f"set={name}")).items
    return {manifest.name(a): dict(a) for a in apps}


def _env(hub: HttpKubeClient, git_server: GitServer, tmp_path: Path) -> AppSetEnvironment:
    git = PygitSource(tmp_path / "git-cache", rewrites={URL: git_server.url_for("apps")})
    return AppSetEnvironment(hub=hub, git=git, namespace="fleetops")


async def test_git_directories_create_then_delete_after_a_new_commit(
    hub: HttpKubeClient, git_server: GitServer, tmp_path: Path
) -> None:
    repo = git_server.create_repo("apps")
    repo.commit(
        {"apps/one/cm.yaml": "kind: ConfigMap\n", "apps/two/cm.yaml": "kind: ConfigMap\n"}, "two apps"
    )
    env = _env(hub, git_server, tmp_path)
    generators = [{"git": {"repoURL": URL, "revision": "HEAD", "directories": [{"path": "apps/*"}]}}]
    created = await hub.create(_appset("dirs", generators, "dirs-{{path.basename}}"))
    result = await _run(hub, env, "dirs")
    assert result.error == ""
    assert sorted(result.created) == ["dirs-one", "dirs-two"]
    assert result.requeue_after == 180.0
    owned = await _owned(hub, "dirs")
    assert owned["dirs-one"]["metadata"]["ownerReferences"][0]["uid"] == created["metadata"]["uid"]
    assert owned["dirs-one"]["spec"]["source"]["path"] == "apps/one"

    repo.commit({"apps/two/cm.yaml": None}, "remove two")
    assert (await _run(hub, env, "dirs")).deleted == (), "no refresh: the cached commit"
    result = await _run(hub, env, "dirs", refresh=True)
    assert result.deleted == ("dirs-two",)
    owned = await _owned(hub, "dirs")
    assert owned["dirs-two"]["metadata"]["deletionTimestamp"], "deleted; its resources finalizer runs"
    assert "deletionTimestamp" not in owned["dirs-one"]["metadata"]
    status = (await hub.get(APPLICATIONSET, "dirs", "fleetops"))["status"]
    assert {c["type"]: c["status"] for c in status["conditions"]} == {
        "ErrorOccurred": "False",
        "ParametersGenerated": "True",
        "ResourcesUpToDate": "True",
    }


async def test_an_unknown_revision_writes_nothing(
    hub: HttpKubeClient, git_server: GitServer, tmp_path: Path
) -> None:
    repo = git_server.create_repo("apps")
    repo.commit({"apps/one/cm.yaml": "kind: ConfigMap\n"}, "one")
    env = _env(hub, git_server, tmp_path)
    generators = [{"git": {"repoURL": URL, "revision": "nope", "directories": [{"path": "apps/*"}]}}]
    await hub.create(_appset("norev", generators, "norev-{{path.basename}}"))
    result = await _run(hub, env, "norev")
    assert "cannot read revision 'nope'" in result.error
    assert result.created == () and await _owned(hub, "norev") == {}
    conditions = {
        c["type"]: c for c in (await hub.get(APPLICATIONSET, "norev", "fleetops"))["status"]["conditions"]
    }
    assert conditions["ErrorOccurred"]["reason"] == "ApplicationGenerationFromParamsError"


async def test_create_only_never_updates(hub: HttpKubeClient, git_server: GitServer, tmp_path: Path) -> None:
    env = _env(hub, git_server, tmp_path)
    generators = [{"list": {"elements": [{"path": "a"}]}}]
    await hub.create(
        _appset("once", generators, "once-{{path}}", syncPolicy={"applicationsSync": "create-only"})
    )
    assert (await _run(hub, env, "once")).created == ("once-a",)
    await hub.patch(
        APPLICATIONSET,
        "once",
        {"spec": {"template": {"spec": {"source": {"path": "b-{{path}}"}}}}},
        "fleetops",
    )
    result = await _run(hub, env, "once")
    assert result.updated == () and result.created == ()
    assert (await _owned(hub, "once"))["once-a"]["spec"]["source"]["path"] == "a"


async def test_rolling_sync_turns_automation_off_and_requests_syncs(
    hub: HttpKubeClient, git_server: GitServer, tmp_path: Path
) -> None:
    env = _env(hub, git_server, tmp_path)
    generators = [{"list": {"elements": [{"path": "r1", "wave": "1"}, {"path": "r2", "wave": "2"}]}}]
    appset = _appset("roll", generators, "roll-{{path}}")
    appset["spec"]["template"]["metadata"]["labels"]["wave"] = "{{wave}}"
    appset["spec"]["strategy"] = {
        "type": "RollingSync",
        "rollingSync": {
            "steps": [{"matchExpressions": [{"key": "wave", "operator": "In", "values": [w]}]} for w in "12"]
        },
    }
    await hub.create(appset)
    await _run(hub, env, "roll")
    owned = await _owned(hub, "roll")
    assert all("automated" not in a["spec"]["syncPolicy"] for a in owned.values())
    # The Application controller has compared them: both OutOfSync.
    for name in owned:
        await hub.patch_status(APPLICATION, name, {"status": {"sync": {"status": "OutOfSync"}}}, "fleetops")
    result = await _run(hub, env, "roll")
    assert result.synced == ("roll-r1",)
    owned = await _owned(hub, "roll")
    assert owned["roll-r1"]["operation"]["initiatedBy"]["username"] == "applicationset-controller"
    assert owned["roll-r1"]["operation"]["sync"] == {"prune": True}
    assert "operation" not in owned["roll-r2"]
    status = (await hub.get(APPLICATIONSET, "roll", "fleetops"))["status"]
    assert [(e["application"], e["status"]) for e in status["applicationStatus"]] == [
        ("roll-r1", "Pending"),
        ("roll-r2", "Waiting"),
    ]
    assert status["rollout"]["step"] == 1 and status["rollout"]["waitingFor"] == ["roll-r1"]
    assert (await _run(hub, env, "roll")).synced == (), "the request is pending: not written twice"


async def test_a_stale_view_is_retried_not_reported(
    hub: HttpKubeClient, git_server: GitServer, tmp_path: Path
) -> None:
    env = _env(hub, git_server, tmp_path)
    await hub.create(_appset("stale", [{"list": {"elements": [{"path": "s"}]}}], "stale-{{path}}"))
    assert (await _run(hub, env, "stale")).created == ("stale-s",)
    appset = await hub.get(APPLICATIONSET, "stale", "fleetops")
    with pytest.raises(AlreadyExists):
        await reconcile_appset(appset, env, AppSetView(applications=[], projects=[]))
    conditions = (await hub.get(APPLICATIONSET, "stale", "fleetops"))["status"]["conditions"]
    assert {c["type"]: c["status"] for c in conditions}["ErrorOccurred"] == "False"
