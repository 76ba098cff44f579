"""How simulated control planes plug into a `SimCluster` without the API server knowing them.

An extension (e.g. the workload controllers, scheduler and kubelet with their fault knobs) creates
objects at start-up, runs controllers as asyncio tasks beside the core ones, and may wrap every
request in aiohttp middlewares (e.g. injected latency or errors).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Protocol

from aiohttp import typedefs

from fleetops.kubesim.state import ClusterState

Middleware = typedefs.Middleware


class Startable(Protocol):
    def start(self) -> asyncio.Task[None]: ...


class ClusterExtension(Protocol):
    def bootstrap(self, state: ClusterState) -> None:
        """Create what the extension needs in a fresh (or restarted) cluster."""
        ...

    def controllers(self, state: ClusterState) -> Sequence[Startable]: ...

    def middlewares(self) -> Sequence[Middleware]: ...


ExtensionFactory = Callable[[str], ClusterExtension]
"""Builds the extension of the cluster with the given name."""
