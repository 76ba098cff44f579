"""A work queue in client-go's manner: an item is queued at most once, an item being processed is
not handed out again (re-adds while processing queue it once more after `done`), delayed adds, and
per-item exponential backoff for failures."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)

BASE_DELAY = 0.005
MAX_DELAY = 1000.0


class ShutDown(Exception):
    """The queue was shut down."""


class WorkQueue(Generic[T]):
    def __init__(self, *, base_delay: float = BASE_DELAY, max_delay: float = MAX_DELAY) -> None:
        self._queue: list[T] = []
        self._dirty: set[T] = set()
        self._processing: set[T] = set()
        self._failures: dict[T, int] = {}
        self._timers: dict[T, asyncio.TimerHandle] = {}
        self._wake = asyncio.Event()
        self._base = base_delay
        self._max = max_delay
        self._closed = False

    def __len__(self) -> int:
        return len(self._queue)

    def add(self, item: T) -> None:
        if self._closed or item in self._dirty:
            return
        self._dirty.add(item)
        if item in self._processing:
            return
        self._queue.append(item)
        self._wake.set()

    def add_after(self, item: T, delay: float) -> None:
        """Queue `item` after `delay` seconds (an earlier pending delayed add wins)."""
        if self._closed:
            return
        if delay <= 0:
            self.add(item)
            return
        loop = asyncio.get_running_loop()
        existing = self._timers.get(item)
        when = loop.time() + delay
        if existing is not None:
            if existing.when() <= when:
                return
            existing.cancel()
        self._timers[item] = loop.call_at(when, self._fire, item)

    def _fire(self, item: T) -> None:
        self._timers.pop(item, None)
        self.add(item)

    def add_rate_limited(self, item: T) -> float:
        """Queue `item` after its backoff (doubling per consecutive failure); returns the delay."""
        failures = self._failures.get(item, 0)
        self._failures[item] = failures + 1
        delay = float(min(self._base * 2**failures, self._max))
        self.add_after(item, delay)
        return delay

    def forget(self, item: T) -> None:
        """Reset `item`'s backoff (it succeeded)."""
        self._failures.pop(item, None)

    async def get(self) -> T:
        while not self._queue and not self._closed:
            self._wake.clear()
            await self._wake.wait()
        if self._closed:
            raise ShutDown
        item = self._queue.pop(0)
        self._processing.add(item)
        self._dirty.discard(item)
        if self._queue:
            self._wake.set()
        return item

    def done(self, item: T) -> None:
        self._processing.discard(item)
        if item in self._dirty and not self._closed:
            self._queue.append(item)
            self._wake.set()

    def shutdown(self) -> None:
        self._closed = True
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self._wake.set()


class ClusterQueues(Generic[T]):
    """One `WorkQueue` per lane (the application controller's lanes are destination clusters),
    created on first use, so that the items of one lane never wait behind another's."""

    def __init__(self) -> None:
        self._lanes: dict[str, WorkQueue[T]] = {}
        self._closed = False

    def __len__(self) -> int:
        """Items waiting in all lanes."""
        return sum(len(queue) for queue in self._lanes.values())

    def lanes(self) -> list[str]:
        return list(self._lanes)

    def lane(self, name: str) -> tuple[WorkQueue[T], bool]:
        """The lane's queue, and whether it was created by this call."""
        queue = self._lanes.get(name)
        if queue is not None:
            return queue, False
        queue = self._lanes[name] = WorkQueue()
        if self._closed:
            queue.shutdown()
        return queue, True

    def remove(self, name: str) -> None:
        """Shut a lane down and forget it (its workers end; items being processed finish)."""
        queue = self._lanes.pop(name, None)
        if queue is not None:
            queue.shutdown()

    def shutdown(self) -> None:
        self._closed = True
        for queue in self._lanes.values():
            queue.shutdown()
