"""Decide: should this reconcile sync, and how? An explicit `operation.sync` (what `fleetops app
sync` writes) wins; otherwise Argo CD's automated-sync rules (once per revision, self-heal with
backoff, never wiping everything out unless allowEmpty)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fleetops.core import app as applications
from fleetops.core import sync
from fleetops.core.app.fields import mapping
from fleetops.core.diff import ComparisonResult
from fleetops.model.keys import ResourceKey


@dataclass(frozen=True)
class SyncRequest:
    """A sync to run now: the operation as it goes into `status.operationState.operation`."""

    operation: dict[str, Any]
    prune: bool
    resources: frozenset[ResourceKey] | None = None
    sync_options: tuple[str, ...] = ()
    automated: bool = False
    retry: sync.RetryStrategy | None = None
    message: str = ""


@dataclass(frozen=True)
class Decision:
    request: SyncRequest | None = None
    message: str = ""
    error: str = ""
    """A SyncError condition (e.g. a failed automated sync of this revision)."""
    retry_after: float | None = None
    self_heal_attempts: int = 0
    finished_operation: bool = False
    """`operation` has already run (`operation_finished`): clear it, run nothing."""
    notes: tuple[str, ...] = field(default=())


def parse_time(text: Any) -> datetime.datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def last_sync(app: Mapping[str, Any], now: datetime.datetime) -> sync.LastSync | None:
    state = mapping(mapping(app.get("status")).get("operationState"))
    if not state:
        return None
    result = mapping(state.get("syncResult"))
    operation_sync = mapping(mapping(state.get("operation")).get("sync"))
    revision = str(result.get("revision") or operation_sync.get("revision") or "")
    try:
        phase = sync.OperationPhase(str(state.get("phase") or "Running"))
    except ValueError:
        phase = sync.OperationPhase.ERROR
    finished = parse_time(state.get("finishedAt"))
    source = result.get("source")
    current = mapping(app.get("spec")).get("source")
    return sync.LastSync(
        revision=revision,
        phase=phase,
        message=str(state.get("message") or ""),
        finished_ago=(now - finished).total_seconds() if finished is not None else None,
        self_heal_attempts=int(operation_sync.get("selfHealAttemptsCount") or 0),
        same_source=source is None or source == current,
    )


COMPLETED_PHASES = ("Succeeded", "Failed", "Error")


def operation_finished(app: Mapping[str, Any]) -> bool:
    """Has the requested `operation` already run to its end? (Argo CD: never run an operation
    twice.) True when `status.operationState` records this very operation in a completed phase
    with its `finishedAt`, and the application has not changed since that status was written
    (`status.observedGeneration` is its `metadata.generation`): only its clean-up (clearing
    `operation`) is left to do — the status was written and the controller stopped, or read a
    stale copy, before `operation` was removed.

    A user who asks again for the very same sync (`fleetops app sync --revision SHA` twice) writes
    `operation` anew after the controller removed it: the generation has moved on (every change
    of `operation` bumps it), so the request runs again, as a manual sync in Argo CD always does."""
    operation = app.get("operation")
    if not isinstance(operation, Mapping):
        return False
    status = mapping(app.get("status"))
    state = mapping(status.get("operationState"))
    recorded = state.get("operation")
    if not (
        isinstance(recorded, Mapping)
        and same_operation(operation, recorded)
        and str(state.get("phase") or "") in COMPLETED_PHASES
        and bool(state.get("finishedAt"))
    ):
        return False
    observed = status.get("observedGeneration")
    generation = mapping(app.get("metadata")).get("generation")
    if isinstance(observed, int) and isinstance(generation, int):
        return observed == generation
    return True


RUNNING_PHASES = ("Running", "Terminating")


@dataclass(frozen=True)
class Ongoing:
    """An operation the application's `status.operationState` says has started and not ended:
    the controller takes it up again on every reconcile (and after a restart) from there, like
    Argo CD (`isOperationInProgress`): nothing about it lives only in memory."""

    request: SyncRequest
    started_at: str
    revision: str
    retry_count: int = 0
    retry_at: datetime.datetime | None = None
    """Set while a failed attempt waits for its retry (phase Running with `finishedAt`)."""
    results: tuple[sync.ResourceResult, ...] = ()
    """What the running attempt has recorded so far (`syncResult.resources`)."""
    withdrawn: bool = False
    """The user's `operation` it runs has been removed: it ends (Argo's terminate)."""
    terminating: bool = False


def same_operation(requested: Mapping[str, Any], recorded: Mapping[str, Any]) -> bool:
    """Is `recorded` (`operationState.operation`, where the engine fills in the revision it
    resolved) the operation `requested` (the application's `operation`)?"""
    if requested == recorded:
        return True
    requested_sync, recorded_sync = mapping(requested.get("sync")), mapping(recorded.get("sync"))
    if requested_sync.get("revision") or "revision" not in recorded_sync:
        return False
    unresolved = {k: v for k, v in recorded_sync.items() if k != "revision"}
    return {**recorded, "sync": unresolved} == dict(requested)


def ongoing_operation(app: Mapping[str, Any]) -> Ongoing | None:
    """The operation in progress according to the application's status (None: none is)."""
    state = mapping(mapping(app.get("status")).get("operationState"))
    phase = str(state.get("phase") or "")
    recorded = mapping(state.get("operation"))
    if phase not in RUNNING_PHASES or not isinstance(recorded.get("sync"), Mapping):
        return None
    requested = app.get("operation")
    automated = mapping(recorded.get("initiatedBy")).get("automated") is True
    if isinstance(requested, Mapping) and not same_operation(requested, recorded):
        return None  # a new request replaces it
    request = _request(recorded, automated=automated, message="Resuming the sync operation")
    result = mapping(state.get("syncResult"))
    revision = str(result.get("revision") or mapping(recorded.get("sync")).get("revision") or "")
    count = state.get("retryCount")
    retry_count = count if isinstance(count, int) and not isinstance(count, bool) and count > 0 else 0
    finished = parse_time(state.get("finishedAt"))
    retry_at = None
    if finished is not None and request.retry is not None and retry_count > 0:
        retry_at = finished + datetime.timedelta(
            seconds=sync.retry_delay(retry_count - 1, request.retry.backoff)
        )
    return Ongoing(
        request=request,
        started_at=str(state.get("startedAt") or ""),
        revision=revision,
        retry_count=retry_count,
        retry_at=retry_at,
        results=tuple(recorded_results(result.get("resources"))),
        withdrawn=not automated and requested is None,
        terminating=phase == "Terminating",
    )


def recorded_results(entries: Any) -> list[sync.ResourceResult]:
    """`syncResult.resources` back as `ResourceResult`s (entries that do not parse are left out:
    their tasks simply run again)."""
    results: list[sync.ResourceResult] = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping):
            continue
        try:
            hook_phase = entry.get("hookPhase")
            hook_type = entry.get("hookType")
            results.append(
                sync.ResourceResult(
                    ResourceKey(
                        str(entry.get("group") or ""),
                        str(entry.get("kind") or ""),
                        str(entry.get("namespace") or ""),
                        str(entry.get("name") or ""),
                    ),
                    sync.ResultCode(str(entry.get("status"))),
                    sync.OperationPhase(str(hook_phase)) if hook_phase else None,
                    str(entry.get("message") or ""),
                    sync.SyncPhase(str(entry.get("syncPhase") or "Sync")),
                    sync.HookType(str(hook_type)) if hook_type else None,
                )
            )
        except ValueError:
            continue
    return results


def explicit_request(app: Mapping[str, Any]) -> SyncRequest | None:
    """`operation.sync`, if the application carries one that has not run yet."""
    if operation_finished(app):
        return None
    operation = app.get("operation")
    if not isinstance(operation, Mapping) or not isinstance(operation.get("sync"), Mapping):
        return None
    return _request(operation, automated=False, message="Initiated sync operation")


def _request(operation: Mapping[str, Any], *, automated: bool, message: str) -> SyncRequest:
    requested = operation["sync"]
    keys: frozenset[ResourceKey] | None = None
    if isinstance(requested.get("resources"), list):
        keys = frozenset(
            ResourceKey(
                str(r.get("group") or ""),
                str(r.get("kind") or ""),
                str(r.get("namespace") or ""),
                str(r.get("name") or ""),
            )
            for r in requested["resources"]
            if isinstance(r, Mapping)
        )
    options = tuple(str(o) for o in requested.get("syncOptions") or ())
    retry = sync.parse_retry(operation.get("retry")) if isinstance(operation.get("retry"), Mapping) else None
    return SyncRequest(
        operation=dict(operation),
        prune=requested.get("prune") is True,
        resources=keys,
        sync_options=options,
        automated=automated,
        retry=retry,
        message=message,
    )


def decide(
    app: Mapping[str, Any],
    *,
    policy: applications.SyncPolicy,
    comparison: ComparisonResult,
    revision: str,
    now: datetime.datetime,
    self_heal_backoff: sync.SelfHealBackoff,
) -> Decision:
    if operation_finished(app):
        return Decision(None, "the requested operation has already finished", finished_operation=True)
    explicit = explicit_request(app)
    if explicit is not None:
        return Decision(explicit, explicit.message)
    statuses = [
        sync.ResourceStatus(r.key, r.status == "Synced", r.requires_pruning and not r.ignore_extraneous)
        for r in comparison.resources
    ]
    decision = sync.decide_auto_sync(
        automated=policy.automated,
        sync_status=comparison.sync_status,
        revision=revision,
        resources=statuses,
        last_sync=last_sync(app, now),
        retry=policy.retry,
        deleting=bool(mapping(app.get("metadata")).get("deletionTimestamp")),
        self_heal_backoff=self_heal_backoff,
    )
    if not decision.sync:
        return Decision(
            None, decision.message, decision.error, decision.retry_after, decision.self_heal_attempts
        )
    sync_fields: dict[str, Any] = {"revision": revision}
    if decision.prune:
        sync_fields["prune"] = True
    if policy.sync_options:
        sync_fields["syncOptions"] = list(policy.sync_options)
    if decision.resources:
        sync_fields["resources"] = [
            {"group": k.group, "kind": k.kind, "namespace": k.namespace, "name": k.name}
            for k in decision.resources
        ]
    if decision.self_heal_attempts:
        sync_fields["selfHealAttemptsCount"] = decision.self_heal_attempts
    operation: dict[str, Any] = {
        "sync": sync_fields,
        "initiatedBy": {"automated": True},
        "retry": _retry_spec(decision.retry),
    }
    request = SyncRequest(
        operation=operation,
        prune=decision.prune,
        resources=frozenset(decision.resources) if decision.resources else None,
        sync_options=policy.sync_options,
        automated=True,
        retry=decision.retry,
        message=decision.message,
    )
    return Decision(request, decision.message, self_heal_attempts=decision.self_heal_attempts)


def _retry_spec(retry: sync.RetryStrategy) -> dict[str, Any]:
    backoff = retry.backoff
    return {
        "limit": retry.limit,
        "backoff": {
            "duration": f"{backoff.duration:g}s",
            "factor": backoff.factor,
            "maxDuration": f"{backoff.max_duration:g}s",
        },
    }
