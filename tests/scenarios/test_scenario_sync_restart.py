"""A sync survives a controller restart: the operation lives in the Application's
`status.operationState` (Argo CD's sync is a state machine re-entered on each reconcile), so a
new hub takes it up where the old one stopped — the hook it was waiting for is not created again
and the next wave follows it — for an automated sync, which has no `operation` field at all."""

from __future__ import annotations

from scenario_support import CONFIGMAP, SEED_URL, Scenario, application, eventually

from fleetops.kubesim.faults import ClusterFaults
from fleetops.model import GroupVersionKind

JOB = GroupVersionKind("batch", "v1", "Job")
IMAGE = "registry.example.com/acme/migrate"
HOOKED = {
    "apps/hooked/kustomization.yaml": "resources:\n- migrate.yaml\n- settings.yaml\n- late.yaml\n",
    "apps/hooked/migrate.yaml": (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n"
        "    argocd.argoproj.io/hook: PreSync\n"
        "    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n"
        "spec:\n  backoffLimit: 100\n  template:\n    spec:\n      restartPolicy: Never\n"
        f"      containers:\n      - name: migrate\n        image: {IMAGE}:1.0\n"
    ),
    "apps/hooked/settings.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n"
    ),
    "apps/hooked/late.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n  annotations:\n"
        '    argocd.argoproj.io/sync-wave: "1"\ndata:\n  a: b\n'
    ),
}


def spoke_faults(scenario: Scenario) -> ClusterFaults:
    faults = scenario.fleet.control.faults("spoke")
    assert faults is not None
    return faults


async def test_a_sync_waiting_for_a_hook_is_finished_by_the_next_controller(scenario: Scenario) -> None:
    server = await scenario.register_spoke()
    scenario.repo.commit(HOOKED, "an app with a PreSync hook and two waves")
    faults = spoke_faults(scenario)
    faults.denied_images.add(IMAGE)  # the hook's Pod cannot start: the sync waits for it
    await scenario.hub.create(
        application("hooked", server=server, namespace="hooked", path="apps/hooked", automated={})
    )

    async def waiting_for_the_hook() -> bool:
        state = (await scenario.app("hooked")).get("status", {}).get("operationState", {})
        return state.get("phase") == "Running" and "hook batch/Job/migrate" in str(state.get("message"))

    await eventually(waiting_for_the_hook, "the automated sync waits for its PreSync hook")
    assert await scenario.get("spoke", CONFIGMAP, "settings", "hooked") is None

    await scenario.stop()  # the controller goes away mid-sync ...
    faults.denied_images.discard(IMAGE)
    await scenario.start(url_rewrites={SEED_URL: scenario.git.url_for("gitops-config")})  # ... a new one

    async def succeeded() -> bool:
        state = (await scenario.app("hooked")).get("status", {}).get("operationState", {})
        return bool(state.get("phase") == "Succeeded")

    await eventually(succeeded, "the new controller finishes the sync the old one started")
    app = await scenario.app("hooked")
    assert app["status"]["sync"]["status"] == "Synced"
    assert len(app["status"]["history"]) == 1
    results = {r["name"]: r for r in app["status"]["operationState"]["syncResult"]["resources"]}
    assert results["migrate"]["hookPhase"] == "Succeeded"
    writes = [w for w in await scenario.writes("spoke") if w["namespace"] == "hooked"]
    ours = [(w["verb"], w["name"]) for w in writes if w["field_manager"] == "fleetops"]
    created = [name for verb, name in ours if verb in ("create", "apply")]
    assert created == ["migrate", "settings", "late"], ours  # the hook once, then the waves in order

    async def hook_deleted() -> bool:
        return await scenario.get("spoke", JOB, "migrate", "hooked") is None

    await eventually(hook_deleted, "the succeeded hook is deleted by its HookSucceeded policy")
