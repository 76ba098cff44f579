"""``metadata.managedFields`` of a Kubernetes object, decoded to and encoded from field sets.

An entry is ``{manager, operation: Apply|Update, apiVersion, time, fieldsType: FieldsV1,
fieldsV1, subresource?}``. Entries are identified as kube-apiserver identifies them: by manager,
operation and subresource, plus the apiVersion for ``Update`` entries (an applier keeps one entry
whatever version it applies at).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fleetops.core.structured.fieldset import FieldSet, FieldsV1Error
from fleetops.core.structured.managers import VersionedSet
from fleetops.core.structured.values import StructuredMergeError

__all__ = ["ManagerEntry", "decode_managed_fields", "encode_managed_fields", "manager_key"]

APPLY = "Apply"
UPDATE = "Update"


@dataclass(frozen=True, slots=True)
class ManagerEntry:
    """Who an entry belongs to, and when it last changed."""

    manager: str
    operation: str
    api_version: str
    subresource: str
    time: str | None


def manager_key(manager: str, operation: str, api_version: str, subresource: str) -> str:
    identity: dict[str, str] = {"manager": manager, "operation": operation}
    if operation != APPLY:
        identity["apiVersion"] = api_version
    if subresource:
        identity["subresource"] = subresource
    return json.dumps(identity, sort_keys=True, separators=(",", ":"))


def decode_managed_fields(
    entries: Sequence[Mapping[str, Any]] | None,
) -> tuple[dict[str, VersionedSet], dict[str, ManagerEntry]]:
    """Field sets and entry metadata, keyed by manager identity."""
    sets: dict[str, VersionedSet] = {}
    meta: dict[str, ManagerEntry] = {}
    for position, entry in enumerate(entries or ()):
        where = f"metadata.managedFields[{position}]"
        if not isinstance(entry, Mapping):
            raise StructuredMergeError(f"{where}: must be an object")
        fields_type = entry.get("fieldsType", "FieldsV1")
        if fields_type != "FieldsV1":
            raise StructuredMergeError(f"{where}.fieldsType: unsupported {fields_type!r}")
        operation = str(entry.get("operation") or UPDATE)
        if operation not in (APPLY, UPDATE):
            raise StructuredMergeError(f"{where}.operation: must be Apply or Update, got {operation!r}")
        manager = str(entry.get("manager") or "")
        api_version = str(entry.get("apiVersion") or "")
        subresource = str(entry.get("subresource") or "")
        try:
            fields = FieldSet.from_fields_v1(entry.get("fieldsV1") or {})
        except FieldsV1Error as error:
            raise StructuredMergeError(f"{where}.fieldsV1: {error}") from error
        key = manager_key(manager, operation, api_version, subresource)
        previous = sets.get(key)
        if previous is not None:
            fields = fields.union(previous.fields)
        sets[key] = VersionedSet(fields, api_version, operation == APPLY)
        time = entry.get("time")
        meta[key] = ManagerEntry(manager, operation, api_version, subresource, str(time) if time else None)
    return sets, meta


def encode_managed_fields(
    sets: Mapping[str, VersionedSet], meta: Mapping[str, ManagerEntry]
) -> list[dict[str, Any]]:
    """Entries sorted as kube-apiserver sorts them: operation, time, manager, version, subresource."""
    entries: list[dict[str, Any]] = []
    for key, versioned in sets.items():
        if versioned.fields.empty:
            continue
        info = meta[key]
        entry: dict[str, Any] = {
            "manager": info.manager,
            "operation": info.operation,
            "apiVersion": versioned.api_version,
        }
        if info.time is not None:
            entry["time"] = info.time
        entry["fieldsType"] = "FieldsV1"
        entry["fieldsV1"] = versioned.fields.to_fields_v1()
        if info.subresource:
            entry["subresource"] = info.subresource
        entries.append(entry)
    entries.sort(
        key=lambda e: (
            e["operation"],
            e.get("time") or "",
            e["manager"],
            e["apiVersion"],
            e.get("subresource", ""),
        )
    )
    return entries
