"""The public surface of fleetops.core.sync and fleetops.core.health is pinned."""

from __future__ import annotations

from fleetops.core import health, sync


def test_sync_surface() -> None:
    assert sorted(sync.__all__) == sync.__all__
    assert all(hasattr(sync, name) for name in sync.__all__)
    assert {
        "plan_sync",
        "SyncPlan",
        "SyncState",
        "next_actions",
        "start",
        "tracking_id",
        "retry_delay",
        "decide_auto_sync",
        "parse_sync_options",
    } <= set(sync.__all__)


def test_health_surface() -> None:
    assert health.__all__ == [
        "HealthResult",
        "HealthStatus",
        "ResourceHealth",
        "aggregate",
        "application_health",
        "assess",
        "has_health_rule",
        "is_worse",
        "resource_health",
        "worst",
    ]
