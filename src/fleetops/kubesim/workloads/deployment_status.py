"""A Deployment's status and its Available / Progressing conditions, as the controller computes them
and as `kubectl rollout status` and Argo CD's health check read them (pure)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fleetops.kubesim import clock
from fleetops.kubesim.workloads import conditions, intstr

Manifest = dict[str, Any]

AVAILABLE = "Available"
PROGRESSING = "Progressing"


def spec_replicas(deployment: Manifest) -> int:
    value = (deployment.get("spec") or {}).get("replicas")
    return 1 if value is None else int(value)


def rolling(deployment: Manifest) -> bool:
    strategy = (deployment.get("spec") or {}).get("strategy") or {}
    return bool(strategy.get("type", "RollingUpdate") == "RollingUpdate")


def surge_and_unavailable(deployment: Manifest) -> tuple[int, int]:
    """maxSurge (rounded up) and maxUnavailable (rounded down, at most replicas) of a rolling update;
    a Recreate Deployment has neither."""
    replicas = spec_replicas(deployment)
    if not rolling(deployment):
        return 0, 0
    params = ((deployment.get("spec") or {}).get("strategy") or {}).get("rollingUpdate") or {}
    surge, unavailable = intstr.surge_and_unavailable(
        params.get("maxSurge"), params.get("maxUnavailable"), replicas
    )
    return surge, min(unavailable, replicas)


def _counts(rs: Manifest) -> tuple[int, int, int, int]:
    spec = int((rs.get("spec") or {}).get("replicas") or 0)
    status = rs.get("status") or {}
    return (
        spec,
        int(status.get("replicas") or 0),
        int(status.get("readyReplicas") or 0),
        int(status.get("availableReplicas") or 0),
    )


def calculate(deployment: Manifest, new_rs: Manifest | None, all_sets: list[Manifest], now: str) -> Manifest:
    """`calculateStatus`: counts from the ReplicaSets, and the Available condition."""
    counts = [_counts(rs) for rs in all_sets]
    available = sum(c[3] for c in counts)
    total_spec = sum(c[0] for c in counts)
    old = deployment.get("status") or {}
    status: Manifest = {
        "observedGeneration": int(deployment["metadata"].get("generation") or 1),
        "replicas": sum(c[1] for c in counts),
        "updatedReplicas": _counts(new_rs)[1] if new_rs is not None else 0,
        "readyReplicas": sum(c[2] for c in counts),
        "availableReplicas": available,
        "unavailableReplicas": max(0, total_spec - available),
    }
    if old.get("collisionCount") is not None:
        status["collisionCount"] = old["collisionCount"]
    found = list(old.get("conditions") or [])
    _, max_unavailable = surge_and_unavailable(deployment)
    if available >= spec_replicas(deployment) - max_unavailable:
        found = conditions.put(
            found,
            AVAILABLE,
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.",
            now=now,
            update_time=True,
        )
    else:
        found = conditions.put(
            found,
            AVAILABLE,
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
            now=now,
            update_time=True,
        )
    status["conditions"] = found
    return status


def complete(deployment: Manifest, status: Manifest) -> bool:
    """`DeploymentComplete`: every replica updated and available, and the latest spec observed."""
    replicas = spec_replicas(deployment)
    return (
        int(status.get("updatedReplicas") or 0) == replicas
        and int(status.get("replicas") or 0) == replicas
        and int(status.get("availableReplicas") or 0) == replicas
        and int(status.get("observedGeneration") or 0) >= int(deployment["metadata"].get("generation") or 1)
    )


def _progressed(old: Manifest, new: Manifest) -> bool:
    """`DeploymentProgressing`: more updated, ready or available replicas, or fewer old ones."""

    def number(status: Manifest, key: str) -> int:
        return int(status.get(key) or 0)

    old_olds = number(old, "replicas") - number(old, "updatedReplicas")
    new_olds = number(new, "replicas") - number(new, "updatedReplicas")
    return (
        number(new, "updatedReplicas") > number(old, "updatedReplicas")
        or new_olds < old_olds
        or number(new, "readyReplicas") > number(old, "readyReplicas")
        or number(new, "availableReplicas") > number(old, "availableReplicas")
    )


def deadline_seconds(deployment: Manifest) -> int | None:
    value = (deployment.get("spec") or {}).get("progressDeadlineSeconds")
    return None if value is None else int(value)


def _timed_out(deployment: Manifest, status: Manifest, moment: datetime) -> bool:
    deadline = deadline_seconds(deployment)
    condition = conditions.find(list(status.get("conditions") or []), PROGRESSING)
    if deadline is None or condition is None:
        return False
    if condition.get("reason") == "ProgressDeadlineExceeded":
        return True
    since = clock.parse(str(condition.get("lastUpdateTime") or ""))
    return since is not None and moment > since + timedelta(seconds=deadline)


def with_progress(
    deployment: Manifest, status: Manifest, new_rs: Manifest | None, moment: datetime
) -> tuple[Manifest, float | None]:
    """`syncRolloutStatus`: the Progressing condition; also the seconds after which to look again
    for a timeout (None when complete, timed out or without a deadline)."""
    now = clock.rfc3339(moment)
    found = list(status.get("conditions") or [])
    if deadline_seconds(deployment) is None:
        return {**status, "conditions": conditions.remove(found, PROGRESSING)}, None
    current = conditions.find(found, PROGRESSING)
    rs_name = str(new_rs["metadata"]["name"]) if new_rs is not None else ""
    finished = (
        int(status.get("replicas") or 0) == int(status.get("updatedReplicas") or 0)
        and current is not None
        and current.get("reason") == "NewReplicaSetAvailable"
    )
    if not finished:
        old = deployment.get("status") or {}
        if complete(deployment, status):
            message = (
                f'ReplicaSet "{rs_name}" has successfully progressed.'
                if rs_name
                else f'Deployment "{deployment["metadata"]["name"]}" has successfully progressed.'
            )
            found = conditions.put(
                found, PROGRESSING, "True", "NewReplicaSetAvailable", message, now=now, update_time=True
            )
        elif _progressed(old, status):
            found = conditions.put(
                found,
                PROGRESSING,
                "True",
                "ReplicaSetUpdated",
                f'ReplicaSet "{rs_name}" is progressing.',
                now=now,
                update_time=True,
                force=True,
            )
        elif _timed_out(deployment, {**status, "conditions": found}, moment):
            found = conditions.put(
                found,
                PROGRESSING,
                "False",
                "ProgressDeadlineExceeded",
                f'ReplicaSet "{rs_name}" has timed out progressing.',
                now=now,
                update_time=True,
            )
    result = {**status, "conditions": found}
    return result, _requeue(deployment, result, moment)


def _requeue(deployment: Manifest, status: Manifest, moment: datetime) -> float | None:
    deadline = deadline_seconds(deployment)
    condition = conditions.find(list(status.get("conditions") or []), PROGRESSING)
    if deadline is None or condition is None or complete(deployment, status):
        return None
    if condition.get("reason") in ("ProgressDeadlineExceeded", "NewReplicaSetAvailable"):
        return None
    since = clock.parse(str(condition.get("lastUpdateTime") or ""))
    if since is None:
        return None
    return max(0.0, (since + timedelta(seconds=deadline) - moment).total_seconds()) + 0.05


def status_of(
    deployment: Manifest,
    new_rs: Manifest | None,
    all_sets: list[Manifest],
    moment: datetime,
    *,
    created: bool,
    paused: bool,
) -> tuple[Manifest, float | None]:
    """The whole status of a sync: counts, Available, and Progressing (paused or resumed, a new
    ReplicaSet created or found, progress, completion or timeout); also when to look again."""
    now = clock.rfc3339(moment)
    status = calculate(deployment, new_rs, all_sets, now)
    if deadline_seconds(deployment) is None:
        return with_progress(deployment, status, new_rs, moment)
    found = list(status.get("conditions") or [])
    progressing = conditions.find(found, PROGRESSING)
    reason = progressing.get("reason") if progressing is not None else None
    if paused:
        if reason != "DeploymentPaused":
            found = conditions.put(
                found,
                PROGRESSING,
                "Unknown",
                "DeploymentPaused",
                "Deployment is paused",
                now=now,
                update_time=True,
            )
        return {**status, "conditions": found}, None
    if reason == "DeploymentPaused":
        found = conditions.put(
            found,
            PROGRESSING,
            "Unknown",
            "DeploymentResumed",
            "Deployment is resumed",
            now=now,
            update_time=True,
        )
    if new_rs is not None and (created or progressing is None):
        name = new_rs["metadata"]["name"]
        reason, message = (
            ("NewReplicaSetCreated", f'Created new replica set "{name}"')
            if created
            else ("FoundNewReplicaSet", f'Found new replica set "{name}"')
        )
        found = conditions.put(
            found, PROGRESSING, "True", reason, message, now=now, update_time=True, force=created
        )
    return with_progress(deployment, {**status, "conditions": found}, new_rs, moment)


def compact(status: Manifest) -> Manifest:
    """Drop zero counts, as the API's `omitempty` does."""
    keys = ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas")
    return {key: value for key, value in status.items() if key not in keys or value}
