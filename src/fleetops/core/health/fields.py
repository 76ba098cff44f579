"""Typed reads of the loosely typed status fields health rules look at (absent = Go's zero value)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def nested(obj: Mapping[str, Any], *path: str) -> Any:
    """The value at `path`, or None when any step is absent or not a mapping."""
    current: Any = obj
    for step in path:
        if not isinstance(current, Mapping):
            return None
        current = current.get(step)
    return current


def mapping(obj: Mapping[str, Any], *path: str) -> Mapping[str, Any]:
    """The mapping at `path`, or an empty one when absent or not a mapping."""
    value = nested(obj, *path)
    return value if isinstance(value, Mapping) else {}


def integer(value: Any, default: int = 0) -> int:
    """An integer field; booleans, absent and non-numeric values give `default`."""
    if isinstance(value, bool) or value is None:
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return default
    return default


def optional_integer(value: Any) -> int | None:
    """An integer field that may be absent (Go's `*int32`): None when absent."""
    return None if value is None else integer(value)


def text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def mappings(value: Any) -> list[Mapping[str, Any]]:
    """The mapping items of a list field (other items and non-lists are skipped)."""
    if not isinstance(value, Sequence) or isinstance(value, str):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def conditions(obj: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return mappings(nested(obj, "status", "conditions"))


def condition(obj: Mapping[str, Any], condition_type: str) -> Mapping[str, Any] | None:
    """The first `status.conditions` item of `condition_type`."""
    for item in conditions(obj):
        if item.get("type") == condition_type:
            return item
    return None


def generation(obj: Mapping[str, Any]) -> int:
    return integer(nested(obj, "metadata", "generation"))


def observed_generation(obj: Mapping[str, Any]) -> int:
    return integer(nested(obj, "status", "observedGeneration"))
