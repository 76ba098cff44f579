"""Sync retries: Argo CD's `spec.syncPolicy.retry` (`limit`, `backoff.duration` 5s,
`backoff.factor` 2, `backoff.maxDuration` 3m)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fleetops.core.sync.durations import DurationError, parse_duration

DEFAULT_DURATION = 5.0  # common.DefaultSyncRetryDuration
DEFAULT_FACTOR = 2.0  # common.DefaultSyncRetryFactor
DEFAULT_MAX_DURATION = 180.0  # common.DefaultSyncRetryMaxDuration
AUTO_SYNC_RETRY_LIMIT = 5  # an automated sync without `retry` retries 5 times (appcontroller.autoSync)


class RetryError(ValueError):
    """A `retry` block with a value Argo CD cannot parse."""


@dataclass(frozen=True, slots=True)
class Backoff:
    duration: float = DEFAULT_DURATION  # seconds
    factor: float = DEFAULT_FACTOR
    max_duration: float = DEFAULT_MAX_DURATION  # seconds; 0 = no cap


@dataclass(frozen=True, slots=True)
class RetryStrategy:
    """`limit` retries after a failed sync (0 = none, negative = unlimited)."""

    limit: int = 0
    backoff: Backoff = field(default_factory=Backoff)


def parse_retry(spec: Mapping[str, Any] | None) -> RetryStrategy | None:
    """`spec.syncPolicy.retry` as a `RetryStrategy` (None when absent)."""
    if spec is None:
        return None
    limit = spec.get("limit", 0)
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise RetryError(f"retry.limit: {limit!r} is not an integer")
    raw = spec.get("backoff") or {}
    if not isinstance(raw, Mapping):
        raise RetryError("retry.backoff: expected an object")
    backoff = Backoff(
        duration=_duration(raw.get("duration"), DEFAULT_DURATION, "retry.backoff.duration"),
        factor=_factor(raw.get("factor")),
        max_duration=_duration(raw.get("maxDuration"), DEFAULT_MAX_DURATION, "retry.backoff.maxDuration"),
    )
    return RetryStrategy(limit, backoff)


def retry_delay(attempt: int, backoff: Backoff | None = None) -> float:
    """Seconds to wait before retry number `attempt` (0 for the first retry).

    Argo CD, `pkg/apis/application/v1alpha1/types.go` `RetryStrategy.NextRetryAt(lastAttempt,
    retryCounts)`: "Formula: timeToWait = duration * factor^retry_number", then
    `timeToWait = min(maxDuration, timeToWait)` when maxDuration > 0; the first retry waits
    `duration`.
    """
    backoff = backoff or Backoff()
    try:
        delay = backoff.duration * backoff.factor**attempt
    except OverflowError:
        delay = math.inf
    if backoff.max_duration > 0:
        delay = min(backoff.max_duration, delay)
    return delay


def should_retry(retry: RetryStrategy | None, retry_count: int) -> bool:
    """May a failed sync be retried after `retry_count` retries already made?"""
    if retry is None or retry.limit == 0:
        return False
    return retry.limit < 0 or retry_count < retry.limit


def _duration(value: Any, default: float, where: str) -> float:
    if value is None or value == "":
        return default
    try:
        return parse_duration(str(value))
    except DurationError as error:
        raise RetryError(f"{where}: {error}") from None


def _factor(value: Any) -> float:
    if value is None:
        return DEFAULT_FACTOR
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RetryError(f"retry.backoff.factor: {value!r} is not a number")
    return float(value)
