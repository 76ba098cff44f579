"""Conditions: Argo CD's shape and its replacement rule (transition time kept while unchanged)."""

from __future__ import annotations

from fleetops.core import app as applications
from fleetops.core.app import ConditionType

T0, T1 = "2026-01-01T00:00:00Z", "2026-01-01T00:05:00Z"


def test_condition_shape() -> None:
    assert applications.condition(ConditionType.SYNC_ERROR, "boom", now=T0) == {
        "type": "SyncError",
        "message": "boom",
        "lastTransitionTime": T0,
    }
    assert applications.condition("ComparisonError", "x") == {"type": "ComparisonError", "message": "x"}


def test_error_types() -> None:
    errors = {kind for kind in ConditionType if kind.is_error}
    assert ConditionType.COMPARISON_ERROR in errors and ConditionType.INVALID_SPEC_ERROR in errors
    assert ConditionType.ORPHANED_RESOURCE_WARNING not in errors
    assert ConditionType.UNSUPPORTED_FIELD not in errors
    assert applications.has_error([{"type": "SyncError", "message": "x"}])
    assert not applications.has_error([{"type": "SharedResourceWarning", "message": "x"}])


def test_unchanged_condition_keeps_its_transition_time() -> None:
    current = [applications.condition(ConditionType.COMPARISON_ERROR, "repo not found", now=T0)]
    new = [applications.condition(ConditionType.COMPARISON_ERROR, "repo not found")]
    result = applications.set_conditions(current, new, evaluated=[ConditionType.COMPARISON_ERROR], now=T1)
    assert result == [{"type": "ComparisonError", "message": "repo not found", "lastTransitionTime": T0}]


def test_changed_message_gets_a_new_transition_time() -> None:
    current = [applications.condition(ConditionType.COMPARISON_ERROR, "repo not found", now=T0)]
    new = [applications.condition(ConditionType.COMPARISON_ERROR, "revision not found")]
    result = applications.set_conditions(current, new, evaluated=[], now=T1)
    assert result == [{"type": "ComparisonError", "message": "revision not found", "lastTransitionTime": T1}]


def test_evaluated_types_are_cleared_and_others_kept_sorted() -> None:
    current = [
        applications.condition(ConditionType.SYNC_ERROR, "sync failed", now=T0),
        applications.condition(ConditionType.COMPARISON_ERROR, "old", now=T0),
    ]
    new = [applications.condition(ConditionType.INVALID_SPEC_ERROR, "bad")]
    result = applications.set_conditions(current, new, evaluated=[ConditionType.COMPARISON_ERROR], now=T1)
    assert [(c["type"], c["lastTransitionTime"]) for c in result] == [
        ("InvalidSpecError", T1),
        ("SyncError", T0),
    ]
