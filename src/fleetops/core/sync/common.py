"""The vocabulary of a sync operation, with Argo CD's spelling (gitops-engine `sync/common`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from fleetops.model.keys import ResourceKey


class SyncPhase(enum.StrEnum):
    PRE_SYNC = "PreSync"
    SYNC = "Sync"
    POST_SYNC = "PostSync"
    SYNC_FAIL = "SyncFail"

    @property
    def order(self) -> int:
        return _PHASE_ORDER[self]


_PHASE_ORDER = {SyncPhase.PRE_SYNC: -1, SyncPhase.SYNC: 0, SyncPhase.POST_SYNC: 1, SyncPhase.SYNC_FAIL: 2}


class OperationPhase(enum.StrEnum):
    RUNNING = "Running"
    TERMINATING = "Terminating"
    FAILED = "Failed"
    ERROR = "Error"
    SUCCEEDED = "Succeeded"

    @property
    def completed(self) -> bool:
        return self in (OperationPhase.FAILED, OperationPhase.ERROR, OperationPhase.SUCCEEDED)


class ResultCode(enum.StrEnum):
    SYNCED = "Synced"
    SYNC_FAILED = "SyncFailed"
    PRUNED = "Pruned"
    PRUNE_SKIPPED = "PruneSkipped"


class HookType(enum.StrEnum):
    PRE_SYNC = "PreSync"
    SYNC = "Sync"
    POST_SYNC = "PostSync"
    SYNC_FAIL = "SyncFail"
    SKIP = "Skip"


class HookDeletePolicy(enum.StrEnum):
    HOOK_SUCCEEDED = "HookSucceeded"
    HOOK_FAILED = "HookFailed"
    BEFORE_HOOK_CREATION = "BeforeHookCreation"


@dataclass(frozen=True, slots=True)
class ResourceResult:
    """One resource's (or hook's) outcome in a sync operation (Argo's `ResourceSyncResult`)."""

    key: ResourceKey
    status: ResultCode
    hook_phase: OperationPhase | None = None
    message: str = ""
    sync_phase: SyncPhase = SyncPhase.SYNC
    hook_type: HookType | None = None
    order: int = 0
