"""`status.history`: one entry per completed sync, capped at `spec.revisionHistoryLimit`
(10 by default), oldest dropped first; ids count up from 0 (Argo CD's `persistRevisionHistory`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fleetops.core.app.spec import DEFAULT_REVISION_HISTORY_LIMIT


def next_history_id(history: Sequence[Mapping[str, Any]]) -> int:
    if not history:
        return 0
    last = history[-1].get("id")
    return (last if isinstance(last, int) else len(history) - 1) + 1


def history_entry(
    *,
    id: int,
    revision: str = "",
    revisions: Sequence[str] = (),
    deployed_at: str,
    deploy_started_at: str | None = None,
    source: Mapping[str, Any] | None = None,
    sources: Sequence[Mapping[str, Any]] = (),
    initiated_by: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {"id": id}
    if revisions:
        out["revisions"] = list(revisions)
    else:
        out["revision"] = revision
    out["deployedAt"] = deployed_at
    if deploy_started_at is not None:
        out["deployStartedAt"] = deploy_started_at
    if sources:
        out["sources"] = [dict(item) for item in sources]
    elif source is not None:
        out["source"] = dict(source)
    if initiated_by is not None:
        out["initiatedBy"] = dict(initiated_by)
    return out


def append_history(
    history: Sequence[Mapping[str, Any]],
    entry: Mapping[str, Any],
    *,
    limit: int = DEFAULT_REVISION_HISTORY_LIMIT,
) -> list[dict[str, Any]]:
    """A new history list with `entry` last, keeping at most `limit` entries (the newest)."""
    combined = [dict(item) for item in history] + [dict(entry)]
    if limit <= 0:
        return []
    return combined[-limit:]
