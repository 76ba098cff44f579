"""Application conditions (`status.conditions`): Argo CD's shape `{type, message,
lastTransitionTime}` and its rule for replacing them after a reconcile."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fleetops.core.app.fields import string


class ConditionType(enum.StrEnum):
    """Argo CD's `ApplicationConditionType` values, plus fleetops' `UnsupportedField`."""

    DELETION_ERROR = "DeletionError"
    INVALID_SPEC_ERROR = "InvalidSpecError"
    COMPARISON_ERROR = "ComparisonError"
    SYNC_ERROR = "SyncError"
    UNKNOWN_ERROR = "UnknownError"
    SHARED_RESOURCE_WARNING = "SharedResourceWarning"
    REPEATED_RESOURCE_WARNING = "RepeatedResourceWarning"
    EXCLUDED_RESOURCE_WARNING = "ExcludedResourceWarning"
    ORPHANED_RESOURCE_WARNING = "OrphanedResourceWarning"
    UNSUPPORTED_FIELD = "UnsupportedField"  # fleetops: a spec field it does not implement yet

    @property
    def is_error(self) -> bool:
        """Argo CD's `IsError()`: the type name ends in "Error"."""
        return self.value.endswith("Error")


Condition = dict[str, Any]


def condition(kind: ConditionType | str, message: str, *, now: str | None = None) -> Condition:
    """One condition; `now` (RFC 3339) becomes its `lastTransitionTime`."""
    made: Condition = {"type": str(kind), "message": message}
    if now is not None:
        made["lastTransitionTime"] = now
    return made


def set_conditions(
    current: Sequence[Mapping[str, Any]],
    new: Iterable[Mapping[str, Any]],
    *,
    evaluated: Iterable[ConditionType | str],
    now: str,
) -> list[Condition]:
    """Argo CD's `ApplicationStatus.SetConditions`: conditions of the `evaluated` types (and of
    the types in `new`) are replaced by `new` ones; a condition whose type and message did not
    change keeps its `lastTransitionTime`; other types are kept. Sorted by type (stable)."""
    evaluated_types = {str(kind) for kind in evaluated} | {string(c.get("type")) for c in new}
    result: list[Condition] = []
    for old in current:
        if string(old.get("type")) not in evaluated_types:
            result.append({**old, "lastTransitionTime": old.get("lastTransitionTime") or now})
    previous = {(string(old.get("type")), string(old.get("message"))): old for old in current}
    for item in new:
        same = previous.get((string(item.get("type")), string(item.get("message"))))
        if same is not None and same.get("lastTransitionTime"):
            result.append({**item, "lastTransitionTime": same["lastTransitionTime"]})
        else:
            result.append({**item, "lastTransitionTime": item.get("lastTransitionTime") or now})
    result.sort(key=lambda c: string(c.get("type")))
    return result


def has_error(conditions: Iterable[Mapping[str, Any]]) -> bool:
    return any(string(c.get("type")).endswith("Error") for c in conditions)
