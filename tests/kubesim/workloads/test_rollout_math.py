"""The rolling-update arithmetic and cron schedules, checked against Kubernetes' documented rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fleetops.kubesim.workloads import intstr, rollout
from fleetops.kubesim.workloads.cron import CronError, Schedule
from fleetops.kubesim.workloads.rollout import ReplicaSetCounts


@pytest.mark.parametrize(
    ("surge", "unavailable", "replicas", "expected"),
    [
        ("25%", "25%", 10, (3, 2)),
        ("25%", "25%", 1, (1, 0)),
        ("25%", "25%", 4, (1, 1)),
        (0, 0, 3, (0, 1)),
        ("0%", "0%", 3, (0, 1)),
        (2, "50%", 5, (2, 2)),
        (None, None, 3, (1, 0)),
    ],
)
def test_surge_rounds_up_and_unavailability_down(
    surge: object, unavailable: object, replicas: int, expected: tuple[int, int]
) -> None:
    assert intstr.surge_and_unavailable(surge, unavailable, replicas) == expected


@given(
    replicas=st.integers(1, 20),
    surge=st.integers(0, 5),
    unavailable=st.integers(0, 5),
    available_new=st.integers(0, 20),
)
def test_rolling_steps_never_exceed_the_bounds(
    replicas: int, surge: int, unavailable: int, available_new: int
) -> None:
    if surge == 0 and unavailable == 0:
        unavailable = 1
    new = ReplicaSetCounts("new", 0, 0, "2")
    old = ReplicaSetCounts("old", replicas, replicas, "1")
    for _ in range(4 * replicas + 10):
        up = rollout.scale_up(replicas, surge, new, [new, old])
        assert up + old.replicas <= max(replicas + surge, new.replicas + old.replicas)
        new = ReplicaSetCounts("new", up, min(up, available_new if available_new < replicas else up), "2")
        down = rollout.scale_down(replicas, unavailable, new, [old])
        if "old" in down:
            old = ReplicaSetCounts("old", down["old"], min(old.available, down["old"]), "1")
        assert new.available + old.available >= min(replicas - unavailable, replicas) or not down
    if available_new >= replicas:
        assert (new.replicas, old.replicas) == (replicas, 0)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("schedule", "after", "expected"),
    [
        ("*/5 * * * *", "2026-11-30 02:31", "2026-11-30 02:35"),
        ("0 * * * *", "2026-11-30 02:31", "2026-11-30 03:00"),
        ("@daily", "2026-11-30 02:31", "2026-12-01 00:00"),
        ("30 9 * * mon-fri", "2026-11-28 10:00", "2026-11-30 09:30"),
        ("0 0 1 jan *", "2026-11-30 00:00", "2027-01-01 00:00"),
        ("15 10 13 * 5", "2026-11-30 00:00", "2026-12-04 10:15"),
        ("0 12 * * 7", "2026-11-30 00:00", "2026-12-06 12:00"),
    ],
)
def test_next_firing_time(schedule: str, after: str, expected: str) -> None:
    assert Schedule.parse(schedule).next_after(at(after)) == at(expected)


@pytest.mark.parametrize("schedule", ["* * * *", "61 * * * *", "*/0 * * * *", "a b c d e"])
def test_invalid_schedules(schedule: str) -> None:
    with pytest.raises(CronError):
        Schedule.parse(schedule)
