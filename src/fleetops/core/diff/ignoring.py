"""Applying ignore rules: removing ignored fields before a comparison, and RespectIgnoreDifferences.

Ignored fields are removed from both sides of a comparison (each side resolves the rules against
its own content; managed field sets always come from the live object). With the sync option
``RespectIgnoreDifferences=true`` the desired object keeps the live values of ignored fields, so
a sync does not overwrite them.
"""

from __future__ import annotations

from typing import Any

from fleetops.core.diff.ignore import IgnoreRules
from fleetops.core.diff.jqpaths import jq_paths
from fleetops.core.diff.managed import field_set_paths, owned_by
from fleetops.core.diff.normalize import SERVER_METADATA
from fleetops.core.diff.paths import MISSING, ValuePath, delete_paths, get_path, set_path
from fleetops.core.diff.pointers import parse_pointer, resolve_pointer
from fleetops.core.structured import FieldSet
from fleetops.model.keys import ResourceKey

__all__ = ["apply_ignored_to_desired", "ignored_paths", "remove_ignored"]

Manifest = dict[str, Any]


def ignored_paths(obj: Manifest, rules: IgnoreRules, *, owned: FieldSet) -> list[ValuePath]:
    """The concrete paths of ``obj`` that ``rules`` (already selected for it) ignore."""
    paths: list[ValuePath] = []
    for pointer in rules.json_pointers:
        path = resolve_pointer(obj, parse_pointer(pointer))
        if path is not None:
            paths.append(path)
    for expression in rules.jq_path_expressions:
        paths.extend(jq_paths(obj, expression))
    if not owned.empty:
        paths.extend(field_set_paths(obj, owned))
    return paths


def remove_ignored(obj: Manifest, rules: IgnoreRules, *, owned: FieldSet) -> Manifest:
    """``obj`` without the fields ``rules`` ignore (a root pointer ``""`` leaves an empty object)."""
    if not rules:
        return obj
    paths = ignored_paths(obj, rules, owned=owned)
    if not paths:
        return obj
    result = delete_paths(obj, paths)
    return result if isinstance(result, dict) else {}


def apply_ignored_to_desired(desired: Manifest, live: Manifest | None, ignore: IgnoreRules) -> Manifest:
    """``desired`` whose ignored fields hold their live values (``RespectIgnoreDifferences``).

    Ignored fields the live object does not have are left out; a new object (``live`` None) is
    created as desired. List items are matched by ``name`` when they have one, else by position.
    """
    if live is None:
        return desired
    rules = ignore.for_resource(ResourceKey.of(desired))
    if not rules:
        return desired
    owned = owned_by(live, rules.managed_fields_managers)
    result = _with_identity(remove_ignored(desired, rules, owned=owned), desired)
    for path in sorted(set(ignored_paths(live, rules, owned=owned)), key=len):
        if not _copyable(path):
            continue
        target = _translate(path, live, result)
        if target is not None:
            result = set_path(result, target, get_path(live, path))
    return result


def _with_identity(obj: Manifest, desired: Manifest) -> Manifest:
    """``obj`` with the fields that name the object (never ignored: the sync needs them)."""
    for path in _IDENTITY:
        value = get_path(desired, path)
        if value is not MISSING and get_path(obj, path) is MISSING:
            obj = set_path(obj, path, value)
    return obj


_IDENTITY: tuple[ValuePath, ...] = (
    ("apiVersion",),
    ("kind",),
    ("metadata", "name"),
    ("metadata", "namespace"),
)


def _copyable(path: ValuePath) -> bool:
    """Not the whole object (a root pointer ""), its status or metadata the server sets."""
    if not path or path[0] == "status":
        return False
    return not (path[0] == "metadata" and (len(path) == 1 or path[1] in SERVER_METADATA))


def _translate(path: ValuePath, live: Any, desired: Any) -> ValuePath | None:
    """``path`` of ``live`` as a path of ``desired`` (list items matched by name, else index)."""
    steps: list[str | int] = []
    for step in path:
        if isinstance(step, int):
            if not isinstance(live, list) or not isinstance(desired, list):
                return None
            item = live[step]
            name = item.get("name") if isinstance(item, dict) else None
            if name is not None:
                matches = [i for i, d in enumerate(desired) if isinstance(d, dict) and d.get("name") == name]
                if not matches:
                    return None
                position = matches[0]
            elif step < len(desired):
                position = step
            else:
                return None
            steps.append(position)
            live, desired = item, desired[position]
        else:
            steps.append(step)
            live = live[step]
            desired = desired.get(step, MISSING) if isinstance(desired, dict) else MISSING
            if desired is MISSING:
                desired = {} if isinstance(live, dict) else None
    return tuple(steps)
