"""The arithmetic of a rolling update, as the deployment controller does it (pure).

`scale_up` is `NewRSNewReplicas`; `scale_down` is `cleanupUnhealthyReplicas` followed by
`scaleDownOldReplicaSetsForRollingUpdate`: old ReplicaSets, oldest first, lose unavailable
replicas first and then available ones while more than `replicas - maxUnavailable` stay available.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class ReplicaSetCounts:
    name: str
    replicas: int
    """spec.replicas"""
    available: int
    """status.availableReplicas (never more than spec.replicas)."""
    created: str = ""


def scale_up(
    replicas: int, max_surge: int, new: ReplicaSetCounts | None, all_sets: list[ReplicaSetCounts]
) -> int:
    """The new ReplicaSet's replicas for this step (it never shrinks here unless above `replicas`)."""
    current_new = new.replicas if new is not None else 0
    if current_new >= replicas:
        return replicas
    total = sum(rs.replicas for rs in all_sets)
    allowed = replicas + max_surge
    if total >= allowed:
        return current_new
    return current_new + min(allowed - total, replicas - current_new)


def scale_down(
    replicas: int, max_unavailable: int, new: ReplicaSetCounts, olds: list[ReplicaSetCounts]
) -> dict[str, int]:
    """New spec.replicas of the old ReplicaSets that shrink in this step."""
    if sum(rs.replicas for rs in olds) == 0:
        return {}
    min_available = replicas - max_unavailable
    all_pods = new.replicas + sum(rs.replicas for rs in olds)
    new_unavailable = new.replicas - new.available
    budget = all_pods - min_available - new_unavailable
    if budget <= 0:
        return {}
    ordered = sorted(olds, key=lambda rs: (rs.created, rs.name))
    changed: dict[str, int] = {}
    cleaned = 0
    for index, rs in enumerate(ordered):
        if cleaned >= budget:
            break
        unhealthy = rs.replicas - rs.available
        if rs.replicas == 0 or unhealthy <= 0:
            continue
        step = min(budget - cleaned, unhealthy)
        ordered[index] = replace(rs, replicas=rs.replicas - step)
        changed[rs.name] = rs.replicas - step
        cleaned += step
    available = new.available + sum(rs.available for rs in ordered)
    if available > min_available:
        to_remove = available - min_available
        removed = 0
        for rs in ordered:
            if removed >= to_remove:
                break
            if rs.replicas == 0:
                continue
            step = min(rs.replicas, to_remove - removed)
            changed[rs.name] = rs.replicas - step
            removed += step
    return changed
