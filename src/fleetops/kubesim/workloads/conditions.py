"""Status conditions: set with the API's rules for `lastTransitionTime`."""

from __future__ import annotations

import copy
from typing import Any

Manifest = dict[str, Any]


def find(conditions: list[Manifest], kind: str) -> Manifest | None:
    for condition in conditions:
        if condition.get("type") == kind:
            return condition
    return None


def put(
    conditions: list[Manifest],
    kind: str,
    status: str,
    reason: str,
    message: str,
    *,
    now: str,
    update_time: bool = False,
    probe_time: bool = False,
    force: bool = False,
) -> list[Manifest]:
    """A new list with the condition set. Unchanged status and reason keep the old one (unless
    `force`); an unchanged status keeps its `lastTransitionTime`. A changed condition moves last."""
    current = find(conditions, kind)
    if (
        current is not None
        and not force
        and current.get("status") == status
        and current.get("reason") == reason
    ):
        return copy.deepcopy(conditions)
    condition: Manifest = {"type": kind, "status": status}
    if probe_time:
        condition["lastProbeTime"] = None
    if update_time:
        condition["lastUpdateTime"] = now
    keep = current is not None and current.get("status") == status
    condition["lastTransitionTime"] = current.get("lastTransitionTime", now) if keep and current else now
    if reason:
        condition["reason"] = reason
    if message:
        condition["message"] = message
    return [copy.deepcopy(c) for c in conditions if c.get("type") != kind] + [condition]


def remove(conditions: list[Manifest], kind: str) -> list[Manifest]:
    return [copy.deepcopy(c) for c in conditions if c.get("type") != kind]


def is_true(obj: Manifest, kind: str) -> bool:
    found = find(list((obj.get("status") or {}).get("conditions") or []), kind)
    return found is not None and found.get("status") == "True"
