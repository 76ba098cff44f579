"""ApplicationSet Events against kubesim, as Argo CD's ApplicationSet controller records them:
Normal `created`/`Deleted` for each Application written, and a Warning with the ErrorOccurred
reason for a bad template (once per new error, not on every retry)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fleetops.adapters.git import PygitSource
from fleetops.adapters.kube import HttpKubeClient
from fleetops.core.app.kinds import APPLICATION, APPLICATIONSET
from fleetops.engine import AppSetEnvironment, AppSetView, EventRecorder, reconcile_appset
from fleetops.engine.events import APPSET_COMPONENT
from fleetops.model import GroupVersionKind

EVENT = GroupVersionKind("", "v1", "Event")


def _appset(name: str, elements: list[dict[str, Any]], template_name: str) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {"name": name, "namespace": "fleetops"},
        "spec": {
            "generators": [{"list": {"elements": elements}}],
            "template": {
                "metadata": {"name": template_name},
                "spec": {
                    "project": "default",
                    "source": {"repoURL": "https://git.example/org/apps", "path": "{{path}}"},
                    "destination": {"server": "https://kubernetes.default.svc", "namespace": "x"},
                },
            },
        },
    }


def _env(hub: HttpKubeClient, tmp_path: Path) -> AppSetEnvironment:
    return AppSetEnvironment(
        hub=hub,
        git=PygitSource(tmp_path / "git-cache"),
        namespace="fleetops",
        events=EventRecorder(hub, instance="replica-0", component=APPSET_COMPONENT),
    )


async def _run(hub: HttpKubeClient, env: AppSetEnvironment, name: str) -> Any:
    appset = await hub.get(APPLICATIONSET, name, "fleetops")
    apps = (await hub.list(APPLICATION, "fleetops")).items
    return await reconcile_appset(appset, env, AppSetView(applications=apps, projects=[]))


async def _events(hub: HttpKubeClient, appset: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(type, reason, message) of the Events whose involvedObject is `appset`, oldest first."""
    found = []
    for event in (await hub.list(EVENT, "fleetops")).items:
        involved = event["involvedObject"]
        if involved.get("kind") == "ApplicationSet" and involved.get("name") == appset["metadata"]["name"]:
            assert involved["uid"] == appset["metadata"]["uid"]
            assert involved["apiVersion"] == "argoproj.io/v1alpha1"
            assert involved["namespace"] == "fleetops"
            assert event["source"]["component"] == APPSET_COMPONENT
            found.append((event["type"], event["reason"], event["message"]))
    return sorted(found, key=lambda e: e[2])


async def test_create_and_delete_record_normal_events_on_the_appset(
    hub: HttpKubeClient, tmp_path: Path
) -> None:
    env = _env(hub, tmp_path)
    appset = await hub.create(_appset("ev", [{"path": "a"}, {"path": "b"}], "ev-{{path}}"))
    assert sorted((await _run(hub, env, "ev")).created) == ["ev-a", "ev-b"]
    assert await _events(hub, appset) == [
        ("Normal", "created", 'created Application "ev-a"'),
        ("Normal", "created", 'created Application "ev-b"'),
    ]
    await hub.patch(
        APPLICATIONSET, "ev", {"spec": {"generators": [{"list": {"elements": [{"path": "a"}]}}]}}, "fleetops"
    )
    assert (await _run(hub, env, "ev")).deleted == ("ev-b",)
    assert await _events(hub, appset) == [
        ("Normal", "Deleted", 'Deleted Application "ev-b"'),
        ("Normal", "created", 'created Application "ev-a"'),
        ("Normal", "created", 'created Application "ev-b"'),
    ]


async def test_a_bad_template_records_one_warning(hub: HttpKubeClient, tmp_path: Path) -> None:
    env = _env(hub, tmp_path)
    bad = _appset("evbad", [{"path": "a"}], "evbad-{{ .path")  # unterminated action
    bad["spec"]["goTemplate"] = True
    appset = await hub.create(bad)
    result = await _run(hub, env, "evbad")
    assert result.error and result.created == ()
    events = await _events(hub, appset)
    assert len(events) == 1
    kind, reason, message = events[0]
    assert (kind, reason) == ("Warning", "RenderTemplateParamsError")
    assert message == result.error
    await _run(hub, env, "evbad")
    assert len(await _events(hub, appset)) == 1, "the same error again: no second Warning"
