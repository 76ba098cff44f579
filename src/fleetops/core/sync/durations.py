"""Go durations ("5s", "3m", "1h2m", "1.5h", "300ms") as Argo CD reads them in `retry.backoff`:
a plain integer is a number of seconds."""

from __future__ import annotations

import re

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_PART = re.compile(r"([0-9]*\.?[0-9]+|[0-9]+\.)(ns|us|µs|μs|ms|s|m|h)")


class DurationError(ValueError):
    """Not a Go duration."""


def parse_duration(text: str) -> float:
    """Seconds in `text`: an integer (seconds) or a Go duration (`time.ParseDuration`)."""
    value = text.strip()
    if re.fullmatch(r"[+-]?[0-9]+", value):
        return float(int(value))
    sign = -1.0 if value.startswith("-") else 1.0
    body = value.lstrip("+-")
    if body == "0":
        return 0.0
    if not body:
        raise DurationError(f'unable to parse "{text}" as a duration')
    total, position = 0.0, 0
    for match in _PART.finditer(body):
        if match.start() != position:
            raise DurationError(f'unable to parse "{text}" as a duration')
        total += float(match.group(1)) * _UNITS[match.group(2)]
        position = match.end()
    if position != len(body) or position == 0:
        raise DurationError(f'unable to parse "{text}" as a duration')
    return sign * total
