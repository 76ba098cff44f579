"""The control endpoint: JSON over HTTP on its own 127.0.0.1 port (no authentication: local only).

GET    /clusters                      [{name, url, port, objects, revision}]
GET    /clusters/{name}/writes?since=N {"total": T, "writes": [WriteRecord…]} (records after the N-th)
DELETE /clusters/{name}/writes        forget the recorded writes
POST   /clusters/{name}/compact       forget the watch window (watches from older versions get 410)
GET|PATCH|PUT|DELETE /clusters/{name}/faults  the cluster's fault knobs (`fault_middleware.fault_routes`),
                                      for clusters whose extension has `ClusterFaults` as `faults`
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from aiohttp import web

from fleetops.kubesim.fault_middleware import fault_routes
from fleetops.kubesim.faults import ClusterFaults
from fleetops.kubesim.sockets import site_port

if TYPE_CHECKING:
    from fleetops.kubesim.cluster import SimCluster


class ControlServer:
    def __init__(self, clusters: Mapping[str, SimCluster], *, port: int = 0) -> None:
        self.clusters = clusters
        self._requested_port = port
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def application(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/clusters", self._list)
        app.router.add_get("/clusters/{name}/writes", self._writes)
        app.router.add_delete("/clusters/{name}/writes", self._clear)
        app.router.add_post("/clusters/{name}/compact", self._compact)
        app.router.add_routes(fault_routes(self.faults))
        return app

    def faults(self, name: str) -> ClusterFaults | None:
        """The fault knobs of cluster `name`: its extension's `faults`, if it has any."""
        cluster = self.clusters.get(name)
        found = getattr(cluster.extension, "faults", None) if cluster is not None else None
        return found if isinstance(found, ClusterFaults) else None

    async def start(self) -> None:
        self._runner = web.AppRunner(self.application(), access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self._requested_port)
        await site.start()
        self.port = site_port(site)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _cluster(self, request: web.Request) -> SimCluster:
        cluster = self.clusters.get(request.match_info["name"])
        if cluster is None or cluster.state is None:
            raise web.HTTPNotFound(text='{"error": "no such cluster"}', content_type="application/json")
        return cluster

    async def _list(self, request: web.Request) -> web.Response:
        body: list[dict[str, Any]] = []
        for name, cluster in self.clusters.items():
            state = cluster.state
            body.append(
                {
                    "name": name,
                    "url": cluster.url,
                    "port": cluster.port,
                    "objects": state.store.count() if state else 0,
                    "revision": state.store.revision if state else 0,
                }
            )
        return web.json_response(body)

    async def _writes(self, request: web.Request) -> web.Response:
        state = self._cluster(request).state
        assert state is not None
        records = state.write_log.records()
        since = int(request.query.get("since", "0") or 0)
        dropped = state.write_log.total - len(records)
        start = max(0, since - dropped)
        return web.json_response(
            {"total": state.write_log.total, "writes": [record.to_dict() for record in records[start:]]}
        )

    async def _clear(self, request: web.Request) -> web.Response:
        state = self._cluster(request).state
        assert state is not None
        state.write_log.clear()
        return web.json_response({"cleared": True})

    async def _compact(self, request: web.Request) -> web.Response:
        state = self._cluster(request).state
        assert state is not None
        state.store.hub.compact()
        return web.json_response({"floor": state.store.hub.floor})
