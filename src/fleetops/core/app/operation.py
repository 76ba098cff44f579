"""`status.operationState` in Argo CD's shape: the operation, its phase and message, the sync
result (per-resource results, revision, source), start and finish times, retry count."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

TERMINAL_PHASES = frozenset({"Succeeded", "Failed", "Error"})


def sync_result(
    *,
    resources: Sequence[Mapping[str, Any]],
    revision: str = "",
    revisions: Sequence[str] = (),
    source: Mapping[str, Any] | None = None,
    sources: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """`syncResult`: `resources` are Argo CD `ResourceResult` dicts ({group, version, kind,
    namespace, name, status, message, hookType, hookPhase, syncPhase})."""
    out: dict[str, Any] = {"resources": [dict(item) for item in resources]}
    if revisions:
        out["revisions"] = list(revisions)
    else:
        out["revision"] = revision
    if sources:
        out["sources"] = [dict(item) for item in sources]
    elif source is not None:
        out["source"] = dict(source)
    return out


def operation_state(
    *,
    operation: Mapping[str, Any],
    phase: str,
    message: str = "",
    started_at: str,
    finished_at: str | None = None,
    retry_count: int = 0,
    result: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """`status.operationState`. `finished_at`: when the operation (or, phase Running with a
    `retry_count`, its last failed attempt: Argo CD keeps that time while the retry waits) ended;
    None while it runs."""
    out: dict[str, Any] = {"operation": dict(operation), "phase": str(phase), "startedAt": started_at}
    if message:
        out["message"] = message
    if result is not None:
        out["syncResult"] = dict(result)
    if finished_at is not None:
        out["finishedAt"] = finished_at
    if retry_count:
        out["retryCount"] = retry_count
    return out


def sync_operation(
    *,
    revision: str = "",
    prune: bool = False,
    sync_options: Sequence[str] = (),
    automated: bool = False,
    username: str = "",
    retry: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An Application's top-level `operation` requesting a sync (what `argocd app sync` and
    automated sync write)."""
    sync: dict[str, Any] = {}
    if revision:
        sync["revision"] = revision
    if prune:
        sync["prune"] = True
    if sync_options:
        sync["syncOptions"] = list(sync_options)
    initiated: dict[str, Any] = {"automated": True} if automated else {"username": username or "fleetops"}
    out: dict[str, Any] = {"sync": sync, "initiatedBy": initiated}
    if retry:
        out["retry"] = dict(retry)
    return out
