"""What `check` finds: one `Violation` per refused repository, destination, namespace or
resource, with Argo CD's message and the condition type Argo CD reports it as."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from fleetops.core.app.conditions import Condition, ConditionType, condition
from fleetops.model.keys import ResourceKey


class ViolationKind(enum.StrEnum):
    PROJECT_NOT_FOUND = "ProjectNotFound"
    SOURCE_NAMESPACE = "SourceNamespace"
    SOURCE_REPO = "SourceRepo"
    DESTINATION = "Destination"
    RESOURCE_KIND = "ResourceKind"
    RESOURCE_NAMESPACE = "ResourceNamespace"


@dataclass(frozen=True, slots=True)
class Violation:
    kind: ViolationKind
    message: str
    resource: ResourceKey | None = None

    @property
    def condition_type(self) -> ConditionType:
        """InvalidSpecError for the application's own fields; SyncError for a resource it
        would write (Argo CD fails that resource's sync)."""
        if self.resource is not None:
            return ConditionType.SYNC_ERROR
        return ConditionType.INVALID_SPEC_ERROR


def violation_conditions(violations: list[Violation], *, now: str | None = None) -> list[Condition]:
    """One condition per violation (Argo CD lists each refused field separately)."""
    return [condition(item.condition_type, item.message, now=now) for item in violations]
