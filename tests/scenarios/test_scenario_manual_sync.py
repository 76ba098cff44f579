"""A manual sync the way `fleetops app sync` (and `argocd --core`) asks for it: the CLI writes
`operation.sync` on the Application; the controller runs it, records `operationState` and
history, and clears `operation`."""

from __future__ import annotations

import json

from scenario_support import DEPLOYMENT, Scenario, application, eventually

PATH = "apps/payment-service/overlays/staging"


async def test_an_operation_written_on_the_application_is_run_and_cleared(scenario: Scenario) -> None:
    server = await scenario.register_spoke()
    await scenario.hub.create(application("payment-service", server=server, namespace="payments", path=PATH))

    async def out_of_sync() -> bool:
        status = (await scenario.app("payment-service")).get("status", {})
        return status.get("sync", {}).get("status") == "OutOfSync"

    await eventually(out_of_sync, "without automated sync the new application is OutOfSync")
    assert await scenario.get("spoke", DEPLOYMENT, "payment-service", "payments") is None

    operation = {"sync": {"revision": "main", "prune": True}, "initiatedBy": {"username": "admin"}}
    await scenario.kubectl(
        "patch",
        "application",
        "payment-service",
        "-n",
        "fleetops",
        "--type",
        "merge",
        "-p",
        f'{{"operation": {json.dumps(operation)}}}',
    )

    async def done() -> bool:
        app = await scenario.app("payment-service")
        state = app.get("status", {}).get("operationState", {})
        return state.get("phase") == "Succeeded" and "operation" not in app

    await eventually(done, "the operation ran, succeeded and was cleared")
    app = await scenario.app("payment-service")
    assert app["status"]["sync"]["status"] == "Synced"
    assert app["status"]["history"][-1]["initiatedBy"] == {"username": "admin"}
    deployment = await scenario.get("spoke", DEPLOYMENT, "payment-service", "payments")
    assert deployment is not None and deployment["spec"]["replicas"] == 2
    reasons = [e["reason"] for e in await scenario.events("payment-service")]
    assert "OperationStarted" in reasons and "OperationCompleted" in reasons


async def test_the_refresh_annotation_fetches_the_repository_and_is_removed(scenario: Scenario) -> None:
    server = await scenario.register_spoke()
    await scenario.hub.create(
        application("payment-service", server=server, namespace="payments", path=PATH, automated={})
    )

    async def replicas(count: int) -> bool:
        found = await scenario.get("spoke", DEPLOYMENT, "payment-service", "payments")
        return found is not None and found["spec"]["replicas"] == count

    await eventually(lambda: replicas(2), "the staging overlay is synced")
    patch_file = "apps/payment-service/overlays/staging/deployment-patch.yaml"
    text = scenario.repo.read(scenario.repo.head_of("main"), patch_file).decode()
    scenario.repo.commit({patch_file: text.replace("replicas: 2", "replicas: 3")}, "three replicas")
    await scenario.kubectl(
        "annotate", "application", "payment-service", "-n", "fleetops", "argocd.argoproj.io/refresh=normal"
    )
    await eventually(lambda: replicas(3), "the refresh fetched the new commit (polling and webhooks are off)")

    async def annotation_removed() -> bool:
        annotations = (await scenario.app("payment-service"))["metadata"].get("annotations") or {}
        return "argocd.argoproj.io/refresh" not in annotations

    await eventually(annotation_removed, "the refresh annotation is removed once done")
