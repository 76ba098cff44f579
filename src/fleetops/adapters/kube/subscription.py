"""`ChangeQueue`: one subscriber's unbounded queue of the live cache's change events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from fleetops.ports.kube import ChangeEvent


class ChangeQueue:
    def __init__(self, on_close: Callable[[ChangeQueue], None]) -> None:
        self._queue: asyncio.Queue[ChangeEvent | None] = asyncio.Queue()
        self._on_close = on_close
        self._closed = False

    def put(self, event: ChangeEvent) -> None:
        if not self._closed:
            self._queue.put_nowait(event)

    def pending(self) -> int:
        return self._queue.qsize()

    async def get(self) -> ChangeEvent | None:
        """The next event; None once closed and drained."""
        if self._closed and self._queue.empty():
            return None
        return await self._queue.get()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._queue.put_nowait(None)
            self._on_close(self)

    async def __aiter__(self) -> AsyncIterator[ChangeEvent]:
        while (event := await self.get()) is not None:
            yield event
