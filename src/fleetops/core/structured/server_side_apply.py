"""Server-side apply and update on Kubernetes objects (plain dict manifests).

``apply`` merges an applied configuration into the live object as a field manager and records
ownership in ``metadata.managedFields``; a non-forced apply that would change fields another
manager owns reports the conflicts and changes nothing. ``update`` records ownership of a
non-apply write (create, update, patch, a subresource such as ``scale``).

As in kube-apiserver, ``apiVersion``, ``kind``, ``metadata`` itself and the server-set metadata
fields (``name``, ``namespace``, ``uid``, ``resourceVersion``, ``generation``,
``creationTimestamp``, ``managedFields`` ...) are never owned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fleetops.core.structured.deduced import DEDUCED
from fleetops.core.structured.fieldset import FieldSet
from fleetops.core.structured.managed_fields import (
    APPLY,
    UPDATE,
    ManagerEntry,
    decode_managed_fields,
    encode_managed_fields,
    manager_key,
)
from fleetops.core.structured.managers import Conflict, ConflictError, VersionedSet
from fleetops.core.structured.types import TypeRef
from fleetops.core.structured.updater import Typed, Updater
from fleetops.core.structured.values import values_equal

__all__ = ["ApplyResult", "apply", "update"]

Manifest = dict[str, Any]

_NEVER_OWNED = FieldSet.from_paths(
    [("f:apiVersion",), ("f:kind",), ("f:metadata",)]
    + [
        ("f:metadata", "f:" + name)
        for name in (
            "name",
            "namespace",
            "creationTimestamp",
            "selfLink",
            "uid",
            "clusterName",
            "generation",
            "managedFields",
            "resourceVersion",
        )
    ]
)

_UPDATER = Updater()


@dataclass(frozen=True, slots=True)
class ApplyResult:
    """The object after an apply (the live object, unchanged, when there are conflicts)."""

    object: Manifest
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.conflicts


def apply(
    live: Manifest | None,
    applied: Manifest,
    *,
    manager: str,
    force: bool = False,
    type_ref: TypeRef | None = None,
    now: str,
    subresource: str = "",
) -> ApplyResult:
    """Server-side apply ``applied`` onto ``live`` (None: the object does not exist yet)."""
    schema = type_ref or DEDUCED
    version = str(applied.get("apiVersion") or "")
    sets, meta, live_value = _split(live)
    key = manager_key(manager, APPLY, version, subresource)
    config = _without_managed_fields(applied)
    try:
        merged, owned = _UPDATER.apply(
            Typed(live_value, schema), Typed(config, schema), version, sets, key, force=force
        )
    except ConflictError as error:
        unchanged = _copy(live) if live is not None else {}
        return ApplyResult(unchanged, [_conflict(c, meta) for c in error.conflicts])
    meta = dict(meta)
    meta[key] = ManagerEntry(manager, APPLY, version, subresource, _time(meta.get(key), now))
    result = _join(live_value, merged.value, before=sets, owned=owned, meta=meta, acting=key, now=now)
    return ApplyResult(result)


def update(
    live: Manifest | None,
    new: Manifest,
    *,
    manager: str,
    type_ref: TypeRef | None = None,
    now: str,
    subresource: str = "",
) -> Manifest:
    """Record ``new`` (replacing ``live``) as written by ``manager`` with a non-apply operation."""
    schema = type_ref or DEDUCED
    version = str(new.get("apiVersion") or (live or {}).get("apiVersion") or "")
    sets, meta, live_value = _split(live)
    key = manager_key(manager, UPDATE, version, subresource)
    new_value = _without_managed_fields(new)
    written, owned = _UPDATER.update(Typed(live_value, schema), Typed(new_value, schema), version, sets, key)
    meta = dict(meta)
    meta[key] = ManagerEntry(manager, UPDATE, version, subresource, _time(meta.get(key), now))
    return _join(live_value, written.value, before=sets, owned=owned, meta=meta, acting=key, now=now)


# helpers ------------------------------------------------------------------------------------


def _split(live: Manifest | None) -> tuple[dict[str, VersionedSet], dict[str, ManagerEntry], Any]:
    if live is None:
        return {}, {}, None
    metadata = live.get("metadata")
    entries = metadata.get("managedFields") if isinstance(metadata, dict) else None
    sets, meta = decode_managed_fields(entries)
    return sets, meta, _without_managed_fields(live)


def _without_managed_fields(obj: Manifest) -> Manifest:
    metadata = obj.get("metadata")
    if not isinstance(metadata, dict) or "managedFields" not in metadata:
        return obj
    stripped = {k: v for k, v in metadata.items() if k != "managedFields"}
    return {**obj, "metadata": stripped}


def _time(previous: ManagerEntry | None, now: str) -> str:
    return now if previous is None or previous.time is None else previous.time


def _join(
    live_value: Any,
    value: Any,
    *,
    before: dict[str, VersionedSet],
    owned: dict[str, VersionedSet],
    meta: dict[str, ManagerEntry],
    acting: str,
    now: str,
) -> Manifest:
    """The object with its managed fields; the acting manager's time moves when anything changed."""
    owned = {
        key: VersionedSet(versioned.fields.difference(_NEVER_OWNED), versioned.api_version, versioned.applied)
        for key, versioned in owned.items()
    }
    previous = before.get(acting)
    mine = owned.get(acting)
    changed = (
        previous is None
        or mine is None
        or previous.api_version != mine.api_version
        or previous.fields != mine.fields
        or not values_equal(live_value, value)
    )
    if changed:
        info = meta[acting]
        meta[acting] = ManagerEntry(info.manager, info.operation, info.api_version, info.subresource, now)
    result: Manifest = _copy(value) if isinstance(value, dict) else {}
    entries = encode_managed_fields(owned, meta)
    if entries:
        metadata = result.setdefault("metadata", {})
        if not isinstance(metadata, dict):
            metadata = result["metadata"] = {}
        metadata["managedFields"] = entries
    return result


def _conflict(conflict: Conflict, meta: dict[str, ManagerEntry]) -> Conflict:
    info = meta.get(conflict.manager)
    return Conflict(info.manager if info is not None else conflict.manager, conflict.path)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
