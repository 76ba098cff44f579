"""Cron schedules (five fields, names, ranges, steps, `@hourly`…) and their next firing time (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_MONTHS = {
    name: index + 1
    for index, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_DAYS = {name: index for index, name in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}
SEARCH_LIMIT = timedelta(days=366 * 5)
MISSED_LOOKBACK = timedelta(days=1)
"""How far back missed firing times are looked for (the controller runs only the latest anyway)."""


class CronError(ValueError):
    pass


def _value(text: str, names: dict[str, int]) -> int:
    lowered = text.lower()
    if lowered in names:
        return names[lowered]
    if not text.isdigit():
        raise CronError(f"invalid value {text!r}")
    return int(text)


def _field(text: str, low: int, high: int, names: dict[str, int] | None = None) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step <= 0:
            raise CronError(f"invalid step in {part!r}")
        if span in ("*", "?"):
            start, end = low, high
        elif "-" in span:
            first, last = span.split("-", 1)
            start, end = _value(first, names or {}), _value(last, names or {})
        else:
            start = _value(span, names or {})
            end = high if step_text else start
        if start < low or end > high or start > end:
            raise CronError(f"{part!r} is out of range {low}-{high}")
        values.update(range(start, end + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class Schedule:
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    any_day: bool
    any_weekday: bool

    @classmethod
    def parse(cls, text: str) -> Schedule:
        spec = text.strip()
        if spec.upper().startswith(("TZ=", "CRON_TZ=")):
            spec = spec.split(None, 1)[1] if " " in spec else ""
        spec = MACROS.get(spec.lower(), spec)
        fields = spec.split()
        if len(fields) != 5:
            raise CronError(f"expected exactly 5 fields, found {len(fields)}: {text!r}")
        weekdays = _field(fields[4], 0, 7, _DAYS)
        return cls(
            _field(fields[0], 0, 59),
            _field(fields[1], 0, 23),
            _field(fields[2], 1, 31),
            _field(fields[3], 1, 12, _MONTHS),
            frozenset(d % 7 for d in weekdays),
            fields[2] in ("*", "?"),
            fields[4] in ("*", "?"),
        )

    def _day_matches(self, moment: datetime) -> bool:
        weekday = (moment.weekday() + 1) % 7
        if self.any_day or self.any_weekday:
            return moment.day in self.days and weekday in self.weekdays
        return moment.day in self.days or weekday in self.weekdays

    def next_after(self, moment: datetime) -> datetime:
        """The first firing time strictly after `moment` (whole minutes)."""
        candidate = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
        limit = moment + SEARCH_LIMIT
        while candidate <= limit:
            if candidate.month not in self.months:
                candidate = (candidate.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
                continue
            if not self._day_matches(candidate):
                candidate = candidate.replace(hour=0, minute=0) + timedelta(days=1)
                continue
            if candidate.hour not in self.hours:
                candidate = candidate.replace(minute=0) + timedelta(hours=1)
                continue
            if candidate.minute not in self.minutes:
                candidate += timedelta(minutes=1)
                continue
            return candidate
        raise CronError("the schedule never fires")

    def last_before(self, start: datetime, moment: datetime) -> datetime | None:
        """The most recent firing time in (start, moment], or None."""
        found: datetime | None = None
        start = max(start, moment - MISSED_LOOKBACK)
        candidate = self.next_after(start)
        while candidate <= moment:
            found = candidate
            candidate = self.next_after(candidate)
        return found
