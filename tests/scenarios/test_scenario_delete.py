"""Deleting an Application with Argo CD's resources finalizer deletes what it manages on the spoke
(and nothing else), then the Application goes."""

from __future__ import annotations

from scenario_support import DEPLOYMENT, Scenario, application, eventually

from fleetops.ports.kube import NotFound

PATH = "apps/payment-service/overlays/production"


async def test_cascade_deletion_removes_the_managed_resources(scenario: Scenario) -> None:
    server = await scenario.register_spoke()
    app = application("payment-service", server=server, namespace="payments", path=PATH, automated={})
    app["metadata"]["finalizers"] = ["resources-finalizer.argocd.argoproj.io"]
    await scenario.hub.create(app)

    async def deployed() -> bool:
        return await scenario.get("spoke", DEPLOYMENT, "payment-service", "payments") is not None

    await eventually(deployed, "the application is synced to the spoke")
    await scenario.kubectl("delete", "application", "payment-service", "-n", "fleetops", "--wait=false")

    async def gone() -> bool:
        try:
            await scenario.app("payment-service")
        except NotFound:
            return not await deployed()
        return False

    await eventually(gone, "the Deployment is deleted and then the Application")
    namespace = await scenario.kubectl("--context", "spoke", "get", "namespace", "payments", "-o", "name")
    assert namespace.strip() == "namespace/payments", (
        "the namespace CreateNamespace made is not managed: kept"
    )
