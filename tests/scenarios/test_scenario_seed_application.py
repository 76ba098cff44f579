"""The seed's application.yaml, applied unchanged, syncs the seed's production overlay; a signed
GitHub push webhook brings a new image tag live with polling off; an unsigned one is refused."""

from __future__ import annotations

from typing import Any

from scenario_support import DEPLOYMENT, SEED_DIR, Scenario, eventually


def _image(deployment: dict[str, Any] | None) -> str:
    if deployment is None:
        return ""
    return str(deployment["spec"]["template"]["spec"]["containers"][0]["image"])


async def _apply_seed_application(scenario: Scenario) -> None:
    await scenario.kubectl("apply", "-n", "fleetops", "-f", str(SEED_DIR / "application.yaml"))


async def test_the_seed_application_syncs_the_production_overlay(scenario: Scenario) -> None:
    await _apply_seed_application(scenario)

    async def deployed() -> bool:
        found = await scenario.get("hub", DEPLOYMENT, "payment-service", "payments")
        return _image(found) == "payment-service:v2.3.0"

    await eventually(deployed, "payment-service:v2.3.0 deployed in namespace payments")

    async def synced() -> bool:
        status = (await scenario.app("payment-service")).get("status", {})
        return (
            status.get("sync", {}).get("status") == "Synced"
            and status.get("operationState", {}).get("phase") == "Succeeded"
        )

    await eventually(synced, "the application is Synced after a successful sync")
    deployment = await scenario.get("hub", DEPLOYMENT, "payment-service", "payments")
    assert deployment is not None
    assert deployment["spec"]["replicas"] == 4
    tracking = deployment["metadata"]["annotations"]["argocd.argoproj.io/tracking-id"]
    assert tracking == "payment-service:apps/Deployment:payments/payment-service"
    writes = [
        w
        for w in await scenario.writes("hub")
        if w["name"] == "payment-service" and w["namespace"] == "payments"
    ]
    assert {w["field_manager"] for w in writes if w["verb"] == "apply"} == {"fleetops"}


async def test_a_signed_webhook_brings_a_new_image_live_without_polling(scenario: Scenario) -> None:
    await _apply_seed_application(scenario)

    async def deployed(image: str) -> bool:
        return _image(await scenario.get("hub", DEPLOYMENT, "payment-service", "payments")) == image

    await eventually(lambda: deployed("payment-service:v2.3.0"), "the first sync")
    overlay = "apps/payment-service/overlays/production/kustomization.yaml"
    text = scenario.repo.read(scenario.repo.head_of("main"), overlay).decode()
    after = scenario.repo.commit(
        {overlay: text.replace("newTag: v2.3.0", "newTag: v2.4.0")}, "promote v2.4.0"
    )

    refused = await scenario.github_push(after, secret=None)
    assert refused.status == 401
    forged = await scenario.github_push(after, secret="not-the-secret")
    assert forged.status == 401
    assert not [reason for _, reason in scenario.triggers if reason == "webhook"]

    accepted = await scenario.github_push(after, secret=scenario.webhook_secret)
    assert accepted.status == 200
    await eventually(lambda: deployed("payment-service:v2.4.0"), "the pushed image tag goes live")
    assert (("fleetops", "payment-service"), "webhook") in scenario.triggers
    assert not [reason for _, reason in scenario.triggers if reason == "poll"]

    async def recorded() -> bool:
        status = (await scenario.app("payment-service")).get("status", {})
        return status.get("sync", {}).get("revision") == after and status["sync"]["status"] == "Synced"

    await eventually(recorded, "the status records the pushed revision as Synced")
