"""`Hub`: the running hub — CRDs installed, controllers started, HTTP server listening."""

from __future__ import annotations

import asyncio
from types import TracebackType

from fleetops.server.config import HubConfig


class Hub:
    def __init__(self, config: HubConfig) -> None:
        self.config = config
        self._stopped = asyncio.Event()

    async def __aenter__(self) -> Hub:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        """Install the CRDs, start the informers and controllers, listen for HTTP."""

    async def wait(self) -> None:
        await self._stopped.wait()

    async def stop(self) -> None:
        self._stopped.set()
