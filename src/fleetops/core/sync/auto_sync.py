"""Automated sync decisions (Argo CD `auto_sync.md`; `controller/appcontroller.go` `autoSync`).

Pure: the caller passes what the application's status says, including how long ago the last
operation finished (the engine reads its clock, core does not).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fleetops.core.sync.common import OperationPhase
from fleetops.core.sync.retry import AUTO_SYNC_RETRY_LIMIT, RetryStrategy
from fleetops.model.keys import ResourceKey

SYNCED, OUT_OF_SYNC = "Synced", "OutOfSync"


@dataclass(frozen=True, slots=True)
class Automated:
    """`spec.syncPolicy.automated`."""

    prune: bool = False
    self_heal: bool = False
    allow_empty: bool = False
    enabled: bool = True


def parse_automated(sync_policy: Mapping[str, Any] | None) -> Automated | None:
    automated = (sync_policy or {}).get("automated")
    if not isinstance(automated, Mapping):
        return None
    return Automated(
        prune=automated.get("prune") is True,
        self_heal=automated.get("selfHeal") is True,
        allow_empty=automated.get("allowEmpty") is True,
        enabled=automated.get("enabled") is not False,
    )


@dataclass(frozen=True, slots=True)
class SelfHealBackoff:
    """The controller's self-heal backoff (`--self-heal-backoff-timeout-seconds` 2,
    `--self-heal-backoff-factor` 3, `--self-heal-backoff-cap-seconds` 300) and its reset:
    `--self-heal-backoff-cooldown-seconds` 330, how long the last sync must have succeeded
    (the application staying in sync) before the attempt count starts again from zero — Argo CD
    3.0–3.2 (PR #23057). Argo CD 3.3 deprecated that flag (PR #25579) and resets the count only
    for a new revision: `cooldown=math.inf` behaves so. A new revision always starts from zero."""

    duration: float = 2.0
    factor: float = 3.0
    cap: float = 300.0
    cooldown: float = 330.0


@dataclass(frozen=True, slots=True)
class ResourceStatus:
    key: ResourceKey
    synced: bool
    requires_pruning: bool = False


@dataclass(frozen=True, slots=True)
class LastSync:
    """The application's most recent sync operation (`status.operationState`)."""

    revision: str
    phase: OperationPhase
    message: str = ""
    finished_ago: float | None = None  # seconds since it finished; None while unfinished
    self_heal_attempts: int = 0
    same_source: bool = True  # was it a sync of the source the spec names now?


@dataclass(frozen=True, slots=True)
class AutoSyncDecision:
    sync: bool
    message: str = ""
    error: str = ""  # a SyncError condition for the application, when not empty
    retry_after: float | None = None  # look again after this many seconds (self-heal backoff)
    prune: bool = False
    resources: tuple[ResourceKey, ...] = ()  # a self-heal syncs only the out-of-sync resources
    self_heal_attempts: int = 0
    retry: RetryStrategy = field(default_factory=RetryStrategy)


def self_heal_delay(attempts: int, backoff: SelfHealBackoff | None = None) -> float:
    """The wait before self-heal attempt number `attempts + 1`, from the end of the last sync.

    Argo CD `selfHealRemainingBackoff`: a `wait.Backoff{Duration, Factor, Cap}` whose `Step()` is
    called `attempts` times; the last step's value is the delay (0 for the first self-heal).
    """
    backoff = backoff or SelfHealBackoff()
    delay, duration = 0.0, backoff.duration
    for _ in range(attempts):
        delay = duration
        duration *= backoff.factor
        if backoff.cap > 0 and duration > backoff.cap:
            duration = backoff.cap
    return delay


def cooldown_elapsed(last_sync: LastSync, backoff: SelfHealBackoff | None) -> bool:
    """Has the self-heal attempt count gone back to zero? Argo CD `selfHealBackoffCooldownElapsed`:
    yes when no operation has finished yet, or when the last one succeeded at least `cooldown`
    seconds ago (a new revision starts from zero anyway: its operation is not a repeat)."""
    if last_sync.finished_ago is None:
        return True
    cooldown = (backoff or SelfHealBackoff()).cooldown
    return last_sync.phase is OperationPhase.SUCCEEDED and last_sync.finished_ago >= cooldown


def decide_auto_sync(
    *,
    automated: Automated | None,
    sync_status: str,
    revision: str,
    resources: Sequence[ResourceStatus],
    last_sync: LastSync | None = None,
    retry: RetryStrategy | None = None,
    operation_in_progress: bool = False,
    deleting: bool = False,
    self_heal_backoff: SelfHealBackoff | None = SelfHealBackoff(),
    self_heal_timeout: float = 0.0,
) -> AutoSyncDecision:
    """Should an automated sync to `revision` start now? Argo CD's rules, in its order: only
    when OutOfSync; not when only prunes are needed and prune is off; at most once per revision
    and source (a failed attempt is not repeated: the operation's own `retry` handles that);
    with selfHeal, a repeat after the self-heal backoff for the out-of-sync resources only; never
    a prune of every resource unless `allowEmpty`. `self_heal_backoff=None` uses the fixed
    `self_heal_timeout` instead (Argo's older `--self-heal-timeout-seconds`)."""
    if automated is None or not automated.enabled:
        return AutoSyncDecision(False, "automated sync is disabled")
    if operation_in_progress:
        return AutoSyncDecision(False, "Skipping auto-sync: another operation is in progress")
    if deleting:
        return AutoSyncDecision(False, "Skipping auto-sync: deletion in progress")
    if sync_status != OUT_OF_SYNC:
        return AutoSyncDecision(False, f"Skipping auto-sync: application status is {sync_status}")
    if not automated.prune and all(r.synced or r.requires_pruning for r in resources):
        return AutoSyncDecision(
            False, "Skipping auto-sync: need to prune extra resources only but automated prune is disabled"
        )
    attempted = last_sync is not None and last_sync.revision == revision and last_sync.same_source
    attempts = 0
    selected: tuple[ResourceKey, ...] = ()
    if last_sync is not None and attempted:
        succeeded = last_sync.phase is OperationPhase.SUCCEEDED
        if not succeeded:
            return AutoSyncDecision(
                False,
                f"Skipping auto-sync: failed previous sync attempt to {revision}",
                error=f"Failed sync attempt to {revision}: {last_sync.message}",
            )
        if not automated.self_heal:
            return AutoSyncDecision(False, f"Skipping auto-sync: most recent sync already to {revision}")
        attempts = 0 if cooldown_elapsed(last_sync, self_heal_backoff) else last_sync.self_heal_attempts
        if self_heal_backoff is not None:
            wait = self_heal_delay(attempts, self_heal_backoff)
        else:
            wait = self_heal_timeout
        remaining = wait - last_sync.finished_ago if last_sync.finished_ago is not None else wait
        if remaining > 0:
            return AutoSyncDecision(
                False,
                f"Skipping auto-sync: already attempted sync to {revision} (retrying in {remaining:g}s)",
                retry_after=remaining,
                self_heal_attempts=attempts,
            )
        attempts += 1
        selected = tuple(r.key for r in resources if not r.synced)
    if automated.prune and not automated.allow_empty and all(r.requires_pruning for r in resources):
        message = f"Skipping sync attempt to {revision}: auto-sync will wipe out all resources"
        return AutoSyncDecision(False, message, error=message)
    return AutoSyncDecision(
        True,
        f"Initiated automated sync to '{revision}'",
        prune=automated.prune,
        resources=selected,
        self_heal_attempts=attempts,
        retry=retry if retry is not None else RetryStrategy(limit=AUTO_SYNC_RETRY_LIMIT),
    )
