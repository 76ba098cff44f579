"""Builders of an Application's `status` parts in Argo CD's shape: `sync`, `health`,
`resources` (one entry per managed resource) and `summary`. Plain dicts, ready to write."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fleetops.core.app.fields import spec, string
from fleetops.core.app.source import has_multiple_sources
from fleetops.model.keys import ResourceKey


class SyncStatusCode(enum.StrEnum):
    SYNCED = "Synced"
    OUT_OF_SYNC = "OutOfSync"
    UNKNOWN = "Unknown"


def compared_to(app: Mapping[str, Any]) -> dict[str, Any]:
    """`status.sync.comparedTo`: the spec the comparison used (source(s), destination,
    ignoreDifferences), so a later spec change shows as a different comparison."""
    fields = spec(app)
    out: dict[str, Any] = {"destination": dict(fields.get("destination") or {})}
    if has_multiple_sources(app):
        out["sources"] = [dict(item) for item in fields.get("sources") or []]
    elif fields.get("source") is not None:
        out["source"] = dict(fields["source"])
    if fields.get("ignoreDifferences"):
        out["ignoreDifferences"] = [dict(item) for item in fields["ignoreDifferences"]]
    return out


def sync_status(
    status: SyncStatusCode | str,
    *,
    compared_to: Mapping[str, Any],
    revision: str = "",
    revisions: Sequence[str] = (),
) -> dict[str, Any]:
    """`status.sync`: `revisions` (one per source) for a multi-source application."""
    out: dict[str, Any] = {"status": str(status), "comparedTo": dict(compared_to)}
    if revisions:
        out["revisions"] = list(revisions)
    elif revision:
        out["revision"] = revision
    return out


def health_status(
    status: str, message: str = "", *, last_transition_time: str | None = None
) -> dict[str, Any]:
    """`status.health` (`{status, message}`; the message only when there is one)."""
    out: dict[str, Any] = {"status": str(status)}
    if message:
        out["message"] = message
    if last_transition_time:
        out["lastTransitionTime"] = last_transition_time
    return out


def resource_status(
    key: ResourceKey,
    *,
    version: str,
    status: SyncStatusCode | str,
    health: Mapping[str, Any] | None = None,
    hook: bool = False,
    requires_pruning: bool = False,
    sync_wave: int | None = None,
) -> dict[str, Any]:
    """One `status.resources` entry (Argo CD's `ResourceStatus`); `health` is None for kinds
    without a health rule."""
    out: dict[str, Any] = {"group": key.group, "version": version, "kind": key.kind}
    if key.namespace:
        out["namespace"] = key.namespace
    out["name"] = key.name
    out["status"] = str(status)
    if health is not None:
        out["health"] = dict(health)
    if hook:
        out["hook"] = True
    if requires_pruning:
        out["requiresPruning"] = True
    if sync_wave is not None:
        out["syncWave"] = sync_wave
    return out


def resources_summary(entries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """`status.resources`: the entries sorted by group, kind, namespace and name."""

    def order(entry: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(string(entry.get(k)) for k in ("group", "kind", "namespace", "name"))

    return [dict(entry) for entry in sorted(entries, key=order)]


def summary(*, images: Iterable[str] = (), external_urls: Iterable[str] = ()) -> dict[str, Any]:
    """`status.summary`: container images and external URLs, sorted and unique."""
    out: dict[str, Any] = {}
    if urls := sorted(set(external_urls)):
        out["externalURLs"] = urls
    if found := sorted(set(images)):
        out["images"] = found
    return out


def current_sync_status(app: Mapping[str, Any]) -> str:
    """`status.sync.status`, "Unknown" when absent (as Argo CD's metrics report it)."""
    sync = app.get("status", {}).get("sync") if isinstance(app.get("status"), Mapping) else None
    return string(sync.get("status") if isinstance(sync, Mapping) else None, SyncStatusCode.UNKNOWN)


def current_health_status(app: Mapping[str, Any]) -> str:
    """`status.health.status`, "Unknown" when absent."""
    health = app.get("status", {}).get("health") if isinstance(app.get("status"), Mapping) else None
    return string(health.get("status") if isinstance(health, Mapping) else None, "Unknown")
