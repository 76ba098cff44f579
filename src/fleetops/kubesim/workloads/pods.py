"""Pods as workload controllers see them: made from templates, active, ready, available."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any

from fleetops.core.selectors import LabelSelector
from fleetops.kubesim import clock
from fleetops.kubesim.workloads import conditions

Manifest = dict[str, Any]


def from_template(
    template: Manifest,
    *,
    owner_ref: Manifest,
    generate_name: str = "",
    name: str = "",
    extra_labels: dict[str, str] | None = None,
) -> Manifest:
    """A Pod for a controller's template (labels, annotations and spec copied)."""
    template_meta = template.get("metadata") or {}
    metadata: Manifest = {"ownerReferences": [owner_ref]}
    if name:
        metadata["name"] = name
    else:
        metadata["generateName"] = generate_name
    labels = {**(template_meta.get("labels") or {}), **(extra_labels or {})}
    if labels:
        metadata["labels"] = labels
    if template_meta.get("annotations"):
        metadata["annotations"] = dict(template_meta["annotations"])
    if template_meta.get("finalizers"):
        metadata["finalizers"] = list(template_meta["finalizers"])
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": copy.deepcopy(template.get("spec") or {}),
    }


def phase(pod: Manifest) -> str:
    return str((pod.get("status") or {}).get("phase") or "Pending")


def terminating(pod: Manifest) -> bool:
    return bool(pod["metadata"].get("deletionTimestamp"))


def active(pod: Manifest) -> bool:
    """Counted by its controller: neither finished nor being deleted."""
    return phase(pod) not in ("Succeeded", "Failed") and not terminating(pod)


def ready(pod: Manifest) -> bool:
    return conditions.is_true(pod, "Ready")


def ready_since(pod: Manifest) -> datetime | None:
    condition = conditions.find(list((pod.get("status") or {}).get("conditions") or []), "Ready")
    if condition is None or condition.get("status") != "True":
        return None
    return clock.parse(str(condition.get("lastTransitionTime") or ""))


def available_at(pod: Manifest, min_ready_seconds: int) -> datetime | None:
    """When the pod is (or becomes) available: ready for `minReadySeconds`; None if not ready."""
    since = ready_since(pod)
    if since is None:
        return None
    return since + timedelta(seconds=min_ready_seconds)


def available(pod: Manifest, min_ready_seconds: int, now: datetime) -> bool:
    if not active(pod):
        return False
    at = available_at(pod, min_ready_seconds)
    return at is not None and (min_ready_seconds == 0 or at <= now)


def seconds_until_available(pods: list[Manifest], min_ready_seconds: int, now: datetime) -> float | None:
    """The shortest wait until a ready-but-not-yet-available pod becomes available."""
    waits = [
        (at - now).total_seconds()
        for pod in pods
        if active(pod)
        for at in [available_at(pod, min_ready_seconds)]
        if at is not None and at > now
    ]
    return min(waits) if waits else None


def label_selector_matches(selector: Manifest | None, labels: dict[str, str]) -> bool:
    if not selector:
        return False
    return LabelSelector.from_struct(selector).matches(labels)
