"""`Fleet`: many simulated clusters in one process, plus the JSON control endpoint."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from fleetops.kubesim.cluster import SimCluster
from fleetops.kubesim.control import ControlServer
from fleetops.kubesim.extension import ExtensionFactory
from fleetops.kubesim.tls import load_or_generate


class Fleet:
    def __init__(
        self,
        names: Sequence[str],
        *,
        data_dir: Path | None = None,
        tls: bool = True,
        watch_history: int = 5000,
        control_port: int = 0,
        extensions: ExtensionFactory | None = None,
    ) -> None:
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate cluster names in {list(names)}")
        self.names = list(names)
        self.data_dir = data_dir
        self.tls = tls
        self.watch_history = watch_history
        self.extensions = extensions
        self.clusters: dict[str, SimCluster] = {}
        self.control = ControlServer(self.clusters, port=control_port)

    async def start(self) -> None:
        credentials = load_or_generate(self.data_dir / "pki" if self.data_dir else None) if self.tls else None
        for name in self.names:
            self.clusters[name] = SimCluster(
                name,
                data_dir=self.data_dir,
                tls=self.tls,
                credentials=credentials,
                watch_history=self.watch_history,
                extension=self.extensions(name) if self.extensions else None,
            )
        await asyncio.gather(*(cluster.start() for cluster in self.clusters.values()))
        await self.control.start()

    async def stop(self) -> None:
        await self.control.stop()
        await asyncio.gather(*(cluster.stop() for cluster in self.clusters.values()))

    def __getitem__(self, name: str) -> SimCluster:
        return self.clusters[name]

    async def __aenter__(self) -> Fleet:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
