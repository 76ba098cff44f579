"""Bad ApplicationSets: duplicate names, a template error, an unknown cluster, a git revision that
does not exist, a bad strategy. Each becomes the `ErrorOccurred` condition with Argo CD's reason,
and kubesim's write log shows that no Application was created, updated or deleted."""

from __future__ import annotations

from typing import Any

from scenario_support import APPLICATION, SEED_URL, Scenario, eventually

from fleetops.engine.appset_reconcile import FIELD_MANAGER
from fleetops.model import GroupVersionKind

APPLICATIONSET = GroupVersionKind("argoproj.io", "v1alpha1", "ApplicationSet")


def _appset(
    name: str,
    generators: list[dict[str, Any]],
    template_name: str,
    *,
    server: str = "https://kubernetes.default.svc",
    **spec: Any,
) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {"name": name, "namespace": "fleetops"},
        "spec": {
            "generators": generators,
            "template": {
                "metadata": {"name": template_name},
                "spec": {
                    "project": "default",
                    "source": {"repoURL": SEED_URL, "path": "apps/payment-service/base"},
                    "destination": {"server": server, "namespace": "demo"},
                },
            },
            **spec,
        },
    }


def _list(*names: str) -> list[dict[str, Any]]:
    return [{"list": {"elements": [{"cluster": n} for n in names]}}]


BAD = {
    "duplicates": (
        _appset("duplicates", _list("a", "a"), "{{cluster}}-dup"),
        "ApplicationGenerationFromParamsError",
        "ApplicationSet duplicates contains applications with duplicate name: a-dup",
    ),
    "missing-key": (
        _appset(
            "missing-key",
            _list("a"),
            "{{ .nope }}-x",
            goTemplate=True,
            goTemplateOptions=["missingkey=error"],
        ),
        "RenderTemplateParamsError",
        "nope",
    ),
    "unknown-cluster": (
        _appset("unknown-cluster", _list("a"), "{{cluster}}-far", server="https://nowhere.invalid:6443"),
        "ApplicationValidationError",
        "there are no clusters with this URL or name: https://nowhere.invalid:6443",
    ),
    "bad-revision": (
        _appset(
            "bad-revision",
            [
                {
                    "git": {
                        "repoURL": SEED_URL,
                        "revision": "no-such-branch",
                        "directories": [{"path": "apps/*"}],
                    }
                }
            ],
            "{{path.basename}}",
        ),
        "ApplicationGenerationFromParamsError",
        "no-such-branch",
    ),
    "bad-strategy": (
        _appset(
            "bad-strategy",
            _list("a"),
            "{{cluster}}-s",
            strategy={"type": "RollingSync", "rollingSync": {"steps": [{"maxUpdate": "ten"}]}},
        ),
        "ApplicationValidationError",
        "maxUpdate 'ten' is not an integer or N%",
    ),
}


async def _condition(scenario: Scenario, name: str, kind: str) -> dict[str, Any] | None:
    appset = await scenario.hub.get(APPLICATIONSET, name, "fleetops")
    for condition in (appset.get("status") or {}).get("conditions") or []:
        if condition["type"] == kind:
            return dict(condition)
    return None


async def _application_writes(scenario: Scenario) -> list[dict[str, Any]]:
    """Writes of Applications by the ApplicationSet controller (not the Application controller's)."""
    return [
        w
        for w in await scenario.writes("hub")
        if w["resource"] == "applications.argoproj.io"
        and (w["verb"] in ("create", "delete") or w["field_manager"] == FIELD_MANAGER)
    ]


async def test_bad_applicationsets_write_a_condition_and_no_application(scenario: Scenario) -> None:
    for appset, _, _ in BAD.values():
        await scenario.hub.create(appset)
    for name, (_, reason, message) in BAD.items():

        async def errored(name: str = name) -> bool:
            condition = await _condition(scenario, name, "ErrorOccurred")
            return condition is not None and condition["status"] == "True"

        await eventually(errored, f"{name}: ErrorOccurred")
        condition = await _condition(scenario, name, "ErrorOccurred")
        assert condition is not None
        assert condition["reason"] == reason, (name, condition)
        assert message in condition["message"], (name, condition)
        up_to_date = await _condition(scenario, name, "ResourcesUpToDate")
        assert up_to_date is not None and up_to_date["status"] == "False"
    assert await _application_writes(scenario) == []
    assert (await scenario.hub.list(APPLICATION, "fleetops")).items == ()


async def test_a_broken_edit_deletes_nothing(scenario: Scenario) -> None:
    await scenario.hub.create(_appset("good", _list("a", "b"), "{{cluster}}-good"))

    async def created() -> bool:
        return len((await scenario.hub.list(APPLICATION, "fleetops")).items) == 2

    await eventually(created, "two Applications")
    before = len(await _application_writes(scenario))
    await scenario.hub.patch(
        APPLICATIONSET,
        "good",
        {"spec": {"generators": _list("a", "a")}},
        "fleetops",
    )

    async def errored() -> bool:
        condition = await _condition(scenario, "good", "ErrorOccurred")
        return condition is not None and condition["status"] == "True"

    await eventually(errored, "the broken edit is reported")
    assert len(await _application_writes(scenario)) == before, "nothing created, updated or deleted"
    names = sorted(a["metadata"]["name"] for a in (await scenario.hub.list(APPLICATION, "fleetops")).items)
    assert names == ["a-good", "b-good"]
