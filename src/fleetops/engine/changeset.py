"""`ChangeSet`: what a sync did to the cluster, as data (Flux's ChangeSet)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from fleetops.model.keys import ResourceKey


class ChangeAction(enum.StrEnum):
    CREATED = "created"
    CONFIGURED = "configured"
    UNCHANGED = "unchanged"
    DELETED = "deleted"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Change:
    key: ResourceKey
    action: ChangeAction
    message: str = ""


@dataclass
class ChangeSet:
    entries: list[Change] = field(default_factory=list)

    def add(self, key: ResourceKey, action: ChangeAction, message: str = "") -> None:
        self.entries.append(Change(key, action, message))

    def of(self, action: ChangeAction) -> list[ResourceKey]:
        return [entry.key for entry in self.entries if entry.action is action]

    def __len__(self) -> int:
        return len(self.entries)
