"""A stand-in for the HorizontalPodAutoscaler controller on the simulated clusters: kubesim runs no
metrics pipeline, so without this every HPA would stay "Waiting to Autoscale" (Progressing) and
no application holding one would ever be Healthy. It reports each HPA as a working autoscaler
at its target's replica count (clamped to min/max) — status only: it never scales anything, so
what the demo shows (drift, self-heal) is the GitOps controller's doing alone."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import logging
from collections.abc import Mapping
from typing import Any

from fleetops.adapters.kube import HttpKubeClient
from fleetops.model import GroupVersionKind
from fleetops.ports.kube import Gone, KubeError, PatchType

log = logging.getLogger(__name__)

HPA = GroupVersionKind("autoscaling", "v2", "HorizontalPodAutoscaler")
MANAGER = "fleetops-embedded-autoscaler"
RETRY_SECONDS = 1.0


def autoscaler_status(hpa: Mapping[str, Any], now: str) -> dict[str, Any]:
    spec = hpa.get("spec") or {}
    low = int(spec.get("minReplicas") or 1)
    high = int(spec.get("maxReplicas") or low)
    current = int((hpa.get("status") or {}).get("currentReplicas") or low)
    desired = min(max(current, low), high)

    def condition(kind: str, reason: str, message: str) -> dict[str, str]:
        return {
            "type": kind,
            "status": "True",
            "reason": reason,
            "message": message,
            "lastTransitionTime": now,
        }

    return {
        "currentReplicas": desired,
        "desiredReplicas": desired,
        "conditions": [
            condition("AbleToScale", "ReadyForNewScale", "recommended size matches current size"),
            condition("ScalingActive", "ValidMetricFound", "simulated metrics (fleetops up)"),
        ],
    }


def _reported(hpa: Mapping[str, Any]) -> bool:
    conditions = (hpa.get("status") or {}).get("conditions") or ()
    return any(c.get("type") == "AbleToScale" for c in conditions if isinstance(c, Mapping))


async def _report(client: HttpKubeClient, hpa: Mapping[str, Any]) -> None:
    metadata = hpa.get("metadata") or {}
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with contextlib.suppress(KubeError):
        await client.patch_status(
            HPA,
            str(metadata.get("name")),
            {"status": autoscaler_status(hpa, now)},
            str(metadata.get("namespace")),
            patch_type=PatchType.MERGE,
            field_manager=MANAGER,
        )


async def run_autoscaler(client: HttpKubeClient) -> None:
    """Until cancelled: report every HPA of the cluster (list, then watch)."""
    while True:
        try:
            listed = await client.list(HPA)
            for hpa in listed.items:
                if not _reported(hpa):
                    await _report(client, hpa)
            async for event in client.watch(
                HPA, resource_version=listed.resource_version, timeout_seconds=300
            ):
                if event.type in ("ADDED", "MODIFIED") and not _reported(event.object):
                    await _report(client, event.object)
        except Gone:
            continue
        except KubeError as error:
            log.debug("autoscaler stand-in on %s: %s", client.server, error)
            await asyncio.sleep(RETRY_SECONDS)
