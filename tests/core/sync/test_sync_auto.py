"""Automated sync decisions (Argo CD auto_sync.md and `autoSync`) and the self-heal backoff."""

from __future__ import annotations

import math
from typing import Any

import pytest

from fleetops.core.sync import (
    Automated,
    LastSync,
    OperationPhase,
    ResourceStatus,
    RetryStrategy,
    SelfHealBackoff,
    decide_auto_sync,
    parse_automated,
    self_heal_delay,
)
from fleetops.model.keys import ResourceKey

WEB = ResourceKey("apps", "Deployment", "shop", "web")
SETTINGS = ResourceKey("", "ConfigMap", "shop", "settings")
OLD = ResourceKey("", "ConfigMap", "shop", "old")
DRIFTED = [ResourceStatus(WEB, synced=False), ResourceStatus(SETTINGS, synced=True)]
PRUNE_ONLY = [ResourceStatus(SETTINGS, synced=True), ResourceStatus(OLD, synced=False, requires_pruning=True)]
ALL_PRUNED = [ResourceStatus(OLD, synced=False, requires_pruning=True)]


def decide(**overrides: Any) -> Any:
    arguments: dict[str, Any] = {
        "automated": Automated(),
        "sync_status": "OutOfSync",
        "revision": "abc123",
        "resources": DRIFTED,
    }
    arguments.update(overrides)
    return decide_auto_sync(**arguments)


def test_an_out_of_sync_app_syncs_its_revision() -> None:
    decision = decide(automated=Automated(prune=True))
    assert decision.sync
    assert decision.message == "Initiated automated sync to 'abc123'"
    assert decision.prune
    assert decision.resources == ()  # the whole application
    assert decision.retry == RetryStrategy(limit=5)  # Argo's default for automated syncs


def test_the_application_retry_strategy_is_used() -> None:
    assert decide(retry=RetryStrategy(limit=2)).retry == RetryStrategy(limit=2)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"automated": None}, "automated sync is disabled"),
        ({"automated": Automated(enabled=False)}, "automated sync is disabled"),
        ({"operation_in_progress": True}, "Skipping auto-sync: another operation is in progress"),
        ({"deleting": True}, "Skipping auto-sync: deletion in progress"),
        ({"sync_status": "Synced"}, "Skipping auto-sync: application status is Synced"),
        ({"sync_status": "Unknown"}, "Skipping auto-sync: application status is Unknown"),
        (
            {"resources": PRUNE_ONLY},
            "Skipping auto-sync: need to prune extra resources only but automated prune is disabled",
        ),
        (
            {"last_sync": LastSync("abc123", OperationPhase.SUCCEEDED)},
            "Skipping auto-sync: most recent sync already to abc123",
        ),
    ],
)
def test_no_sync(overrides: dict[str, Any], message: str) -> None:
    decision = decide(**overrides)
    assert (decision.sync, decision.message, decision.error) == (False, message, "")


def test_prune_only_changes_sync_when_prune_is_on() -> None:
    assert decide(automated=Automated(prune=True), resources=PRUNE_ONLY).sync


def test_a_failed_revision_is_not_synced_again() -> None:
    decision = decide(
        last_sync=LastSync("abc123", OperationPhase.FAILED, "one or more objects failed to apply")
    )
    assert not decision.sync
    assert decision.error == "Failed sync attempt to abc123: one or more objects failed to apply"


def test_a_new_revision_after_a_failure_syncs() -> None:
    assert decide(last_sync=LastSync("old999", OperationPhase.FAILED)).sync


def test_a_changed_source_at_the_same_revision_syncs() -> None:
    assert decide(last_sync=LastSync("abc123", OperationPhase.SUCCEEDED, same_source=False)).sync


def test_never_prune_every_resource_unless_allow_empty() -> None:
    decision = decide(automated=Automated(prune=True), resources=ALL_PRUNED)
    assert not decision.sync
    assert decision.error == "Skipping sync attempt to abc123: auto-sync will wipe out all resources"
    assert decide(automated=Automated(prune=True, allow_empty=True), resources=ALL_PRUNED).sync


def test_self_heal_syncs_the_drifted_resources_at_once_the_first_time() -> None:
    decision = decide(
        automated=Automated(self_heal=True),
        last_sync=LastSync("abc123", OperationPhase.SUCCEEDED, finished_ago=0.5, self_heal_attempts=0),
    )
    assert decision.sync
    assert decision.resources == (WEB,)
    assert decision.self_heal_attempts == 1


def test_self_heal_backs_off_exponentially() -> None:
    decision = decide(
        automated=Automated(self_heal=True),
        last_sync=LastSync("abc123", OperationPhase.SUCCEEDED, finished_ago=1.0, self_heal_attempts=2),
    )
    assert not decision.sync
    assert decision.retry_after == pytest.approx(5.0)  # 2s * 3 = 6s after the last sync ended
    assert decision.message == "Skipping auto-sync: already attempted sync to abc123 (retrying in 5s)"
    later = decide(
        automated=Automated(self_heal=True),
        last_sync=LastSync("abc123", OperationPhase.SUCCEEDED, finished_ago=6.0, self_heal_attempts=2),
    )
    assert later.sync and later.self_heal_attempts == 3


def test_self_heal_with_a_fixed_timeout() -> None:
    decision = decide(
        automated=Automated(self_heal=True),
        last_sync=LastSync("abc123", OperationPhase.SUCCEEDED, finished_ago=2.0, self_heal_attempts=4),
        self_heal_backoff=None,
        self_heal_timeout=5.0,
    )
    assert decision.retry_after == pytest.approx(3.0)


def test_self_heal_does_not_repeat_a_failed_sync() -> None:
    decision = decide(
        automated=Automated(self_heal=True), last_sync=LastSync("abc123", OperationPhase.ERROR, "boom")
    )
    assert not decision.sync
    assert decision.error == "Failed sync attempt to abc123: boom"


def test_self_heal_delays() -> None:
    # k8s wait.Backoff{Duration: 2s, Factor: 3, Cap: 5m}.Step() called `attempts` times
    assert [self_heal_delay(n) for n in range(8)] == [0, 2, 6, 18, 54, 162, 300, 300]
    assert [self_heal_delay(n, SelfHealBackoff(1, 2, 0)) for n in range(5)] == [0, 1, 2, 4, 8]


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (None, None),
        ({}, None),
        ({"syncOptions": ["CreateNamespace=true"]}, None),
        ({"automated": {}}, Automated()),
        ({"automated": {"prune": True, "selfHeal": True}}, Automated(prune=True, self_heal=True)),
        ({"automated": {"allowEmpty": True, "enabled": False}}, Automated(allow_empty=True, enabled=False)),
    ],
)
def test_parse_automated(policy: dict[str, Any] | None, expected: Automated | None) -> None:
    assert parse_automated(policy) == expected


@pytest.mark.parametrize(
    ("finished_ago", "attempts_before", "sync", "attempts_after", "retry_after"),
    [
        # within the cooldown (330 s): the count carries on, the backoff grows
        (1.0, 2, False, 2, 5.0),
        (6.0, 2, True, 3, None),
        (100.0, 6, False, 6, 200.0),  # attempt 7 waits 300 s (the cap)
        (329.0, 6, True, 7, None),
        # the last sync succeeded 330 s or more ago: the count starts again from zero
        (330.0, 6, True, 1, None),
        (3600.0, 9, True, 1, None),
    ],
)
def test_self_heal_attempts_reset_after_the_cooldown(
    finished_ago: float, attempts_before: int, sync: bool, attempts_after: int, retry_after: float | None
) -> None:
    decision = decide(
        automated=Automated(self_heal=True),
        last_sync=LastSync(
            "abc123", OperationPhase.SUCCEEDED, finished_ago=finished_ago, self_heal_attempts=attempts_before
        ),
    )
    assert decision.sync is sync
    assert decision.self_heal_attempts == attempts_after
    if retry_after is not None:
        assert decision.retry_after == pytest.approx(retry_after)


def test_the_cooldown_is_configurable_and_a_new_revision_starts_from_zero() -> None:
    backoff = SelfHealBackoff(cooldown=10.0)
    decision = decide(
        automated=Automated(self_heal=True),
        last_sync=LastSync("abc123", OperationPhase.SUCCEEDED, finished_ago=10.0, self_heal_attempts=4),
        self_heal_backoff=backoff,
    )
    assert decision.sync and decision.self_heal_attempts == 1
    new_revision = decide(
        automated=Automated(self_heal=True),
        revision="def456",
        last_sync=LastSync("abc123", OperationPhase.SUCCEEDED, finished_ago=1.0, self_heal_attempts=4),
    )
    assert new_revision.sync and new_revision.self_heal_attempts == 0


def test_an_infinite_cooldown_resets_only_for_a_new_revision() -> None:
    """Argo CD 3.3's behaviour (the cooldown flag deprecated)."""
    decision = decide(
        automated=Automated(self_heal=True),
        last_sync=LastSync("abc123", OperationPhase.SUCCEEDED, finished_ago=86400.0, self_heal_attempts=6),
        self_heal_backoff=SelfHealBackoff(cooldown=math.inf),
    )
    assert decision.sync and decision.self_heal_attempts == 7
