"""Retry backoff against Argo CD's formula: min(duration * factor^attempt, maxDuration)."""

from __future__ import annotations

from typing import Any

import pytest

from fleetops.core.sync import (
    Backoff,
    DurationError,
    RetryError,
    RetryStrategy,
    parse_duration,
    parse_retry,
    retry_delay,
    should_retry,
)


@pytest.mark.parametrize(
    ("backoff", "delays"),
    [
        # Argo's defaults: 5s, factor 2, max 3m
        (Backoff(), [5, 10, 20, 40, 80, 160, 180]),
        (Backoff(duration=10, factor=3, max_duration=600), [10, 30, 90, 270, 600, 600, 600]),
        (Backoff(duration=1, factor=2, max_duration=0), [1, 2, 4, 8, 16, 32, 64]),  # no cap
        (Backoff(duration=30, factor=1, max_duration=60), [30, 30, 30, 30, 30, 30, 30]),
    ],
)
def test_retry_delays_for_attempts_0_to_6(backoff: Backoff, delays: list[float]) -> None:
    assert [retry_delay(attempt, backoff) for attempt in range(7)] == delays


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (None, None),
        ({}, RetryStrategy(0, Backoff())),
        ({"limit": 5}, RetryStrategy(5, Backoff())),
        (
            {"limit": -1, "backoff": {"duration": "1m", "factor": 3, "maxDuration": "1h2m"}},
            RetryStrategy(-1, Backoff(60, 3, 3720)),
        ),
        ({"limit": 2, "backoff": {"duration": "30"}}, RetryStrategy(2, Backoff(30, 2, 180))),
    ],
)
def test_parse_retry(spec: dict[str, Any] | None, expected: RetryStrategy | None) -> None:
    assert parse_retry(spec) == expected


@pytest.mark.parametrize(
    "spec",
    [
        {"limit": "5"},
        {"backoff": {"duration": "5 seconds"}},
        {"backoff": {"factor": "2"}},
        {"backoff": {"maxDuration": "3mm"}},
    ],
)
def test_bad_retry_specs(spec: dict[str, Any]) -> None:
    with pytest.raises(RetryError):
        parse_retry(spec)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("5s", 5),
        ("3m", 180),
        ("1h2m", 3720),
        ("1.5h", 5400),
        ("300ms", 0.3),
        ("2h45m0.5s", 9900.5),
        ("0", 0),
        ("90", 90),
        ("-1m", -60),
    ],
)
def test_go_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "s", "5x", "1h 2m", "h1", "1.2.3s", "-"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("retry", "count", "expected"),
    [
        (None, 0, False),
        (RetryStrategy(0), 0, False),
        (RetryStrategy(2), 0, True),
        (RetryStrategy(2), 1, True),
        (RetryStrategy(2), 2, False),
        (RetryStrategy(-1), 1000, True),
    ],
)
def test_should_retry(retry: RetryStrategy | None, count: int, expected: bool) -> None:
    assert should_retry(retry, count) is expected


def test_huge_attempt_numbers_stay_at_the_cap() -> None:
    assert retry_delay(5000) == 180
    assert retry_delay(5000, Backoff(max_duration=0)) == float("inf")
