"""IntOrString values such as `maxSurge: 25%`, scaled against a total as Kubernetes does."""

from __future__ import annotations

import math
from typing import Any


def scaled_value(value: Any, total: int, *, round_up: bool) -> int:
    """`3` → 3; `"25%"` of 10 → 3 rounding up, 2 rounding down; `"3"` (a digit string) → 3."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise ValueError(f"invalid value for IntOrString: {value!r}")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text.endswith("%"):
        percent = int(text[:-1])
        exact = percent * total / 100
        return math.ceil(exact) if round_up else math.floor(exact)
    return int(text)


def surge_and_unavailable(max_surge: Any, max_unavailable: Any, replicas: int) -> tuple[int, int]:
    """The deployment controller's `ResolveFenceposts`: surge rounds up, unavailable down, and
    both zero means one may be unavailable."""
    surge = scaled_value(max_surge if max_surge is not None else "25%", replicas, round_up=True)
    unavailable = scaled_value(
        max_unavailable if max_unavailable is not None else "25%", replicas, round_up=False
    )
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable
