"""Sync planning for Argo CD Applications: options, hooks, waves, the plan and its state machine,
tracking, retries and automated-sync decisions (pure; the engine executes the actions).

Public API::

    parse_sync_options(list[str] | None) -> SyncOptions       # spec.syncPolicy.syncOptions
    resource_sync_options(obj) -> ResourceSyncOptions          # argocd.argoproj.io/sync-options
    hook_types(obj), is_hook(obj), is_skipped(obj), hook_phases(obj), delete_policies(obj)
    sync_wave(obj, *, strict=True) -> int; kind_order(kind) -> int
    plan_sync(desired, live, *, options, out_of_sync, prune, resources, skip_hooks, namespace,
              managed_namespace_metadata, revision, sync_id, prune_confirmed) -> SyncPlan
    SyncPlan(steps, sync_fail, skipped, options); SyncStep(phase, wave, tasks); SyncTask
    start(plan) -> SyncState; next_actions(state) -> list[Action]; state.record(ActionResult) -> state
    resume(plan, recorded: Iterable[ResourceResult]) -> SyncState   # re-entered on a later reconcile
    dry_run_tasks(plan) -> list[SyncTask]; namespace_task(plan) -> SyncTask | None (created first);
    skips_missing_kind(task, plan) -> bool;
    dry_run_failed(plan, [(task, message)]) -> SyncState  # Failed: "... failed to apply (dry run)"
    state.finished_hook(action) -> bool; state.running_hooks() -> list[SyncTask]  # hook finalizers
    state.phase / .message / .results / .done; state.terminate(); state.error(message)
    Action(kind: ActionKind, key, phase, manifest, propagation_policy, force)
    ActionResult(action, ok=True, message="", health=None, exists=True)
    ResourceResult(key, status: ResultCode, hook_phase: OperationPhase, message, sync_phase, ...)
    plan_app_deletion(live, *, propagation_policy, confirmed) -> AppDeletion(deletes, kept)
    tracking_id(app, obj), parse_tracking_id(value) -> TrackingId, is_managed_by(obj, app),
    app_name_of(obj, *, method), with_tracking(obj, app, *, method), instance_name(...)
    parse_retry(spec) -> RetryStrategy | None; retry_delay(attempt, backoff) -> float seconds;
    should_retry(retry, retry_count) -> bool; parse_duration("1h2m") -> float seconds
    parse_automated(sync_policy) -> Automated | None; decide_auto_sync(...) -> AutoSyncDecision;
    self_heal_delay(attempts, backoff) -> float seconds
    Errors: SyncPlanError(ValueError) > SyncOptionError, SyncWaveError, HookError; RetryError;
    TrackingIdError; DurationError
"""

from fleetops.core.sync.actions import Action, ActionKind, ActionResult
from fleetops.core.sync.auto_sync import (
    Automated,
    AutoSyncDecision,
    LastSync,
    ResourceStatus,
    SelfHealBackoff,
    decide_auto_sync,
    parse_automated,
    self_heal_delay,
)
from fleetops.core.sync.common import (
    HookDeletePolicy,
    HookType,
    OperationPhase,
    ResourceResult,
    ResultCode,
    SyncPhase,
)
from fleetops.core.sync.deletion import AppDeletion, plan_app_deletion
from fleetops.core.sync.dry_run import dry_run_tasks, namespace_task, skips_missing_kind
from fleetops.core.sync.durations import DurationError, parse_duration
from fleetops.core.sync.errors import HookError, SyncOptionError, SyncPlanError, SyncWaveError
from fleetops.core.sync.hooks import delete_policies, hook_phases, hook_types, is_hook, is_skipped
from fleetops.core.sync.options import (
    PropagationPolicy,
    ResourceSyncOptions,
    SyncOptions,
    parse_sync_options,
    resource_sync_options,
)
from fleetops.core.sync.plan import SyncPlan, SyncStep, plan_sync
from fleetops.core.sync.retry import (
    Backoff,
    RetryError,
    RetryStrategy,
    parse_retry,
    retry_delay,
    should_retry,
)
from fleetops.core.sync.state import SyncState, dry_run_failed, next_actions, resume, start
from fleetops.core.sync.tasks import SyncTask, TaskOperation
from fleetops.core.sync.tracking import (
    TrackingId,
    TrackingIdError,
    TrackingMethod,
    app_name_of,
    instance_name,
    is_managed_by,
    parse_tracking_id,
    tracking_id,
    with_tracking,
)
from fleetops.core.sync.waves import kind_order, sync_wave

__all__ = [
    "Action",
    "ActionKind",
    "ActionResult",
    "AppDeletion",
    "AutoSyncDecision",
    "Automated",
    "Backoff",
    "DurationError",
    "HookDeletePolicy",
    "HookError",
    "HookType",
    "LastSync",
    "OperationPhase",
    "PropagationPolicy",
    "ResourceResult",
    "ResourceStatus",
    "ResourceSyncOptions",
    "ResultCode",
    "RetryError",
    "RetryStrategy",
    "SelfHealBackoff",
    "SyncOptionError",
    "SyncOptions",
    "SyncPhase",
    "SyncPlan",
    "SyncPlanError",
    "SyncState",
    "SyncStep",
    "SyncTask",
    "SyncWaveError",
    "TaskOperation",
    "TrackingId",
    "TrackingIdError",
    "TrackingMethod",
    "app_name_of",
    "decide_auto_sync",
    "delete_policies",
    "dry_run_failed",
    "dry_run_tasks",
    "hook_phases",
    "hook_types",
    "instance_name",
    "is_hook",
    "is_managed_by",
    "is_skipped",
    "kind_order",
    "namespace_task",
    "next_actions",
    "parse_automated",
    "parse_duration",
    "parse_retry",
    "parse_sync_options",
    "parse_tracking_id",
    "plan_app_deletion",
    "plan_sync",
    "resource_sync_options",
    "resume",
    "retry_delay",
    "self_heal_delay",
    "should_retry",
    "skips_missing_kind",
    "start",
    "sync_wave",
    "tracking_id",
    "with_tracking",
]
