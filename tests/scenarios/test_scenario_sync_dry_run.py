"""Argo CD's dry-run pass before a sync writes anything: an application whose render holds one
valid and one invalid resource writes nothing at all (kubesim's write log) and says which
resource the API server refused; once Git fixes it, the next revision syncs."""

from __future__ import annotations

from scenario_support import CONFIGMAP, DEPLOYMENT, Scenario, application, eventually

VALID = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a-valid\ndata:\n  a: b\n"
BROKEN = (  # no spec.selector: the API server refuses it
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: broken\n"
    "spec:\n  replicas: 1\n"
    "  template:\n    metadata:\n      labels: {app: broken}\n    spec:\n      containers: []\n"
)
FIXED = BROKEN.replace(
    "  replicas: 1\n", "  replicas: 1\n  selector:\n    matchLabels: {app: broken}\n"
).replace("containers: []", "containers:\n      - name: web\n        image: nginx:1.27")
FILES = {
    "apps/dry/kustomization.yaml": "resources:\n- valid.yaml\n- broken.yaml\n",
    "apps/dry/valid.yaml": VALID,
    "apps/dry/broken.yaml": BROKEN,
}


async def test_one_invalid_resource_stops_the_whole_sync_before_anything_is_written(
    scenario: Scenario,
) -> None:
    server = await scenario.register_spoke()
    scenario.repo.commit(FILES, "one valid, one invalid resource")
    retry = {"limit": 1, "backoff": {"duration": "1s", "factor": 1}}
    await scenario.hub.create(
        application("dry", server=server, namespace="dry", path="apps/dry", automated={}, retry=retry)
    )

    async def refused() -> bool:
        status = (await scenario.app("dry")).get("status", {})
        state = status.get("operationState", {})
        return bool(state.get("phase") == "Failed")

    await eventually(refused, "the automated sync (and its one retry) fails at the dry run")
    status = (await scenario.app("dry"))["status"]
    state = status["operationState"]
    assert state["message"].startswith("one or more objects failed to apply (dry run)"), state
    assert state["retryCount"] == 1
    results = [(r["kind"], r["name"], r["status"]) for r in state["syncResult"]["resources"]]
    assert results == [("Deployment", "broken", "SyncFailed")]
    conditions = [c for c in status.get("conditions", []) if c["type"] == "SyncError"]
    assert conditions and "broken" in conditions[0]["message"], status.get("conditions")
    # CreateNamespace's namespace is created before the dry run (as Argo CD does); nothing else
    writes = [w for w in await scenario.writes("spoke") if w["field_manager"] == "fleetops"]
    assert [w for w in writes if w["namespace"] == "dry"] == [], "the dry run lets no write through"
    assert await scenario.get("spoke", CONFIGMAP, "a-valid", "dry") is None

    scenario.repo.commit({"apps/dry/broken.yaml": FIXED}, "fix the Deployment")

    async def synced() -> bool:
        status = (await scenario.app("dry")).get("status", {})
        return bool(status.get("sync", {}).get("status") == "Synced")

    await scenario.kubectl(
        "annotate", "application", "dry", "-n", "fleetops", "argocd.argoproj.io/refresh=normal"
    )
    await eventually(synced, "the fixed revision syncs")
    assert await scenario.get("spoke", DEPLOYMENT, "broken", "dry") is not None
