"""The seed's ApplicationSet, unchanged, on a hub with four spokes: the production clusters get
their `<name>-platform` Application; labelling a cluster Secret adds one (by the Secret's watch
event), unlabelling removes it (its resources deleted, or kept with preserveResourcesOnDeletion);
`fleetops appset generate` prints what the controller creates; deleting the ApplicationSet lets
the garbage collector delete its Applications."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from functools import partial
from typing import Any

import aiohttp
import pytest
import yaml
from appset_support import (
    APPLICATIONSET,
    APPSET_KEY,
    FLEET,
    PROD,
    prepare_fleet,
    sim_client,
)
from scenario_support import APPLICATION, DEPLOYMENT, SEED_DIR, Scenario, eventually, kubectl_path

from fleetops.core.app import sync_operation
from fleetops.kubesim.background import BackgroundFleet
from fleetops.kubesim.fleet import Fleet
from fleetops.kubesim.workloads.extension import workload_extensions
from fleetops.ports.kube import NotFound

SEED_APPSET = SEED_DIR / "applicationset.yaml"
PROD_APPS = [f"{c}-platform" for c in PROD]
NEW_APP = "prod-ap-south-1-platform"


@pytest.fixture
def fleet() -> Iterator[Fleet]:
    with BackgroundFleet(FLEET, watch_history=5000, extensions=workload_extensions()) as running:
        yield running


def _appset_triggers(scenario: Scenario) -> list[tuple[tuple[str, str], str]]:
    assert scenario.hub_process is not None and scenario.hub_process.appsets is not None
    return list(scenario.hub_process.appsets.trigger_log)


async def _apps(scenario: Scenario) -> dict[str, dict[str, Any]]:
    listed = await scenario.hub.list(APPLICATION, "fleetops")
    return {a["metadata"]["name"]: a for a in listed.items}


async def _sync(scenario: Scenario, name: str) -> None:
    """What `argocd app sync NAME` does: request a sync operation (the seed sets no automation)."""
    await scenario.hub.patch(APPLICATION, name, {"operation": sync_operation(username="admin")}, "fleetops")


async def _synced_and_healthy(scenario: Scenario, name: str) -> bool:
    try:
        status: dict[str, Any] = (await scenario.app(name)).get("status") or {}
    except NotFound:
        return False
    return bool(
        status.get("sync", {}).get("status") == "Synced"
        and status.get("health", {}).get("status") == "Healthy"
    )


async def _agent(scenario: Scenario, sim: str) -> dict[str, Any] | None:
    try:
        return await sim_client(scenario, sim).get(DEPLOYMENT, "monitoring-agent", "platform")
    except NotFound:
        return None


async def _start_seed(scenario: Scenario) -> None:
    await prepare_fleet(scenario)
    await scenario.kubectl("apply", "-n", "fleetops", "-f", str(SEED_APPSET))

    async def created() -> bool:
        return set(PROD_APPS) <= set(await _apps(scenario))

    await eventually(created, "the seed's ApplicationSet creates the production Applications")


async def test_seed_applicationset_creates_production_apps(scenario: Scenario) -> None:
    await _start_seed(scenario)
    apps = await _apps(scenario)
    assert sorted(apps) == sorted(PROD_APPS), "nothing for dev, staging or the staging-labelled spoke"
    appset = await scenario.hub.get(APPLICATIONSET, "platform-services", "fleetops")
    for app in apps.values():
        (owner,) = app["metadata"]["ownerReferences"]
        assert owner == {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "ApplicationSet",
            "name": "platform-services",
            "uid": appset["metadata"]["uid"],
            "controller": True,
            "blockOwnerDeletion": True,
        }
        assert app["metadata"]["finalizers"] == ["resources-finalizer.argocd.argoproj.io"]
    for name in PROD_APPS:
        await _sync(scenario, name)
    for name in PROD_APPS:
        await eventually(partial(_synced_and_healthy, scenario, name), f"{name} Synced and Healthy")
    assert await _agent(scenario, "spoke") is not None

    async def status_shows_health() -> bool:
        status = (await scenario.hub.get(APPLICATIONSET, "platform-services", "fleetops")).get("status") or {}
        resources = status.get("resources") or []
        return len(resources) == 3 and all(
            r["status"] == "Synced" and r["health"]["status"] == "Healthy" for r in resources
        )

    await eventually(status_shows_health, "status.resources shows three Synced and Healthy Applications")
    status = (await scenario.hub.get(APPLICATIONSET, "platform-services", "fleetops"))["status"]
    conditions = {c["type"]: c for c in status["conditions"]}
    assert conditions["ErrorOccurred"]["status"] == "False"
    assert conditions["ParametersGenerated"]["status"] == "True"
    assert conditions["ResourcesUpToDate"] == {
        "type": "ResourcesUpToDate",
        "status": "True",
        "reason": "ApplicationSetUpToDate",
        "message": "All applications have been generated successfully",
        "lastTransitionTime": conditions["ResourcesUpToDate"]["lastTransitionTime"],
    }

    # `fleetops appset generate` prints exactly what the controller created.
    printed = await _generate(scenario)
    created = await _apps(scenario)
    assert sorted(a["metadata"]["name"] for a in printed) == sorted(PROD_APPS)
    for app in printed:
        live = created[app["metadata"]["name"]]
        assert app["spec"] == live["spec"]
        for field in ("namespace", "labels", "annotations", "finalizers"):
            assert app["metadata"].get(field) == live["metadata"].get(field), field

    metrics = await _metrics(scenario)
    assert (
        'argocd_appset_info{name="platform-services",namespace="fleetops",'
        'resource_update_status="ApplicationSetUpToDate"} 1.0'
    ) in metrics
    assert 'argocd_appset_owned_applications{name="platform-services",namespace="fleetops"} 3.0' in metrics
    assert 'argocd_appset_reconcile_count{name="platform-services",namespace="fleetops"}' in metrics

    # Labelling another cluster production adds its Application, caused by the Secret's watch event.
    await scenario.kubectl(
        "label",
        "secret",
        "cluster-prod-ap-south-1",
        "-n",
        "fleetops",
        "environment=production",
        "--overwrite",
    )
    await eventually(lambda: _has_app(scenario, NEW_APP), "the relabelled cluster gets its Application")
    assert (APPSET_KEY, "cluster secret cluster-prod-ap-south-1 MODIFIED") in _appset_triggers(scenario)
    await _sync(scenario, NEW_APP)
    await eventually(lambda: _synced_and_healthy(scenario, NEW_APP), f"{NEW_APP} Synced and Healthy")
    assert await _agent(scenario, "ap") is not None

    # Removing the label deletes it, and (resources finalizer) its resources.
    await scenario.kubectl(
        "label", "secret", "cluster-prod-ap-south-1", "-n", "fleetops", "environment=staging", "--overwrite"
    )
    await eventually(lambda: _no_app(scenario, NEW_APP), "the unlabelled cluster's Application is deleted")
    await eventually(lambda: _agent_gone(scenario, "ap"), "its resources are deleted with it")

    # Deleting the ApplicationSet: Kubernetes' garbage collector deletes its Applications.
    await scenario.hub.delete(APPLICATIONSET, "platform-services", "fleetops")

    async def all_gone() -> bool:
        return not await _apps(scenario)

    await eventually(all_gone, "the ApplicationSet's Applications are garbage-collected")


async def test_preserve_resources_on_deletion_keeps_the_resources(scenario: Scenario) -> None:
    await _start_seed(scenario)
    await scenario.kubectl(
        "patch", "applicationset", "platform-services", "-n", "fleetops", "--type", "merge",
        "-p", '{"spec": {"syncPolicy": {"preserveResourcesOnDeletion": true}}}',
    )  # fmt: skip

    async def finalizers_dropped() -> bool:
        return all(not a["metadata"].get("finalizers") for a in (await _apps(scenario)).values())

    await eventually(finalizers_dropped, "the generated Applications lose the resources finalizer")
    await scenario.kubectl(
        "label",
        "secret",
        "cluster-prod-ap-south-1",
        "-n",
        "fleetops",
        "environment=production",
        "--overwrite",
    )
    await eventually(lambda: _has_app(scenario, NEW_APP), "the relabelled cluster gets its Application")
    await _sync(scenario, NEW_APP)
    await eventually(lambda: _synced_and_healthy(scenario, NEW_APP), f"{NEW_APP} Synced and Healthy")
    await scenario.kubectl("label", "secret", "cluster-prod-ap-south-1", "-n", "fleetops", "environment-")
    await eventually(lambda: _no_app(scenario, NEW_APP), "the unlabelled cluster's Application is deleted")
    assert await _agent(scenario, "ap") is not None, "preserveResourcesOnDeletion keeps the resources"
    writes = await scenario.writes("ap")
    assert not [w for w in writes if w["verb"] == "delete" and w["namespace"] == "platform"]


async def _metrics(scenario: Scenario) -> str:
    async with aiohttp.ClientSession() as session, session.get(f"{scenario.url}/metrics") as response:
        return await response.text()


async def _has_app(scenario: Scenario, name: str) -> bool:
    return name in await _apps(scenario)


async def _no_app(scenario: Scenario, name: str) -> bool:
    return name not in await _apps(scenario)


async def _agent_gone(scenario: Scenario, sim: str) -> bool:
    return await _agent(scenario, sim) is None


async def _generate(scenario: Scenario) -> list[dict[str, Any]]:
    """`fleetops appset generate` of the seed file, cluster Secrets read from the hub."""
    process = await asyncio.create_subprocess_exec(
        str(kubectl_path().parent / "fleetops"), "appset", "generate", str(SEED_APPSET),
        "--clusters-from", "hub", "-n", "fleetops",
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(scenario.tmp_path),
             "KUBECONFIG": str(scenario.kubeconfig)},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, err.decode()
    return [d for d in yaml.safe_load_all(out) if d]
