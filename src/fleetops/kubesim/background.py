"""A `Fleet` served from a background thread with its own event loop: for synchronous callers
(tests driving kubectl or a synchronous client library, scripts)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from pathlib import Path

from fleetops.kubesim.extension import ExtensionFactory
from fleetops.kubesim.fleet import Fleet


class BackgroundFleet:
    def __init__(
        self,
        names: Sequence[str],
        *,
        data_dir: Path | None = None,
        tls: bool = True,
        watch_history: int = 5000,
        extensions: ExtensionFactory | None = None,
    ) -> None:
        self.fleet = Fleet(
            names, data_dir=data_dir, tls=tls, watch_history=watch_history, extensions=extensions
        )
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kubesim", daemon=True)

    def start(self) -> Fleet:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.fleet.start(), self._loop).result(timeout=60)
        return self.fleet

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.fleet.stop(), self._loop).result(timeout=60)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> Fleet:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
