"""`HealthStatus` (Argo CD's codes and their ordering) and `HealthResult` (one resource's health)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class HealthStatus(enum.StrEnum):
    """Argo CD's health codes; `ORDER` lists them from most to least healthy (gitops-engine's
    `healthOrder`), which `is_worse` and `worst` follow."""

    HEALTHY = "Healthy"
    SUSPENDED = "Suspended"
    PROGRESSING = "Progressing"
    MISSING = "Missing"
    DEGRADED = "Degraded"
    UNKNOWN = "Unknown"

    @property
    def rank(self) -> int:
        return ORDER.index(self)


ORDER: tuple[HealthStatus, ...] = (
    HealthStatus.HEALTHY,
    HealthStatus.SUSPENDED,
    HealthStatus.PROGRESSING,
    HealthStatus.MISSING,
    HealthStatus.DEGRADED,
    HealthStatus.UNKNOWN,
)


def is_worse(current: HealthStatus, new: HealthStatus) -> bool:
    """Argo CD's `IsWorse(current, new)`: is `new` a worse condition than `current`?"""
    return new.rank > current.rank


def worst(statuses: Iterable[HealthStatus], default: HealthStatus = HealthStatus.HEALTHY) -> HealthStatus:
    """The worst of `statuses`; `default` when there are none."""
    result = default
    for status in statuses:
        if is_worse(result, status):
            result = status
    return result


@dataclass(frozen=True, slots=True)
class HealthResult:
    """The health of one resource. `aggregate_as`, when set, is what the resource contributes to
    its application's health instead of `status` (a suspended Job is Suspended but counts as
    Healthy, like Argo CD's `AggregateAs`)."""

    status: HealthStatus
    message: str = ""
    aggregate_as: HealthStatus | None = None

    @property
    def aggregated(self) -> HealthStatus:
        return self.aggregate_as if self.aggregate_as is not None else self.status
