"""The strategic-merge-patch directive names, and the helpers that strip them from new values."""

from __future__ import annotations

from typing import Any

PATCH = "$patch"
RETAIN_KEYS = "$retainKeys"
SET_ELEMENT_ORDER = "$setElementOrder"
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList"

REPLACE = "replace"
MERGE = "merge"
DELETE = "delete"


def parallel_list_key(key: str, prefix: str) -> str | None:
    """`$setElementOrder/containers` -> `containers`; None when `key` is malformed for `prefix`."""
    head, separator, rest = key.partition("/")
    return rest if separator and head == prefix else None


def discard_nulls(value: Any) -> None:
    """Drop `null` members of every object inside `value`, in place (nulls in lists stay)."""
    if isinstance(value, dict):
        for key in [key for key, item in value.items() if item is None]:
            del value[key]
        for item in value.values():
            discard_nulls(item)
    elif isinstance(value, list):
        for item in value:
            discard_nulls(item)


def remove_patch_markers(value: Any) -> tuple[bool, Any]:
    """Drop every object carrying `$patch` (it was an instruction, not data), in place.

    Returns (keep, value): keep is False when `value` itself carries `$patch`. Other directive
    keys (`$retainKeys`, `$setElementOrder/…`) stay, as they do with kubectl."""
    if isinstance(value, dict):
        if PATCH in value:
            return False, None
        for key in list(value):
            keep, cleaned = remove_patch_markers(value[key])
            if keep:
                value[key] = cleaned
            else:
                del value[key]
        return True, value
    if isinstance(value, list):
        kept = []
        for item in value:
            keep, cleaned = remove_patch_markers(item)
            if keep:
                kept.append(cleaned)
        return True, kept
    return True, value
