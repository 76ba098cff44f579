"""A RollingSync over three steps (one Application per wave, on the spoke): the ApplicationSet
turns their automated sync off and syncs them step by step; an image that fails to pull in step 1
(kubesim fault, `progressDeadlineSeconds: 2` so the Deployment becomes Degraded by Argo CD's health
rules) halts the rollout before step 2 is touched, according to kubesim's write log; `fleetops
appset pause` holds it after the fault is cleared, `resume` lets it finish."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import aiohttp
from appset_support import APPLICATIONSET, platform_files
from scenario_support import APPLICATION, Scenario, eventually, kubectl_path

NAME = "waves"
WAVES = ("1", "2", "3")


def _files(images: dict[str, str]) -> dict[str, str]:
    files: dict[str, str] = {}
    for wave in WAVES:
        for path, text in platform_files(
            f"w{wave}", image=images.get(wave, "nginx:1.27"), deadline=2
        ).items():
            files[path.replace("/platform/", "/")] = text
    return files


def _appset(server: str) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {"name": NAME, "namespace": "fleetops"},
        "spec": {
            "generators": [{"list": {"elements": [{"wave": w} for w in WAVES]}}],
            "strategy": {
                "type": "RollingSync",
                "rollingSync": {
                    "steps": [
                        {"matchExpressions": [{"key": "wave", "operator": "In", "values": [w]}]}
                        for w in WAVES
                    ]
                },
            },
            "template": {
                "metadata": {"name": "wave-{{wave}}", "labels": {"wave": "{{wave}}"}},
                "spec": {
                    "project": "default",
                    "source": {
                        "repoURL": "https://github.com/org/gitops-config",
                        "targetRevision": "main",
                        "path": "clusters/w{{wave}}",
                    },
                    "destination": {"server": server, "namespace": "wave-{{wave}}"},
                    "syncPolicy": {"automated": {"prune": True}, "syncOptions": ["CreateNamespace=true"]},
                },
            },
        },
    }


async def _status(scenario: Scenario) -> dict[str, Any]:
    return dict((await scenario.hub.get(APPLICATIONSET, NAME, "fleetops")).get("status") or {})


async def _rollout_condition(scenario: Scenario) -> dict[str, Any]:
    for condition in (await _status(scenario)).get("conditions") or []:
        if condition["type"] == "RolloutProgressing":
            return dict(condition)
    return {}


async def _fleetops_writes(scenario: Scenario, namespace: str, since: int = 0) -> list[dict[str, Any]]:
    """Writes by fleetops (not kubesim's simulated controllers) in `namespace` of the spoke."""
    writes = (await scenario.writes("spoke"))[since:]
    return [w for w in writes if w["namespace"] == namespace and w["user_agent"].startswith("fleetops")]


async def _faults(scenario: Scenario, method: str, body: dict[str, Any] | None = None) -> None:
    url = f"{scenario.fleet.control.url}/clusters/spoke/faults"
    async with aiohttp.ClientSession() as session, session.request(method, url, json=body) as response:
        assert response.status == 200, await response.text()


async def _cli(scenario: Scenario, *args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        str(kubectl_path().parent / "fleetops"), "appset", *args,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(scenario.tmp_path),
             "KUBECONFIG": str(scenario.kubeconfig)},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, err.decode()
    return out.decode()


async def _complete(scenario: Scenario) -> bool:
    condition = await _rollout_condition(scenario)
    return condition.get("reason") == "ApplicationSetRolloutComplete"


async def test_rolling_sync_in_three_steps_halts_on_degraded_and_pauses(scenario: Scenario) -> None:
    server = await scenario.register_spoke()
    scenario.repo.commit(_files({}), "three waves")
    await scenario.hub.create(_appset(server))

    await eventually(lambda: _complete(scenario), "the first rollout completes", deadline=120)
    apps = {a["metadata"]["name"]: a for a in (await scenario.hub.list(APPLICATION, "fleetops")).items}
    assert sorted(apps) == ["wave-1", "wave-2", "wave-3"]
    for app in apps.values():
        assert "automated" not in app["spec"]["syncPolicy"], "the ApplicationSet syncs them itself"
    entries = (await _status(scenario))["applicationStatus"]
    assert [(e["application"], e["step"], e["status"]) for e in entries] == [
        ("wave-1", "1", "Healthy"),
        ("wave-2", "2", "Healthy"),
        ("wave-3", "3", "Healthy"),
    ]
    # Step by step: each wave's first write comes after the previous wave's.
    writes = await scenario.writes("spoke")
    first = {
        w: min(
            i
            for i, x in enumerate(writes)
            if x["namespace"] == f"wave-{w}" and x["user_agent"].startswith("fleetops")
        )
        for w in WAVES
    }
    assert first["1"] < first["2"] < first["3"]

    # A new commit: step 1's image cannot be pulled; steps 2 and 3 change too.
    await _faults(scenario, "PATCH", {"deniedTags": ["broken"]})
    mark = len(await scenario.writes("spoke"))
    sha = scenario.repo.commit(
        _files({"1": "nginx:broken", "2": "nginx:1.28", "3": "nginx:1.28"}), "new images"
    )
    response = await scenario.github_push(sha, secret=scenario.webhook_secret)
    assert response.status == 200

    async def halted() -> bool:
        return (await _rollout_condition(scenario)).get("reason") == "RolloutHalted"

    await eventually(halted, "the Degraded step-1 application halts the rollout", deadline=120)
    condition = await _rollout_condition(scenario)
    assert "step 1 of 3" in condition["message"]
    assert "application wave-1 is Degraded (Deployment monitoring-agent: " in condition["message"]
    rollout = (await _status(scenario))["rollout"]
    assert rollout["step"] == 1 and rollout["waitingFor"] == ["wave-1"] and rollout["since"]
    assert await _fleetops_writes(scenario, "wave-1", mark), "step 1 was synced"
    assert await _fleetops_writes(scenario, "wave-2", mark) == [], "step 2 is not touched"
    assert await _fleetops_writes(scenario, "wave-3", mark) == []
    wave2 = await scenario.app("wave-2")
    assert wave2["status"]["sync"]["status"] == "OutOfSync"
    assert "halted" in await _cli(scenario, "get", NAME)

    # Paused: once the fault is cleared step 1 recovers, and still nothing else is synced.
    assert "paused" in await _cli(scenario, "pause", NAME)

    async def paused() -> bool:
        condition = await _rollout_condition(scenario)
        return condition.get("reason") == "RolloutPaused" and "step 2 of 3" in condition["message"]

    await _faults(scenario, "DELETE")
    await eventually(paused, "step 1 healthy again, the rollout waits paused", deadline=120)
    assert (await scenario.app("wave-1"))["status"]["health"]["status"] == "Healthy"
    assert await _fleetops_writes(scenario, "wave-2", mark) == [], "paused: step 2 is not touched"
    assert "paused" in await _cli(scenario, "list")

    assert "resumed" in await _cli(scenario, "resume", NAME)
    await eventually(lambda: _complete(scenario), "the rollout finishes after resume", deadline=120)
    assert await _fleetops_writes(scenario, "wave-2", mark)
    assert await _fleetops_writes(scenario, "wave-3", mark)
