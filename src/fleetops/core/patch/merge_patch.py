"""JSON merge patch (RFC 7386): apply and create. Pure, inputs never modified."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.patch.json_values import copy_json, json_equal


def apply_merge_patch(obj: Any, patch: Any) -> Any:
    """RFC 7386 MergePatch(target, patch): objects merge recursively, `null` deletes, anything
    else (lists included) replaces."""
    if not isinstance(patch, Mapping):
        return copy_json(patch)
    result: dict[str, Any] = copy_json(obj) if isinstance(obj, dict) else {}
    _merge_into(result, patch)
    return result


def _merge_into(target: dict[str, Any], patch: Mapping[str, Any]) -> None:
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, Mapping):
            current = target.get(key)
            child = current if isinstance(current, dict) else {}
            _merge_into(child, value)
            target[key] = child
        else:
            target[key] = copy_json(value)


def create_merge_patch(original: Any, modified: Any) -> Any:
    """The smallest merge patch turning `original` into `modified` (when both are objects, keys
    removed become `null`). Values of `modified` that are `null` inside objects cannot be
    expressed by RFC 7386 and read back as deletions."""
    if not isinstance(original, Mapping) or not isinstance(modified, Mapping):
        return copy_json(modified)
    patch: dict[str, Any] = {}
    for key in original:
        if key not in modified:
            patch[key] = None
    for key, value in modified.items():
        if key not in original:
            patch[key] = copy_json(value)
            continue
        before = original[key]
        if isinstance(before, Mapping) and isinstance(value, Mapping):
            child = create_merge_patch(before, value)
            if child:
                patch[key] = child
        elif not json_equal(before, value):
            patch[key] = copy_json(value)
    return patch
