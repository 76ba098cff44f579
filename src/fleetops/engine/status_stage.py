"""Status: the Application's `status` after one reconcile, built from the stages' results, and
written once (status subresource, merge patch)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fleetops.core import app as applications
from fleetops.core.diff import ComparisonResult
from fleetops.core.health import HealthResult
from fleetops.core.sync import ResourceResult, SyncState, sync_wave
from fleetops.model import manifest
from fleetops.model.keys import ResourceKey
from fleetops.model.manifest import Manifest


def resource_entries(
    comparison: ComparisonResult,
    desired: Sequence[Manifest],
    live: Mapping[ResourceKey, Manifest],
    per_resource: Mapping[ResourceKey, HealthResult | None],
) -> list[dict[str, Any]]:
    by_key = {ResourceKey.of(obj): obj for obj in desired}
    entries = []
    for item in comparison.resources:
        obj = by_key.get(item.key) or live.get(item.key) or {}
        version = manifest.gvk(obj).version if obj else ""
        result = per_resource.get(item.key)
        health = (
            applications.health_status(str(result.status), result.message) if result is not None else None
        )
        if item.key not in live and item.key in per_resource:
            health = applications.health_status("Missing")
        try:
            wave = sync_wave(obj, strict=False) if obj else None
        except ValueError:
            wave = None
        entries.append(
            applications.resource_status(
                item.key,
                version=version,
                status=item.status,
                health=health,
                requires_pruning=item.requires_pruning,
                sync_wave=wave or None,
            )
        )
    return applications.resources_summary(entries)


def resource_results(results: Sequence[ResourceResult], desired: Sequence[Manifest]) -> list[dict[str, Any]]:
    versions = {ResourceKey.of(obj): manifest.gvk(obj).version for obj in desired}
    out = []
    for result in results:
        entry: dict[str, Any] = {
            "group": result.key.group,
            "version": versions.get(result.key, ""),
            "kind": result.key.kind,
            "namespace": result.key.namespace,
            "name": result.key.name,
            "status": str(result.status),
            "message": result.message,
            "syncPhase": str(result.sync_phase),
        }
        if result.hook_type is not None:
            entry["hookType"] = str(result.hook_type)
        if result.hook_phase is not None:
            entry["hookPhase"] = str(result.hook_phase)
        out.append(entry)
    return out


def operation_state(
    *,
    operation: Mapping[str, Any],
    state: SyncState | None,
    phase: str,
    message: str,
    started_at: str,
    finished_at: str | None,
    revision: str,
    source: Mapping[str, Any] | None,
    desired: Sequence[Manifest],
    retry_count: int = 0,
) -> dict[str, Any]:
    results = resource_results(state.results, desired) if state is not None else []
    return applications.operation_state(
        operation=operation,
        phase=phase,
        message=message,
        started_at=started_at,
        finished_at=finished_at,
        retry_count=retry_count,
        result=applications.sync_result(resources=results, revision=revision, source=source),
    )


def images(desired: Sequence[Manifest]) -> list[str]:
    found: list[str] = []
    for obj in desired:
        spec = obj.get("spec")
        template = spec.get("template") if isinstance(spec, Mapping) else None
        pod_spec = template.get("spec") if isinstance(template, Mapping) else spec
        if not isinstance(pod_spec, Mapping):
            continue
        for field in ("initContainers", "containers"):
            for container in pod_spec.get(field) or []:
                if isinstance(container, Mapping) and isinstance(container.get("image"), str):
                    found.append(container["image"])
    return found
