"""`Validate` on sync (Argo CD's default `kubectl --validate=true`, `fieldValidation=Strict`): an
application whose Deployment carries a field the schema does not declare fails its sync at the
dry run, naming the field, with nothing written (kubesim's write log; the server-side apply is
refused as a real API server refuses it: `field not declared in schema`); with `Validate=false`
(the application's sync option, or the resource's `argocd.argoproj.io/sync-options` annotation)
the same manifests sync, the field dropped by fleetops before the apply — as a server drops it
on create/update with `fieldValidation=Ignore`."""

from __future__ import annotations

from typing import Any

from scenario_support import CONFIGMAP, DEPLOYMENT, Scenario, application, eventually

CONFIG = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n"


def deployment(annotation: str = "") -> str:
    annotations = f"  annotations:\n    argocd.argoproj.io/sync-options: {annotation}\n" if annotation else ""
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
        + annotations
        + "spec:\n  replicas: 1\n  replicaz: 3\n"
        "  selector:\n    matchLabels: {app: web}\n"
        "  template:\n    metadata:\n      labels: {app: web}\n"
        "    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n"
    )


def files(path: str, annotation: str = "") -> dict[str, str]:
    return {
        f"{path}/kustomization.yaml": "resources:\n- config.yaml\n- deployment.yaml\n",
        f"{path}/config.yaml": CONFIG,
        f"{path}/deployment.yaml": deployment(annotation),
    }


async def operation_phase(scenario: Scenario, name: str) -> str:
    status = (await scenario.app(name)).get("status", {})
    return str(status.get("operationState", {}).get("phase", ""))


async def test_an_unknown_field_fails_the_sync_before_anything_is_written(scenario: Scenario) -> None:
    server = await scenario.register_spoke()
    scenario.repo.commit(files("apps/strict"), "a Deployment with a misspelt field")
    retry = {"limit": 1, "backoff": {"duration": "1s", "factor": 1}}
    await scenario.hub.create(
        application(
            "strict", server=server, namespace="strict", path="apps/strict", automated={}, retry=retry
        )
    )

    async def failed() -> bool:
        status = (await scenario.app("strict")).get("status", {})
        assert status.get("sync", {}).get("status") != "Unknown", status.get("conditions")
        return bool(status.get("operationState", {}).get("phase") == "Failed")

    await eventually(failed, "the sync fails at the dry run")
    status: dict[str, Any] = (await scenario.app("strict"))["status"]
    state = status["operationState"]
    assert state["message"].startswith("one or more objects failed to apply (dry run)"), state
    assert state["retryCount"] == 1
    results = [(r["kind"], r["name"], r["status"]) for r in state["syncResult"]["resources"]]
    assert results == [("Deployment", "web", "SyncFailed")]
    message = state["syncResult"]["resources"][0]["message"]
    assert ".spec.replicaz: field not declared in schema" in message, message
    conditions = [c for c in status.get("conditions", []) if c["type"] == "SyncError"]
    assert conditions and "spec.replicaz" in conditions[0]["message"], status.get("conditions")
    writes = [w for w in await scenario.writes("spoke") if w["field_manager"] == "fleetops"]
    assert [w for w in writes if w["namespace"] == "strict"] == [], "nothing is written"
    assert await scenario.get("spoke", CONFIGMAP, "settings", "strict") is None
    assert await scenario.get("spoke", DEPLOYMENT, "web", "strict") is None


async def test_validate_false_syncs_and_the_server_drops_the_field(scenario: Scenario) -> None:
    server = await scenario.register_spoke()
    scenario.repo.commit(
        {**files("apps/lax"), **files("apps/annotated", annotation="Validate=false")},
        "the same Deployment, validation off for the application / for the resource",
    )
    await scenario.hub.create(
        application(
            "lax",
            server=server,
            namespace="lax",
            path="apps/lax",
            automated={},
            syncOptions=["CreateNamespace=true", "Validate=false"],
        )
    )
    await scenario.hub.create(
        application("annotated", server=server, namespace="annotated", path="apps/annotated", automated={})
    )

    async def both_succeeded() -> bool:
        phases = [await operation_phase(scenario, name) for name in ("lax", "annotated")]
        assert "Failed" not in phases and "Error" not in phases, phases
        return phases == ["Succeeded", "Succeeded"]

    await eventually(both_succeeded, "both applications sync")

    async def both_synced() -> bool:
        statuses = [(await scenario.app(name)).get("status", {}) for name in ("lax", "annotated")]
        return all(status.get("sync", {}).get("status") == "Synced" for status in statuses)

    await eventually(both_synced, "what the server stored is compared: no lasting difference")
    for namespace in ("lax", "annotated"):
        live = await scenario.get("spoke", DEPLOYMENT, "web", namespace)
        assert live is not None
        assert "replicaz" not in live["spec"], live["spec"]
        assert live["spec"]["replicas"] == 1
        assert await scenario.get("spoke", CONFIGMAP, "settings", namespace) is not None
    writes = [w for w in await scenario.writes("spoke") if w["field_manager"] == "fleetops"]
    assert {(w["namespace"], w["name"]) for w in writes if w["name"] == "web"} == {
        ("lax", "web"),
        ("annotated", "web"),
    }
