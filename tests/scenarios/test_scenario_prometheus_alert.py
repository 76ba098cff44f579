"""Drift seen by a live Prometheus: without selfHeal, `kubectl scale` on a managed Deployment turns
the application OutOfSync; a real Prometheus (Debian's `prometheus`, started here) scraping the
hub's /metrics then holds `argocd_app_info{sync_status="OutOfSync"} 1` for it, and the seed's
alert rule (`../shared/seed/examples/drift-alert-rules.yaml`, loaded unchanged) is `pending` for
that application (it fires only after its `for: 5m`, which `promtool test rules` proves elsewhere).
Before the drift, with Prometheus having scraped the Synced application and evaluated the rule
since, the alert is inactive."""

from __future__ import annotations

import json
import textwrap
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml
from scenario_support import DEPLOYMENT, Scenario, eventually
from tests.support.prometheus import Prometheus, prometheus_binary
from tests.support.shared import IN_CI, SHARED_DIR

PATH = "apps/payment-service/overlays/production"
APP = "payment-service"
ALERT = "ArgoCDApplicationOutOfSync"
SEED_RULES = SHARED_DIR / "seed" / "examples" / "drift-alert-rules.yaml"
OUT_OF_SYNC_QUERY = 'argocd_app_info{sync_status="OutOfSync"}'


def _seed_rules_file(workdir: Path) -> Path:
    """The rules file Prometheus loads: the seed's file itself when it is a `groups:` rules file;
    when it is a bare list of rules, a file that wraps its unchanged text in one group (text-level
    wrapping: the rules' text is only indented, nothing in it is edited)."""
    if not SEED_RULES.is_file():
        message = f"the seed's alert rules {SEED_RULES} are absent"
        if IN_CI or SHARED_DIR.is_dir():
            pytest.fail(message + (" (CI=true: a missing seed file is a failure)" if IN_CI else ""))
        pytest.skip(message + f" ({SHARED_DIR} is not checked out next to the repository)")
    text = SEED_RULES.read_text()
    loaded = yaml.safe_load(text)
    if isinstance(loaded, dict) and "groups" in loaded:
        return SEED_RULES
    assert isinstance(loaded, list), f"{SEED_RULES} is neither a rules file nor a list of rules"
    # A bare list of rules: wrap the unchanged text in a group.
    wrapped = workdir / "drift-alert-rules.wrapped.yaml"
    wrapped.write_text("groups:\n- name: seed-drift-alert\n  rules:\n" + textwrap.indent(text, "  "))
    return wrapped


@pytest.fixture
def prometheus_setup(tmp_path: Path) -> tuple[str, Path]:
    """Checked before the scenario starts: the binary (skip locally, fail under CI) and the seed."""
    binary = prometheus_binary()
    workdir = tmp_path / "prometheus"
    workdir.mkdir()
    return binary, _seed_rules_file(workdir)


def _prometheus_config(rules: Path, hub_port: int) -> str:
    return textwrap.dedent(
        f"""\
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        rule_files:
          - {json.dumps(str(rules))}
        scrape_configs:
          - job_name: fleetops
            metrics_path: /metrics
            static_configs:
              - targets: ["127.0.0.1:{hub_port}"]
        """
    )


async def _api(prom: Prometheus, path: str, **params: str) -> Any:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{prom.url}/api/v1/{path}", params=params) as response,
    ):
        body = await response.json()
    assert body.get("status") == "success", body
    return body["data"]


async def _series(prom: Prometheus, query: str) -> list[dict[str, Any]]:
    data = await _api(prom, "query", query=query)
    assert data["resultType"] == "vector", data
    return [s for s in data["result"] if s["metric"].get("name") == APP]


async def _drift_rule(prom: Prometheus) -> tuple[dict[str, Any], dict[str, Any]]:
    """(group, rule) of the seed's alert rule as Prometheus loaded it."""
    data = await _api(prom, "rules", type="alert")
    found = [(g, r) for g in data["groups"] for r in g["rules"] if r["name"] == ALERT]
    assert len(found) == 1, data
    return found[0]


async def _app_alerts(prom: Prometheus) -> list[dict[str, Any]]:
    data = await _api(prom, "alerts")
    return [
        a for a in data["alerts"] if a["labels"].get("alertname") == ALERT and a["labels"].get("name") == APP
    ]


def _timestamp(rfc3339: str) -> float:
    return datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp()


async def _replicas(scenario: Scenario) -> int | None:
    found = await scenario.get("spoke", DEPLOYMENT, APP, "payments")
    return None if found is None else int(found["spec"]["replicas"])


async def _sync_status(scenario: Scenario) -> str | None:
    return (await scenario.app(APP)).get("status", {}).get("sync", {}).get("status")


async def test_drift_without_self_heal_makes_the_seed_alert_pending_in_prometheus(
    prometheus_setup: tuple[str, Path], scenario: Scenario, tmp_path: Path
) -> None:
    binary, rules = prometheus_setup
    server = await scenario.register_spoke()
    await scenario.create_app(APP, server=server, namespace="payments", path=PATH, automated={})

    async def deployed_and_synced() -> bool:
        return await _replicas(scenario) == 4 and await _sync_status(scenario) == "Synced"

    await eventually(deployed_and_synced, "payment-service deployed on the spoke with 4 replicas and Synced")

    assert scenario.hub_process is not None
    hub_port = scenario.hub_process.port
    prom = Prometheus(binary, tmp_path / "prometheus", _prometheus_config(rules, hub_port))
    prom.start()
    try:
        await _check(scenario, prom, rules, hub_port)
    except BaseException as error:
        error.add_note(f"prometheus log:\n{prom.log_text()[-4000:]}")
        raise
    finally:
        prom.stop()


async def _check(scenario: Scenario, prom: Prometheus, rules: Path, hub_port: int) -> None:
    # The seed's rule is loaded from the file given, unchanged.
    group, rule = await _drift_rule(prom)
    assert Path(group["file"]) == rules, group
    assert rule["query"] == 'argocd_app_info{sync_status="OutOfSync"} == 1', rule
    assert rule["duration"] == 300, rule

    # Before the drift: Prometheus has scraped the hub's Synced application ...
    async def synced_scraped() -> bool:
        return any(
            s["metric"].get("sync_status") == "Synced" and s["value"][1] == "1"
            for s in await _series(prom, "argocd_app_info")
        )

    await eventually(synced_scraped, 'Prometheus scraped argocd_app_info{sync_status="Synced"} 1 for the app')
    seen_synced = time.time()

    # ... and evaluated the rule since: the alert is inactive, no OutOfSync series.
    async def evaluated_since() -> bool:
        _, current = await _drift_rule(prom)
        return _timestamp(current["lastEvaluation"]) > seen_synced

    await eventually(evaluated_since, "Prometheus evaluated the seed's rule after scraping the Synced app")
    _, before = await _drift_rule(prom)
    assert before["state"] == "inactive", before
    assert before["alerts"] == [], before
    assert await _app_alerts(prom) == []
    assert await _series(prom, OUT_OF_SYNC_QUERY) == []

    # The drift: a user scales the managed Deployment; selfHeal is off, so nothing reverts it.
    scaled_at = time.time()
    await scenario.kubectl(
        "--context", "spoke", "scale", f"deployment/{APP}", "-n", "payments", "--replicas=1"
    )

    async def out_of_sync() -> bool:
        return await _sync_status(scenario) == "OutOfSync"

    await eventually(out_of_sync, "the application turns OutOfSync")
    assert await _replicas(scenario) == 1

    # Prometheus, scraping the hub, holds argocd_app_info{sync_status="OutOfSync"} 1 for the app.
    async def out_of_sync_scraped() -> bool:
        return any(s["value"][1] == "1" for s in await _series(prom, OUT_OF_SYNC_QUERY))

    await eventually(out_of_sync_scraped, f"Prometheus has {OUT_OF_SYNC_QUERY} 1 for the app")
    [series] = await _series(prom, OUT_OF_SYNC_QUERY)
    assert series["metric"]["namespace"] == "fleetops", series
    assert series["metric"]["job"] == "fleetops", series
    assert series["metric"]["instance"] == f"127.0.0.1:{hub_port}", series

    # The seed's alert is pending for the app (its `for: 5m` has not elapsed), since after the drift.
    async def pending() -> bool:
        return any(a["state"] == "pending" for a in await _app_alerts(prom))

    await eventually(pending, f"the {ALERT} alert is pending for the app")
    [alert] = await _app_alerts(prom)
    assert alert["state"] == "pending", alert
    assert alert["labels"]["severity"] == "warning", alert
    assert alert["labels"]["sync_status"] == "OutOfSync", alert
    assert alert["annotations"]["summary"] == f"Application {APP} is out of sync", alert
    assert _timestamp(alert["activeAt"]) > scaled_at, (alert, scaled_at)
    _, after = await _drift_rule(prom)
    assert after["state"] == "pending", after
