"""Wall-clock timestamps in the formats Kubernetes uses."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)


def rfc3339(moment: datetime | None = None) -> str:
    """`2026-11-30T02:13:02Z`: seconds precision, as in `metadata.creationTimestamp`."""
    return (moment or now()).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc3339_micro(moment: datetime | None = None) -> str:
    """`2026-11-30T02:13:02.123456Z`: MicroTime, as in `Event.eventTime`."""
    return (moment or now()).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse(timestamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return None


def human_age(timestamp: str, moment: datetime | None = None) -> str:
    """The AGE column: `42s`, `5m10s`, `3h`, `12d` (kubectl's short duration format)."""
    start = parse(timestamp)
    if start is None:
        return "<unknown>"
    seconds = max(0, int(((moment or now()) - start).total_seconds()))
    if seconds < 120:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        rest = seconds % 60
        return f"{minutes}m{rest}s" if rest else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h{rest}m" if rest else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if days < 8:
        rest = hours % 24
        return f"{days}d{rest}h" if rest else f"{days}d"
    if days < 365 * 2:
        return f"{days}d"
    return f"{days // 365}y{days % 365}d"
