"""`SimCluster`: one emulated Kubernetes cluster on its own 127.0.0.1 port."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from pathlib import Path

from aiohttp import web

from fleetops.core.schema.kube_schema import load_schema
from fleetops.kubesim.bootstrap import bootstrap
from fleetops.kubesim.catalog import Catalog
from fleetops.kubesim.controllers import core_controllers
from fleetops.kubesim.extension import ClusterExtension
from fleetops.kubesim.http.app import ApiServer
from fleetops.kubesim.sockets import site_port
from fleetops.kubesim.state import ClusterState
from fleetops.kubesim.storage import Backend, MemoryBackend, SqliteBackend
from fleetops.kubesim.store import ObjectStore
from fleetops.kubesim.tls import Credentials, load_or_generate

KUBERNETES_VERSION = "1.32"
ADMIN_IDENTITY = "kubernetes-admin"


class SimCluster:
    """Start with `await cluster.start()`; `url` and `token` then tell clients where and how."""

    def __init__(
        self,
        name: str,
        *,
        port: int = 0,
        data_dir: Path | None = None,
        token: str | None = None,
        watch_history: int = 5000,
        tls: bool = True,
        credentials: Credentials | None = None,
        extension: ClusterExtension | None = None,
    ) -> None:
        self.name = name
        self.extension = extension
        self._requested_port = port
        self._data_dir = data_dir
        self._token = token
        self._history = watch_history
        self.tls = tls
        self._credentials = credentials
        self._runner: web.AppRunner | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self.port = 0
        self.state: ClusterState | None = None

    def _backend(self) -> Backend:
        if self._data_dir is None:
            return MemoryBackend()
        return SqliteBackend(self._data_dir / f"{self.name}.db")

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    @property
    def credentials(self) -> Credentials | None:
        return self._credentials

    @property
    def ca_pem(self) -> bytes:
        """The CA that signed the serving certificate (empty without TLS)."""
        return self._credentials.ca_pem if self._credentials is not None and self.tls else b""

    @property
    def token(self) -> str:
        assert self._token is not None, "start the cluster first"
        return self._token

    async def start(self) -> None:
        backend = self._backend()
        store = ObjectStore(backend, history=self._history)
        self.state = ClusterState(self.name, store, Catalog(load_schema(KUBERNETES_VERSION)))
        self._token = self._token or backend.get_meta("token") or secrets.token_urlsafe(32)
        backend.set_meta("token", self._token)
        self.state.tokens[self._token] = ADMIN_IDENTITY
        port = self._requested_port or int(backend.get_meta("port") or 0)
        ssl_context = None
        if self.tls:
            if self._credentials is None:
                self._credentials = load_or_generate(self._data_dir / "pki" if self._data_dir else None)
            ssl_context = self._credentials.server_context()
        controllers = [controller(self.state) for controller in core_controllers()]
        self._tasks = [controller.start() for controller in controllers]
        bootstrap(self.state)
        if self.extension is not None:
            self.extension.bootstrap(self.state)
            self._tasks.extend(controller.start() for controller in self.extension.controllers(self.state))
        server = ApiServer(self.state)
        self._runner = web.AppRunner(
            server.application(self.extension.middlewares() if self.extension else ()),
            access_log=None,
            handle_signals=False,
        )
        await self._runner.setup()
        try:
            site = web.TCPSite(self._runner, "127.0.0.1", port, ssl_context=ssl_context)
            await site.start()
        except OSError:
            if not port or self._requested_port:
                raise
            site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=ssl_context)
            await site.start()
        self.port = site_port(site)
        server.server_address = f"127.0.0.1:{self.port}"
        backend.set_meta("port", str(self.port))

    async def stop(self) -> None:
        if self.state is not None:
            self.state.store.hub.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self.state is not None:
            self.state.store.close()
            self.state = None

    async def __aenter__(self) -> SimCluster:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
