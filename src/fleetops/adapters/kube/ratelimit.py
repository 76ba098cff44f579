"""Client-side request rate limiting per cluster: a token bucket (QPS refill, `burst` capacity),
like client-go's `flowcontrol` limiter. Each request reserves a token at once and sleeps until
its token is due, so concurrent callers are served in arrival order without a lock. The clock is
injectable so tests can count waits instead of timing them."""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class TokenBucket:
    """`qps <= 0` disables limiting."""

    def __init__(self, qps: float, burst: int, *, clock: Clock | None = None) -> None:
        self.qps = qps
        self.burst = max(1, burst)
        self._clock = clock or SystemClock()
        self._tokens = float(self.burst)
        self._last = self._clock.monotonic()
        self.acquired = 0
        self.delayed = 0
        """How many acquisitions had to wait."""
        self.waited = 0.0
        """Total seconds of waiting asked of the clock."""

    def _reserve(self) -> float:
        now = self._clock.monotonic()
        self._tokens = min(float(self.burst), self._tokens + (now - self._last) * self.qps)
        self._last = now
        self._tokens -= 1.0
        self.acquired += 1
        return 0.0 if self._tokens >= 0 else -self._tokens / self.qps

    async def acquire(self) -> float:
        """Wait for one request's token; returns the seconds waited."""
        if self.qps <= 0:
            self.acquired += 1
            return 0.0
        delay = self._reserve()
        if delay > 0:
            self.delayed += 1
            self.waited += delay
            await self._clock.sleep(delay)
        return delay
