"""The seed article's Application (`../shared/seed/examples/application.yaml`, embedded here so the
test needs no shared directory): its syncPolicy reads as Argo CD reads it."""

from __future__ import annotations

import yaml

from fleetops.core.sync import (
    Automated,
    Backoff,
    RetryStrategy,
    SyncOptions,
    parse_automated,
    parse_retry,
    parse_sync_options,
    retry_delay,
)

SYNC_POLICY = yaml.safe_load("""
automated:
  prune: true # Remove resources not in Git
  selfHeal: true # Revert manual changes
syncOptions:
- CreateNamespace=true
retry:
  limit: 5
  backoff:
    duration: 5s
    factor: 2
    maxDuration: 3m
""")


def test_seed_sync_policy() -> None:
    assert parse_automated(SYNC_POLICY) == Automated(prune=True, self_heal=True)
    assert parse_sync_options(SYNC_POLICY["syncOptions"]) == SyncOptions(create_namespace=True)
    retry = parse_retry(SYNC_POLICY["retry"])
    assert retry == RetryStrategy(5, Backoff(5, 2, 180))
    assert [retry_delay(attempt, retry.backoff) for attempt in range(5)] == [5, 10, 20, 40, 80]
