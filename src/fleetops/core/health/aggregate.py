"""Application health: the worst health of its resources (Argo CD's `setApplicationHealth`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fleetops.core.health.assess import assess, has_health_rule
from fleetops.core.health.status import HealthResult, HealthStatus, worst
from fleetops.model.gvk import GroupKind
from fleetops.model.keys import ResourceKey

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


HOOK_ANNOTATIONS = ("argocd.argoproj.io/hook", "helm.sh/hook")


def _is_hook(obj: Mapping[str, Any]) -> bool:
    metadata = obj.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, Mapping) else None
    return isinstance(annotations, Mapping) and any(key in annotations for key in HOOK_ANNOTATIONS)


def application_health(
    desired: Iterable[Mapping[str, Any]],
    live: Mapping[ResourceKey, Mapping[str, Any]],
    *,
    is_hook: Callable[[Mapping[str, Any]], bool] = _is_hook,
) -> tuple[HealthStatus, dict[ResourceKey, HealthResult | None]]:
    """The application's health and each managed resource's, from its desired objects and its
    managed live objects. Hooks (desired or live, `is_hook`; pass `fleetops.core.sync.is_hook` for
    Argo's exact rule) take no part; a desired object without a live one is Missing."""
    targets = {ResourceKey.of(obj): obj for obj in desired}
    per_resource: dict[ResourceKey, HealthResult | None] = {}
    contributions: list[ResourceHealth] = []
    for key in sorted(targets.keys() | live.keys()):
        target, live_obj = targets.get(key), live.get(key)
        if (target is not None and is_hook(target)) or (live_obj is not None and is_hook(live_obj)):
            continue
        health = resource_health(key.group_kind, live_obj)
        per_resource[key] = health.result
        contributions.append(health)
    return aggregate(contributions), per_resource
