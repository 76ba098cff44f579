"""`KindWatch`: one kind of one cluster kept current by list + watch (a reflector).

List every page, then watch from the list's resourceVersion with bookmarks; when the server ends
a watch (its `timeoutSeconds`), watch again from the last version seen; `410 Gone` means the
version left the server's window, so list again. After a connection error it lists again with
backoff: the new list is diffed against the cache, so changes made meanwhile (deletions
included) are seen as events.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Sequence
from typing import Protocol

from fleetops.adapters.kube.backoff import Backoff
from fleetops.core.schema import ResourceInfo
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import Gone, KubeClient, KubeError, WatchEvent

WATCH_TIMEOUT_RANGE = (300, 600)
"""Seconds a watch request lasts before the server ends it (client-go: 5–10 minutes)."""


class KindSink(Protocol):
    def listed(self, info: ResourceInfo, items: Sequence[Manifest]) -> None: ...

    def watched(self, info: ResourceInfo, event: WatchEvent) -> None: ...

    def succeeded(self) -> None: ...

    def failed(self, info: ResourceInfo, error: Exception) -> None: ...


class KindWatch:
    def __init__(
        self,
        client: KubeClient,
        info: ResourceInfo,
        sink: KindSink,
        *,
        backoff: Backoff | None = None,
        watch_timeout_range: tuple[int, int] = WATCH_TIMEOUT_RANGE,
        bookmarks: bool = True,
    ) -> None:
        self.client = client
        self.info = info
        self._sink = sink
        self._backoff = backoff or Backoff()
        self._timeouts = watch_timeout_range
        self._bookmarks = bookmarks
        self.synced = asyncio.Event()
        self.last_error: Exception | None = None
        self.resource_version = ""
        self.lists = 0
        self.watches = 0
        self.relists_after_gone = 0
        self._outcomes: list[asyncio.Future[Exception | None]] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"watch {self.info.gvk}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._settle(KubeError(f"the watch of {self.info.gvk} was stopped"))

    async def first_sync(self) -> None:
        """Return once the first list is cached; raise the error of a failed attempt meanwhile."""
        if self.synced.is_set():
            return
        if self.last_error is not None:
            raise self.last_error
        outcome: asyncio.Future[Exception | None] = asyncio.get_running_loop().create_future()
        self._outcomes.append(outcome)
        error = await outcome
        if error is not None:
            raise error

    def _settle(self, error: Exception | None) -> None:
        outcomes, self._outcomes = self._outcomes, []
        for outcome in outcomes:
            if not outcome.done():
                outcome.set_result(error)

    async def _list(self) -> None:
        page = await self.client.list(self.info.gvk)
        self.lists += 1
        self.resource_version = page.resource_version
        self._sink.listed(self.info, page.items)
        self.last_error = None
        self.synced.set()
        self._sink.succeeded()
        self._settle(None)

    async def _watch(self) -> None:
        self.watches += 1
        events = self.client.watch(
            self.info.gvk,
            resource_version=self.resource_version,
            timeout_seconds=random.randint(*self._timeouts),
            allow_bookmarks=self._bookmarks,
        )
        async for event in events:
            if event.resource_version:
                self.resource_version = event.resource_version
            if event.type != "BOOKMARK":
                self._sink.watched(self.info, event)
            self._backoff.reset()
        self._sink.succeeded()  # the server ended the watch normally

    async def _run(self) -> None:
        while True:
            try:
                if not self.resource_version:
                    await self._list()
                await self._watch()
            except Gone:
                self.resource_version = ""
                self.relists_after_gone += 1
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the reflector outlives any one bad answer
                self.last_error = error
                self.resource_version = ""  # list again: the diff against the cache finds what was missed
                self._sink.failed(self.info, error)
                self._settle(error)
                await asyncio.sleep(self._backoff.next())
