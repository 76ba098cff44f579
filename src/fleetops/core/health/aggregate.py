"""Application health: the worst health of its resources (Argo CD's `setApplicationHealth`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fleetops.core.health.assess import assess, has_health_rule
from fleetops.core.health.status import HealthResult, HealthStatus, worst
from fleetops.model.gvk import GroupKind

APPLICATION = GroupKind("argoproj.io", "Application")


@dataclass(frozen=True, slots=True)
class ResourceHealth:
    """One managed resource's contribution: its kind, its health (None = no health rule, or not
    assessed), and whether it is a hook."""

    group_kind: GroupKind
    result: HealthResult | None
    hook: bool = False


def aggregate(results: Iterable[HealthResult | ResourceHealth | None]) -> HealthStatus:
    """The worst of `results`, Healthy when nothing counts.

    Resources without health (None) and hooks do not count. A Missing resource counts only when
    its kind has a health rule (Argo: a missing Secret does not make the app Missing), and a
    child Argo CD Application that is Missing or Unknown does not count. `aggregate_as` replaces a
    resource's status (a suspended Job counts as Healthy).
    """
    statuses: list[HealthStatus] = []
    for item in results:
        if item is None:
            continue
        if isinstance(item, HealthResult):
            statuses.append(item.aggregated)
            continue
        if item.hook or item.result is None:
            continue
        status = item.result.aggregated
        if status is HealthStatus.MISSING and not has_health_rule(item.group_kind):
            continue
        if item.group_kind == APPLICATION and status in (HealthStatus.MISSING, HealthStatus.UNKNOWN):
            continue
        statuses.append(status)
    return worst(statuses)


def resource_health(
    group_kind: GroupKind, live: Mapping[str, Any] | None, *, hook: bool = False
) -> ResourceHealth:
    """A managed resource's health: Missing when it has no live object, else `assess(live)`."""
    result = HealthResult(HealthStatus.MISSING) if live is None else assess(live)
    return ResourceHealth(group_kind, result, hook)
