"""`TrackingConnector`: an aiohttp connector that remembers the transports it handed out, so a
client can abort them all when it closes.

aiohttp closes a connection whose request was cancelled before the response arrived (a watch
stopped while it was being opened) with a graceful TLS shutdown that nothing waits for; if the
event loop ends first the socket is never closed. Aborting every transport on close makes
shutdown deterministic.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import TYPE_CHECKING

import aiohttp

if TYPE_CHECKING:
    from aiohttp.client_reqrep import ClientRequest
    from aiohttp.tracing import Trace


class TrackingConnector(aiohttp.TCPConnector):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._handed_out: weakref.WeakSet[asyncio.BaseTransport] = weakref.WeakSet()

    async def connect(
        self, req: ClientRequest, traces: list[Trace], timeout: aiohttp.ClientTimeout
    ) -> aiohttp.connector.Connection:
        connection = await super().connect(req, traces, timeout)
        transport = connection.transport
        if transport is not None:
            self._handed_out.add(transport)
        return connection

    def abort_all(self) -> None:
        """Abort every transport handed out that is still open (or closing gracefully)."""
        for transport in list(self._handed_out):
            if isinstance(transport, asyncio.Transport):
                transport.abort()
