"""The watch hub: every change of a cluster's store, fanned out to watchers and kept in a window.

A watcher resuming from resourceVersion N gets the events after N from the window; when the window
no longer reaches back to N the watch expires (410 Gone), exactly as the API server's watch cache
answers a version etcd has compacted. In-process controllers subscribe the same way.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from fleetops.kubesim.keys import GroupResource

EventType = Literal["ADDED", "MODIFIED", "DELETED"]
Manifest = dict[str, Any]


@dataclass(frozen=True, slots=True)
class WatchEvent:
    type: EventType
    resource: GroupResource
    object: Manifest
    """The object after the change (for DELETED: its last state). Shared: never mutate."""
    old: Manifest | None
    revision: int


class TooOldError(Exception):
    def __init__(self, requested: int, oldest: int) -> None:
        super().__init__(f"too old resource version: {requested} ({oldest})")
        self.requested = requested
        self.oldest = oldest


EventFilter = Callable[[WatchEvent], bool]


class Subscription:
    """One watcher's queue; `None` in the queue means the hub closed."""

    def __init__(self, hub: WatchHub, accepts: EventFilter) -> None:
        self._hub = hub
        self.accepts = accepts
        self.queue: asyncio.Queue[WatchEvent | None] = asyncio.Queue()
        self.closed = False

    async def next(self, timeout: float | None = None) -> WatchEvent | None:
        """The next event, or None on timeout or when the hub closed."""
        if self.closed:
            return None
        try:
            event = self.queue.get_nowait()
        except asyncio.QueueEmpty:
            try:
                event = await asyncio.wait_for(self.queue.get(), timeout)
            except TimeoutError:
                return None
        if event is None:
            self.closed = True
        return event

    def close(self) -> None:
        self._hub.unsubscribe(self)


class WatchHub:
    def __init__(self, capacity: int = 5000, *, floor: int = 0) -> None:
        self._history: deque[WatchEvent] = deque()
        self._capacity = capacity
        self._floor = floor
        self._subscribers: set[Subscription] = set()

    @property
    def floor(self) -> int:
        """The oldest resourceVersion a watch may resume from."""
        return self._floor

    def publish(self, event: WatchEvent) -> None:
        self._history.append(event)
        while len(self._history) > self._capacity:
            self._floor = self._history.popleft().revision
        for subscriber in list(self._subscribers):
            if subscriber.accepts(event):
                subscriber.queue.put_nowait(event)

    def compact(self) -> None:
        """Forget the whole window (as after an etcd compaction)."""
        if self._history:
            self._floor = self._history[-1].revision
        self._history.clear()

    def subscribe(self, accepts: EventFilter, since: int | None = None) -> Subscription:
        """Subscribe; with `since`, first replay the window's events after it (TooOldError when
        the window does not reach back that far)."""
        if since is not None and since < self._floor:
            raise TooOldError(since, self._floor + 1)
        subscription = Subscription(self, accepts)
        if since is not None:
            for event in self._history:
                if event.revision > since and accepts(event):
                    subscription.queue.put_nowait(event)
        self._subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscribers.discard(subscription)

    def close(self) -> None:
        for subscriber in list(self._subscribers):
            subscriber.queue.put_nowait(None)
        self._subscribers.clear()
