"""Drift on a spoke: `kubectl scale` on a managed Deployment is reverted with selfHeal (the revert
is written by manager `fleetops` after kubectl's write); without selfHeal the application turns
OutOfSync, with a Warning Event and `argocd_app_info{sync_status="OutOfSync"} 1`."""

from __future__ import annotations

from typing import Any

import aiohttp
from scenario_support import DEPLOYMENT, Scenario, eventually

PATH = "apps/payment-service/overlays/production"


async def _replicas(scenario: Scenario) -> int | None:
    found = await scenario.get("spoke", DEPLOYMENT, "payment-service", "payments")
    return None if found is None else int(found["spec"]["replicas"])


async def _status(scenario: Scenario, name: str) -> dict[str, Any]:
    return dict((await scenario.app(name)).get("status", {}))


async def _deployed_and_synced(scenario: Scenario, name: str) -> None:
    async def ready() -> bool:
        status = await _status(scenario, name)
        return await _replicas(scenario) == 4 and status.get("sync", {}).get("status") == "Synced"

    await eventually(ready, "payment-service deployed on the spoke with 4 replicas and Synced")


async def test_kubectl_scale_is_reverted_by_self_heal(scenario: Scenario) -> None:
    server = await scenario.register_spoke()
    await scenario.create_app(
        "payment-service",
        server=server,
        namespace="payments",
        path=PATH,
        automated={"prune": True, "selfHeal": True},
    )
    await _deployed_and_synced(scenario, "payment-service")

    await scenario.kubectl(
        "--context", "spoke", "scale", "deployment/payment-service", "-n", "payments", "--replicas=1"
    )

    async def healed() -> bool:
        return await _replicas(scenario) == 4

    await eventually(healed, "the scale is reverted to the 4 replicas Git says")
    writes = [
        w
        for w in await scenario.writes("spoke")
        if w["name"] == "payment-service"
        and w["namespace"] == "payments"
        and w["resource"].startswith("deployments")
    ]
    scaled = max(i for i, w in enumerate(writes) if w["field_manager"].startswith("kubectl"))
    reverted = [w for w in writes[scaled + 1 :] if w["field_manager"] == "fleetops" and w["verb"] == "apply"]
    assert reverted, f"no apply by fleetops after kubectl's write: {writes}"
    triggers = [reason for key, reason in scenario.triggers if key == ("fleetops", "payment-service")]
    assert any("MODIFIED apps/Deployment/payments/payment-service" in reason for reason in triggers), triggers


async def test_without_self_heal_the_application_turns_out_of_sync(scenario: Scenario) -> None:
    server = await scenario.register_spoke()
    await scenario.create_app("payment-service", server=server, namespace="payments", path=PATH, automated={})
    await _deployed_and_synced(scenario, "payment-service")

    await scenario.kubectl(
        "--context", "spoke", "scale", "deployment/payment-service", "-n", "payments", "--replicas=1"
    )

    async def out_of_sync() -> bool:
        return (await _status(scenario, "payment-service")).get("sync", {}).get("status") == "OutOfSync"

    await eventually(out_of_sync, "the application turns OutOfSync")
    assert await _replicas(scenario) == 1

    async def warned() -> bool:
        return any(
            e["type"] == "Warning" and "Synced -> OutOfSync" in e["message"]
            for e in await scenario.events("payment-service")
        )

    await eventually(warned, "a Warning Event says the application went OutOfSync")
    async with aiohttp.ClientSession() as session, session.get(f"{scenario.url}/metrics") as response:
        text = await response.text()
    lines = [line for line in text.splitlines() if line.startswith("argocd_app_info{")]
    assert any('sync_status="OutOfSync"' in line and line.endswith(" 1.0") for line in lines), lines
