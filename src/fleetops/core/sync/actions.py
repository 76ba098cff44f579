"""What a sync asks the engine to do (`Action`) and what the engine reports back (`ActionResult`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from fleetops.core.health import HealthResult
from fleetops.core.sync.common import SyncPhase
from fleetops.core.sync.options import PropagationPolicy, ResourceSyncOptions
from fleetops.model.keys import ResourceKey
from fleetops.model.manifest import Manifest


class ActionKind(enum.StrEnum):
    APPLY = "apply"  # server-side apply `manifest`
    REPLACE = "replace"  # create or PUT `manifest` (Replace=true)
    DELETE = "delete"  # prune the live object, with `propagation_policy`
    CREATE_HOOK = "create-hook"  # create the hook object `manifest`
    DELETE_HOOK = "delete-hook"  # delete a hook object (delete policies)
    WAIT_HEALTHY = "wait-healthy"  # observe the live object's health and report it


@dataclass(frozen=True, slots=True)
class Action:
    kind: ActionKind
    key: ResourceKey
    phase: SyncPhase
    manifest: Manifest | None = field(default=None, compare=False, repr=False)
    propagation_policy: PropagationPolicy | None = None
    force: bool = False
    # the resource's own sync options (Validate, ServerSideApply, SkipDryRunOnMissingResource, ...)
    options: ResourceSyncOptions | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.kind} {self.phase} {self.key}"


@dataclass(frozen=True, slots=True)
class ActionResult:
    """The outcome of one action. For WAIT_HEALTHY: `health` is the live object's health (None
    when its kind has no health rule) and `exists` is False when the object is gone."""

    action: Action
    ok: bool = True
    message: str = ""
    health: HealthResult | None = None
    exists: bool = True
