"""The fields trusted managers own in a live object (``managedFieldsManagers``), as value paths."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from fleetops.core.diff.paths import ValuePath
from fleetops.core.structured import FieldSet, FieldsV1Error
from fleetops.core.structured.pathelements import Path

__all__ = ["field_set_paths", "owned_by"]

Manifest = dict[str, Any]


def owned_by(live: Manifest, managers: Collection[str]) -> FieldSet:
    """The union of the fields ``managers`` own in ``live`` (any operation or subresource)."""
    owned = FieldSet()
    if not managers:
        return owned
    entries = (live.get("metadata") or {}).get("managedFields") or []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("manager") not in managers:
            continue
        try:
            owned = owned.union(FieldSet.from_fields_v1(entry.get("fieldsV1") or {}))
        except FieldsV1Error:
            continue
    return owned


def field_set_paths(value: Any, fields: FieldSet) -> list[ValuePath]:
    """The concrete paths of ``value`` that the members of ``fields`` name (those that exist)."""
    paths: list[ValuePath] = []
    for path in fields.paths():
        concrete = _resolve(value, path)
        if concrete is not None:
            paths.append(concrete)
    return paths


def _resolve(value: Any, path: Path) -> ValuePath | None:
    steps: list[str | int] = []
    for element in path:
        kind, body = element[0], element[2:]
        if kind == "f" and isinstance(value, dict) and body in value:
            steps.append(body)
            value = value[body]
        elif kind in "kvi" and isinstance(value, list):
            position = _find(value, kind, body)
            if position is None:
                return None
            steps.append(position)
            value = value[position]
        else:
            return None
    return tuple(steps)


def _find(items: list[Any], kind: str, body: str) -> int | None:
    if kind == "i":
        position = int(body) if body.isdigit() else -1
        return position if 0 <= position < len(items) else None
    wanted = json.loads(body)
    if kind == "v":
        return next((i for i, item in enumerate(items) if _same(item, wanted)), None)
    strict = lenient = None
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        if all(name in item and _same(item[name], v) for name, v in wanted.items()):
            strict = position
            break
        if lenient is None and all(name not in item or _same(item[name], v) for name, v in wanted.items()):
            lenient = position  # a key field the item leaves to its default (protocol: TCP)
    return strict if strict is not None else lenient


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return float(left) == float(right)
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right, strict=True))
    return bool(left == right)
