"""The hub's wiring: concrete adapters (kube client, watch caches, pygit2 source) plugged into the
controllers, plus the HTTP server (webhook, /metrics, /healthz). The CLI calls `run_hub`.

    config = HubConfig(kubeconfig="~/.kube/config", context="hub", port=8080)
    await run_hub(config, ready=event)   # runs until cancelled
"""

from __future__ import annotations

import asyncio

from fleetops.server.config import DEFAULT_NAMESPACE, HubConfig
from fleetops.server.hub import Hub

__all__ = ["DEFAULT_NAMESPACE", "HubConfig", "run_hub"]


async def run_hub(config: HubConfig, *, ready: asyncio.Event | None = None) -> None:
    """Install the CRDs in the hub, start the controllers and the HTTP server; run until cancelled.

    `ready` is set once the CRDs are installed, the informers have listed and the HTTP server
    listens."""
    async with Hub(config) as hub:
        await hub.start()
        if ready is not None:
            ready.set()
        await hub.wait()
