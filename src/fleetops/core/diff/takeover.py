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

__all__ = ["TAKEOVER_MANAGERS", "take_over"]

Manifest = dict[str, Any]

TAKEOVER_MANAGERS = ("argocd-controller", "kubectl-client-side-apply")


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
