"""Taking over fields from the managers that wrote an object before fleetops (first sync).

An object Argo CD synced (``argocd-controller``) or ``kubectl apply`` created
(``kubectl-client-side-apply``) has fields fleetops never applied, so a forced apply alone would
leave those fields even when Git no longer has them. On its first sync fleetops takes them over:
the previous managers' fields of the main resource count as fleetops's applied fields, so the
apply removes what Git dropped — the diff predicts the same when given the same managers.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from fleetops.core.structured import FieldSet, FieldsV1Error

__all__ = ["LAST_APPLIED", "TAKEOVER_MANAGERS", "take_over", "takeover_patch"]

Manifest = dict[str, Any]

TAKEOVER_MANAGERS = ("argocd-controller", "kubectl-client-side-apply")
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def take_over(live: Manifest, managers: Collection[str], *, manager: str) -> Manifest:
    """``live`` whose fields owned by ``managers`` (not through a subresource) ``manager`` applied."""
    metadata = live.get("metadata")
    if not managers or not isinstance(metadata, dict):
        return live
    entries = metadata.get("managedFields")
    if not isinstance(entries, list):
        return live
    taken = FieldSet()
    applied: dict[str, Any] | None = None
    kept: list[Any] = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("subresource"):
            kept.append(entry)
        elif entry.get("manager") in managers:
            try:
                taken = taken.union(FieldSet.from_fields_v1(entry.get("fieldsV1") or {}))
            except FieldsV1Error:
                kept.append(entry)
        elif entry.get("manager") == manager and entry.get("operation") == "Apply":
            applied = entry
        else:
            kept.append(entry)
    if taken.empty:
        return live
    if applied is not None:
        taken = taken.union(FieldSet.from_fields_v1(applied.get("fieldsV1") or {}))
    api_version = (applied or {}).get("apiVersion") or live.get("apiVersion") or ""
    entry = {
        "manager": manager,
        "operation": "Apply",
        "apiVersion": api_version,
        "fieldsType": "FieldsV1",
        "fieldsV1": taken.to_fields_v1(),
    }
    return {**live, "metadata": {**metadata, "managedFields": [*kept, entry]}}


def takeover_patch(live: Manifest, managers: Collection[str], *, manager: str) -> list[dict[str, Any]] | None:
    """The JSON patch that hands ``live``'s ``managers`` fields to ``manager`` before its first apply.

    ``None`` when no entry of ``managers`` (Update or Apply, not through a subresource) is there.
    The patch tests ``resourceVersion`` (a concurrent write fails it rather than being clobbered),
    replaces ``managedFields`` with the taken-over list and removes the last-applied annotation,
    which fleetops's entry then does not claim.
    """
    metadata = live.get("metadata")
    if not isinstance(metadata, dict) or not _has_takeover_entry(metadata, managers):
        return None
    taken = take_over(live, managers, manager=manager)
    entries = [_without_last_applied(entry, manager) for entry in taken["metadata"]["managedFields"]]
    patch: list[dict[str, Any]] = [
        {"op": "test", "path": "/metadata/resourceVersion", "value": metadata.get("resourceVersion", "")},
        {"op": "replace", "path": "/metadata/managedFields", "value": entries},
    ]
    annotations = metadata.get("annotations")
    if isinstance(annotations, dict) and LAST_APPLIED in annotations:
        escaped = LAST_APPLIED.replace("~", "~0").replace("/", "~1")
        patch.append({"op": "remove", "path": f"/metadata/annotations/{escaped}"})
    return patch


def _has_takeover_entry(metadata: dict[str, Any], managers: Collection[str]) -> bool:
    entries = metadata.get("managedFields")
    if not isinstance(entries, list):
        return False
    return any(
        isinstance(entry, dict)
        and entry.get("manager") in managers
        and entry.get("operation") in ("Update", "Apply")
        and not entry.get("subresource")
        for entry in entries
    )


def _without_last_applied(entry: Any, manager: str) -> Any:
    """``manager``'s Apply entry without the last-applied annotation (the patch removes it)."""
    if not isinstance(entry, dict) or entry.get("manager") != manager or entry.get("operation") != "Apply":
        return entry
    fields = entry.get("fieldsV1")
    meta = fields.get("f:metadata") if isinstance(fields, dict) else None
    notes = meta.get("f:annotations") if isinstance(meta, dict) else None
    if not isinstance(fields, dict) or not isinstance(meta, dict) or not isinstance(notes, dict):
        return entry
    notes = {k: v for k, v in notes.items() if k != f"f:{LAST_APPLIED}"}
    if set(notes) <= {"."}:
        meta = {k: v for k, v in meta.items() if k != "f:annotations"}
    else:
        meta = {**meta, "f:annotations": notes}
    if set(meta) <= {"."}:
        fields = {k: v for k, v in fields.items() if k != "f:metadata"}
    else:
        fields = {**fields, "f:metadata": meta}
    return {**entry, "fieldsV1": fields}
