"""Timing helpers shared by the benchmarks (reports, never assertions).

- :func:`rate` — calls per second of an in-process function, after a warm-up.
- :func:`median_time` — median wall time of a subprocess command over repeated runs, after
  warm-up runs (what ``hyperfine`` reports, without needing it installed).
- :func:`report` — one line comparing our figure with a reference tool's from the same run.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable, Sequence

__all__ = ["median_time", "rate", "report"]


def rate(fn: Callable[[], object], seconds: float = 1.0, *, warmup: float = 0.2) -> float:
    """Calls of ``fn`` per second, measured for about ``seconds`` after ``warmup`` seconds."""
    _run_for(fn, warmup)
    calls, elapsed = _run_for(fn, seconds)
    return calls / elapsed


def _run_for(fn: Callable[[], object], seconds: float) -> tuple[int, float]:
    """Call ``fn`` in growing batches until ``seconds`` have passed; (calls, elapsed)."""
    calls = 0
    batch = 1
    started = time.perf_counter()
    elapsed = 0.0
    while calls == 0 or elapsed < seconds:
        for _ in range(batch):
            fn()
        calls += batch
        elapsed = time.perf_counter() - started
        batch = min(batch * 2, 1024)
    return calls, elapsed


def median_time(
    cmd: Sequence[str],
    *,
    runs: int = 10,
    warmup: int = 2,
    stdin: bytes | None = None,
    cwd: str | None = None,
) -> float:
    """Median wall time in seconds of running ``cmd`` (which must succeed) ``runs`` times."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    times: list[float] = []
    for index in range(warmup + runs):
        started = time.perf_counter()
        subprocess.run(list(cmd), input=stdin, cwd=cwd, check=True, capture_output=True)
        if index >= warmup:
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def report(
    what: str,
    ours: float,
    reference: float | None = None,
    *,
    unit: str = "ops/s",
    reference_name: str = "reference",
    higher_is_better: bool = True,
) -> str:
    """A report line, with the ratio to a reference tool measured in the same run.

    The ratio reads "how many times better fleetops is": ours/reference for rates,
    reference/ours for times (``higher_is_better=False``).
    """
    line = f"{what}: {ours:,.1f} {unit}"
    if reference is not None and reference > 0 and ours > 0:
        ratio = ours / reference if higher_is_better else reference / ours
        line += f"  ({reference_name}: {reference:,.1f} {unit}; fleetops is {ratio:.2f}x)"
    return line
