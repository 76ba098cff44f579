"""`WatchCache`: the `LiveCache` of one cluster, fed by list + watch per kind in use.

Kinds are watched cluster-wide at their preferred version, on demand (`ensure_watched`, e.g.
when an application renders a kind for the first time or a CRD appears). Every change is
indexed (by key, kind, tracking application, owner) and published with its old and new object to
handlers and subscriber queues, so a controller re-queues the owning application at once — drift
is a watch event, never a poll. `status()` reports the connection for
`argocd_cluster_connection_status` and `fleetops cluster list`.

The connection status follows every request made with the cache's client, not only the
watches': `connection_observed` (wired to the transport by the connection factory) marks the
cluster disconnected, with the error, when a request cannot reach it (a timeout, a refused or
reset connection) and connected again after any answer. With `probe_interval`, the cache also
asks the server its version that often, so a cluster that stops answering while its watches stay
open (or nothing else talks to it) is noticed, and one that answers again is noticed too. While
the cluster is disconnected, `ensure_watched` raises the connection error even for kinds already
cached (the cache may be stale: callers show Unknown rather than compare against it). With
`announce_connection` (a spoke's cache: its only handlers map events to the applications they
name), every change of the connection state is told to the handlers (`add_handler`) as one event
per application tracking objects on the cluster, old and new the same unchanged object, so that
controllers look at those applications again at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable, Sequence

from fleetops.adapters.kube.backoff import Backoff
from fleetops.adapters.kube.kind_watch import WATCH_TIMEOUT_RANGE, KindWatch
from fleetops.adapters.kube.store import Change, ObjectIndex
from fleetops.adapters.kube.subscription import ChangeQueue
from fleetops.core.schema import ResourceInfo
from fleetops.model import GroupKind, GroupVersionKind, ResourceKey
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import (
    ChangeEvent,
    ChangeHandler,
    ConnectionStatus,
    KubeClient,
    KubeError,
    LiveCache,
    Unauthorized,
    Unreachable,
    WatchEvent,
)

log = logging.getLogger(__name__)


class WatchCache:
    def __init__(
        self,
        client: KubeClient,
        *,
        cluster: str = "",
        tracking_label: str | None = None,
        kinds: Iterable[GroupVersionKind | GroupKind] = (),
        backoff: Callable[[], Backoff] = Backoff,
        watch_timeout_range: tuple[int, int] = WATCH_TIMEOUT_RANGE,
        bookmarks: bool = True,
        probe_interval: float | None = None,
        announce_connection: bool = False,
    ) -> None:
        self._client = client
        self._cluster = cluster or client.server
        self._index = ObjectIndex(tracking_label=tracking_label)
        self._initial = tuple(kinds)
        self._backoff = backoff
        self._timeouts = watch_timeout_range
        self._bookmarks = bookmarks
        self._watches: dict[GroupKind, KindWatch] = {}
        self._handlers: list[ChangeHandler] = []
        self._queues: list[ChangeQueue] = []
        self._connected = False
        self._last_error: str | None = None
        self._version: str | None = None
        self._probe_interval = probe_interval
        self._probe: asyncio.Task[None] | None = None
        self._announce = announce_connection

    # ------------------------------------------------------------ lifecycle

    @property
    def cluster(self) -> str:
        return self._cluster

    async def start(self) -> None:
        """Probe the server and start the initial kinds; an unreachable cluster is recorded in
        `status()`, not raised (the watches keep retrying)."""
        await self.refresh_status()
        if self._probe_interval is not None and self._probe is None:
            self._probe = asyncio.create_task(self._run_probe(), name=f"probe {self._cluster}")
        for kind in self._initial:
            try:
                await self.ensure_watched(kind)
            except KubeError as error:
                log.warning("cluster %s: cannot watch %s yet: %s", self._cluster, kind, error)

    async def _run_probe(self) -> None:
        assert self._probe_interval is not None
        while True:
            await asyncio.sleep(self._probe_interval)
            await self.refresh_status()

    async def stop(self) -> None:
        if self._probe is not None:
            self._probe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._probe
            self._probe = None
        for watch in list(self._watches.values()):
            await watch.stop()
        self._watches.clear()
        for queue in list(self._queues):
            queue.close()

    async def __aenter__(self) -> WatchCache:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def refresh_status(self) -> ConnectionStatus:
        """Ask the server its version now (updates `status()`)."""
        try:
            self._version = str(await self._client.server_version())
        except KubeError as error:
            self._record_failure(error)
        else:
            self.succeeded()
        return self.status()

    # ------------------------------------------------------------ queries

    def get(self, key: ResourceKey) -> Manifest | None:
        return self._index.get(key)

    def objects(self, kind: GroupKind | None = None) -> Sequence[Manifest]:
        return self._index.all() if kind is None else self._index.of_kind(kind)

    def objects_of_app(self, app: str) -> Sequence[Manifest]:
        return self._index.of_app(app)

    def owned_by(self, uid: str) -> Sequence[Manifest]:
        return self._index.owned_by(uid)

    def is_namespaced(self, kind: GroupKind) -> bool | None:
        watch = self._watches.get(kind)
        return watch.info.namespaced if watch is not None else None

    def watched_kinds(self) -> tuple[GroupKind, ...]:
        return tuple(sorted(self._watches))

    def kind_watch(self, kind: GroupKind) -> KindWatch | None:
        """The reflector of a kind (its counters: lists, watches, relists after 410)."""
        return self._watches.get(kind)

    def status(self) -> ConnectionStatus:
        return ConnectionStatus(
            cluster=self._cluster,
            server=self._client.server,
            connected=self._connected,
            last_error=self._last_error,
            resources=len(self._index),
            server_version=self._version,
            watched=self.watched_kinds(),
        )

    # ------------------------------------------------------------ watching

    async def ensure_watched(self, what: GroupVersionKind | GroupKind) -> None:
        kind = what.group_kind if isinstance(what, GroupVersionKind) else what
        watch = self._watches.get(kind)
        if watch is not None and watch.synced.is_set() and not self._connected and self._last_error:
            raise KubeError(self._last_error)  # the cached objects may be stale
        if watch is None:
            try:
                info = await self._client.resource_for(kind)
            except KubeError as error:
                self._record_failure(error)
                raise
            if not {"list", "watch"} <= set(info.verbs):
                raise KubeError(f"{kind} cannot be listed and watched (verbs: {', '.join(info.verbs)})")
            watch = self._watches.get(kind)  # another caller may have started it meanwhile
            if watch is None:
                watch = KindWatch(
                    self._client,
                    info,
                    self,
                    backoff=self._backoff(),
                    watch_timeout_range=self._timeouts,
                    bookmarks=self._bookmarks,
                )
                self._watches[kind] = watch
                watch.start()
        await watch.first_sync()
        if self._version is None:
            await self.refresh_status()

    # ------------------------------------------------------------ subscribers

    def add_handler(self, handler: ChangeHandler) -> Callable[[], None]:
        self._handlers.append(handler)

        def remove() -> None:
            if handler in self._handlers:
                self._handlers.remove(handler)

        return remove

    def subscribe(self) -> ChangeQueue:
        queue = ChangeQueue(self._queues.remove)
        self._queues.append(queue)
        return queue

    def _publish(self, changes: Iterable[Change]) -> None:
        for change in changes:
            event = ChangeEvent(
                cluster=self._cluster,
                type=change.type,
                key=change.key,
                old=change.old,
                new=change.new,
                apps=self._index.apps_of(change.old) | self._index.apps_of(change.new),
            )
            for handler in list(self._handlers):
                try:
                    handler(event)
                except Exception:
                    log.exception("cluster %s: a change handler failed on %s", self._cluster, change.key)
            for queue in list(self._queues):
                queue.put(event)

    # ------------------------------------------------------------ KindSink

    def listed(self, info: ResourceInfo, items: Sequence[Manifest]) -> None:
        self._publish(self._index.replace_kind(info.group_kind, items))

    def watched(self, info: ResourceInfo, event: WatchEvent) -> None:
        if event.type == "DELETED":
            change = self._index.remove(event.object)
        else:
            change = self._index.upsert(event.object)
        if change is not None:
            self._publish([change])

    def succeeded(self) -> None:
        self._last_error = None
        self._set_connected(True)

    def failed(self, info: ResourceInfo, error: Exception) -> None:
        log.info("cluster %s: watch of %s failed: %s", self._cluster, info.gvk, error)
        self._record_failure(error)

    def connection_observed(self, error: KubeError | None) -> None:
        """A request of the client reached the server (None) or could not (`Unreachable`)."""
        if error is None:
            if not self._connected:
                self.succeeded()
        elif isinstance(error, Unreachable | Unauthorized):
            self._record_failure(error)

    def _record_failure(self, error: Exception) -> None:
        self._last_error = str(error)
        if isinstance(error, Unreachable | Unauthorized):
            self._set_connected(False)

    def _set_connected(self, connected: bool) -> None:
        if connected == self._connected:
            return
        self._connected = connected
        if connected:
            log.info("cluster %s: connected", self._cluster)
        else:
            log.warning("cluster %s: disconnected: %s", self._cluster, self._last_error)
        if not self._announce:
            return
        for app, key in self._index.apps().items():
            obj = self._index.get(key)
            event = ChangeEvent(self._cluster, "MODIFIED", key, obj, obj, frozenset({app}))
            for handler in list(self._handlers):
                try:
                    handler(event)
                except Exception:
                    log.exception("cluster %s: a change handler failed on %s", self._cluster, key)


def _implements_port(cache: WatchCache) -> LiveCache:
    return cache  # mypy checks WatchCache against the LiveCache port here
