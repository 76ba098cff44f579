"""The Application controller: informers on the hub (Applications, AppProjects, cluster and
repository Secrets), a work queue with per-item backoff, and workers that run one engine reconcile
per queued application.

An application is queued when its spec, operation or refresh annotation changes, when its project
or cluster changes, when a destination's watch cache sees one of its objects change (drift: at
once, no polling), when a webhook announces a push to its repository, and by polling (Argo CD's
120 s + up to 60 s jitter; disabled with 0/None)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fleetops.controller.clusters import ClusterRegistry, is_cluster_secret
from fleetops.controller.metrics import Metrics
from fleetops.controller.sharding_guard import GuardedClient, NotOwner
from fleetops.controller.workqueue import ClusterQueues, ShutDown, WorkQueue
from fleetops.core import app as applications
from fleetops.core.app import IN_CLUSTER_SERVER
from fleetops.core.app.kinds import APPLICATION, APPPROJECT
from fleetops.core.source import SECRET_TYPE_LABEL, UrlRewrites, normalize_url
from fleetops.engine import AppEnvironment, ClusterConnection, reconcile_app
from fleetops.engine.app_delete import delete_app
from fleetops.model import GroupVersionKind, manifest
from fleetops.model.keys import ResourceKey
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import ChangeEvent, KubeError, LiveCache, NotFound

log = logging.getLogger(__name__)

SECRET = GroupVersionKind("", "v1", "Secret")
REFRESH_ANNOTATION = "argocd.argoproj.io/refresh"
DELETION_RECHECK = 1.0
"""Seconds between looks at an application whose resources are still being deleted."""

AppKey = tuple[str, str]  # (namespace, name)
RepoSecretsHandler = Callable[[list[Manifest]], None]


def _interesting(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> bool:
    """Does this Application change call for a reconcile? Not our own status writes."""
    if old is None or new is None:
        return True
    old_meta, new_meta = old.get("metadata", {}), new.get("metadata", {})
    return (
        old.get("spec") != new.get("spec")
        or old.get("operation") != new.get("operation")
        or old_meta.get("annotations") != new_meta.get("annotations")
        or old_meta.get("deletionTimestamp") != new_meta.get("deletionTimestamp")
    )


class AppController:
    def __init__(
        self,
        env: AppEnvironment,
        hub_cache: LiveCache,
        clusters: ClusterRegistry,
        *,
        metrics: Metrics | None = None,
        poll_interval: float | None = 120.0,
        poll_jitter: float = 60.0,
        workers: int = 8,
        rewrites: Mapping[str, str] | None = None,
        on_repo_secrets: RepoSecretsHandler | None = None,
        shutdown_grace: float = 10.0,
        cluster_workers: int | None = None,
        owns: Callable[[str], bool] | None = None,
        identity: str = "",
    ) -> None:
        """`workers` reconciles run at once in all; at most `cluster_workers` (default a quarter
        of them) for one destination cluster, so a slow or unreachable cluster cannot occupy
        them all. `owns(server)`: the sharded controller's ownership test (None: every cluster)."""
        self.env = env
        self.hub_cache = hub_cache
        self.clusters = clusters
        self.metrics = metrics
        self.poll_interval = poll_interval or 0.0
        self.poll_jitter = poll_jitter
        self.workers = workers
        self.rewrites = UrlRewrites(dict(rewrites or {}))
        self.on_repo_secrets = on_repo_secrets
        self.shutdown_grace = shutdown_grace
        self.cluster_workers = max(1, cluster_workers if cluster_workers is not None else workers // 4)
        self.owns = owns
        self.identity = identity
        self.queue: ClusterQueues[AppKey] = ClusterQueues()
        self._slots = asyncio.Semaphore(workers)
        self._in_flight: dict[str, int] = {}
        self._started = False
        self._refresh: dict[AppKey, float] = {}
        """Applications to refresh (fetch first), with when the latest refresh was asked for."""
        self._tasks: list[asyncio.Task[None]] = []
        self._poll_timers: dict[AppKey, asyncio.TimerHandle] = {}
        self._removers: list[Callable[[], None]] = []
        self.reconciles = 0
        self.trigger_log: list[tuple[AppKey, str]] = []
        """Why each application was queued (bounded): for tests and `--debug` output."""

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        for kind in (APPLICATION, APPPROJECT, SECRET):
            await self.hub_cache.ensure_watched(kind)
        self.watch_cluster(self.clusters.hub)
        self._removers.append(self.hub_cache.add_handler(self._on_hub_change))
        for secret in self.hub_cache.objects(SECRET.group_kind):
            if is_cluster_secret(secret):
                await self.clusters.secret_changed(None, secret)
        self._publish_repo_secrets()
        for app in self.hub_cache.objects(APPLICATION.group_kind):
            self.enqueue(_key(app), "startup", refresh=True)
        self._started = True
        for lane in self.queue.lanes():
            self._start_lane(lane)

    async def stop(self) -> None:
        self._started = False
        self.queue.shutdown()
        for timer in self._poll_timers.values():
            timer.cancel()
        for remove in self._removers:
            remove()
        # Let reconciles in flight finish (a cancelled request can leave a connection half
        # open); cancel what is still running after the grace period.
        _, pending = await asyncio.wait(self._tasks, timeout=self.shutdown_grace) if self._tasks else ((), ())
        for task in pending:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.clusters.close()

    def watch_cluster(self, connection: ClusterConnection) -> None:
        """Map the changes a destination's cache sees to the applications tracking them."""
        self._removers.append(connection.cache.add_handler(self._on_destination_change))

    # -- triggers ----------------------------------------------------------------------------

    def enqueue(self, key: AppKey, reason: str, *, refresh: bool = False) -> None:
        if refresh:
            self._refresh[key] = time.monotonic()
        self.trigger_log.append((key, reason))
        del self.trigger_log[:-1000]
        self._lane_queue(self._lane_of(key)).add(key)

    # -- per-cluster lanes -------------------------------------------------------------------

    def _lane_of(self, key: AppKey) -> str:
        """The server URL of the application's destination ("" when there is no such cluster)."""
        app = self.hub_cache.get(ResourceKey("argoproj.io", "Application", *key))
        if app is None:
            return ""
        return self.clusters.server_of_app(app) or ""

    def _lane_queue(self, lane: str) -> WorkQueue[AppKey]:
        queue, created = self.queue.lane(lane)
        if created and self._started:
            self._start_lane(lane)
        return queue

    def _start_lane(self, lane: str) -> None:
        loop = asyncio.get_running_loop()
        for index in range(self.cluster_workers):
            self._tasks.append(loop.create_task(self._worker(lane), name=f"app-worker-{lane}-{index}"))

    def _owned(self, lane: str) -> bool:
        """Is this replica the one to reconcile the applications of `lane`? Applications whose
        destination is unknown go with the hub (`in-cluster`)."""
        return self.owns is None or self.owns(lane or IN_CLUSTER_SERVER)

    def applications(self) -> list[Manifest]:
        return list(self.hub_cache.objects(APPLICATION.group_kind))

    def busy(self, server: str) -> bool:
        """Is a reconcile of an application of cluster `server` running?"""
        return self._in_flight.get(server, 0) > 0 or (
            server == IN_CLUSTER_SERVER and self._in_flight.get("", 0) > 0
        )

    def cluster_acquired(self, server: str) -> None:
        """This replica now owns `server`: reconcile its applications."""
        for app in self.hub_cache.objects(APPLICATION.group_kind):
            lane = self.clusters.server_of_app(app) or ""
            if lane == server or (not lane and server == IN_CLUSTER_SERVER):
                self.enqueue(_key(app), f"cluster {server} acquired", refresh=True)

    def cluster_lost(self, server: str) -> None:
        """Another replica owns `server` now: stop reporting its applications."""
        if self.metrics is None:
            return
        for app in self.hub_cache.objects(APPLICATION.group_kind):
            if (self.clusters.server_of_app(app) or IN_CLUSTER_SERVER) == server:
                self.metrics.delete_app(*_key(app))

    def refresh_repository(self, repo_urls: Iterable[str], reason: str = "webhook") -> list[AppKey]:
        """Queue every application whose source is one of `repo_urls` (with a fetch first)."""
        wanted = {normalize_url(url) for url in repo_urls} | {
            normalize_url(self.rewrites.apply(url)) for url in repo_urls
        }
        matched = []
        for app in self.hub_cache.objects(APPLICATION.group_kind):
            for source in applications.sources(app) or [applications.primary_source(app) or {}]:
                url = applications.repo_url(source)
                if normalize_url(url) in wanted or normalize_url(self.rewrites.apply(url)) in wanted:
                    matched.append(_key(app))
                    self.enqueue(_key(app), reason, refresh=True)
                    break
        return matched

    def _on_hub_change(self, event: ChangeEvent) -> None:
        obj = event.new or event.old or {}
        if event.key.group == "argoproj.io" and event.key.kind == "Application":
            if _interesting(event.old, event.new):
                refresh = event.new is not None and REFRESH_ANNOTATION in manifest.annotations(event.new)
                self.enqueue(
                    (event.key.namespace, event.key.name), f"application {event.type}", refresh=refresh
                )
        elif event.key.group == "argoproj.io" and event.key.kind == "AppProject":
            for app in self.hub_cache.objects(APPLICATION.group_kind):
                if applications.project(app) == event.key.name:
                    self.enqueue(_key(app), "project changed")
        elif event.key.kind == "Secret" and event.key.group == "":
            if is_cluster_secret(obj):
                asyncio.get_running_loop().create_task(self._cluster_secret_changed(event))
            elif manifest.labels(obj).get(SECRET_TYPE_LABEL) in ("repository", "repo-creds"):
                self._publish_repo_secrets()
                for app in self.hub_cache.objects(APPLICATION.group_kind):
                    self.enqueue(_key(app), "repository credentials changed", refresh=True)

    async def _cluster_secret_changed(self, event: ChangeEvent) -> None:
        await self.clusters.secret_changed(event.old, event.new)
        known = self.clusters.servers()
        for lane in self.queue.lanes():
            if lane and lane not in known:  # the cluster is gone: its applications move to lane ""
                self.queue.remove(lane)
        for app in self.hub_cache.objects(APPLICATION.group_kind):
            self.enqueue(_key(app), "cluster changed")

    def _on_destination_change(self, event: ChangeEvent) -> None:
        for instance in event.apps:
            namespace, _, name = instance.rpartition("_")
            self.enqueue(
                (namespace or self.env.namespace, name), f"{event.type} {event.key} on {event.cluster}"
            )

    def _publish_repo_secrets(self) -> None:
        if self.on_repo_secrets is None:
            return
        secrets = [
            s
            for s in self.hub_cache.objects(SECRET.group_kind)
            if manifest.labels(s).get(SECRET_TYPE_LABEL) in ("repository", "repo-creds")
        ]
        self.on_repo_secrets(secrets)

    # -- workers -----------------------------------------------------------------------------

    async def _worker(self, lane: str) -> None:
        queue, _ = self.queue.lane(lane)
        while True:
            try:
                key = await queue.get()
            except ShutDown:
                return
            try:
                current = self._lane_of(key)
                if current != lane:  # its destination changed: reconcile it in the other lane
                    queue.forget(key)
                    self.enqueue(key, "destination changed")
                    continue
                if not self._owned(lane):
                    queue.forget(key)
                    continue
                async with self._slots:
                    self._in_flight[lane] = self._in_flight.get(lane, 0) + 1
                    try:
                        await self.process(key)
                    finally:
                        self._in_flight[lane] -= 1
                queue.forget(key)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("reconcile of application %s/%s failed", *key)
                queue.add_rate_limited(key)
            finally:
                queue.done(key)

    async def process(self, key: AppKey) -> None:
        namespace, name = key
        app = self.hub_cache.get(ResourceKey("argoproj.io", "Application", namespace, name))
        if app is not None and app.get("operation") is not None:
            app = await self._fresh(key)
        if app is None:
            if self.metrics is not None:
                self.metrics.delete_app(namespace, name)
            return
        if app.get("metadata", {}).get("deletionTimestamp"):
            await self._delete(key, app)
            return
        project = self.hub_cache.get(
            ResourceKey("argoproj.io", "AppProject", self.env.namespace, applications.project(app))
        )
        if not applications.is_reconcilable(app, self.env.namespace, project):
            log.info("application %s/%s is not in an allowed namespace: skipped", namespace, name)
            return
        refresh_since = self._refresh.pop(key, None)
        refresh = refresh_since is not None or REFRESH_ANNOTATION in manifest.annotations(app)
        started = time.monotonic()
        result = await reconcile_app(
            app, self._env_for(key), project=project, refresh=refresh, refresh_since=refresh_since
        )
        self.reconciles += 1
        if self.metrics is not None:
            self.metrics.set_app(result.app)
            self.metrics.observe_reconcile(result.app, time.monotonic() - started)
            if result.sync_phase in ("Succeeded", "Failed", "Error"):
                self.metrics.observe_sync(result.app, result.sync_phase)
            for connection in self.clusters.connections():
                if not self._owned(connection.server.rstrip("/")):
                    continue
                status = connection.cache.status()
                self.metrics.set_cluster(
                    connection.server,
                    name=connection.name,
                    k8s_version=status.server_version or "",
                    connected=status.connected,
                    shard=self.identity,
                )
        if REFRESH_ANNOTATION in manifest.annotations(app):
            await self._clear_refresh_annotation(key)
        if result.requeue_after is not None:
            self._lane_queue(self._lane_of(key)).add_after(key, result.requeue_after)
        if self.poll_interval > 0:
            self._refresh_later(key)

    def _env_for(self, key: AppKey) -> AppEnvironment:
        """With sharding, the hub client of one reconcile writes the Application only while this
        replica still owns its destination: a replica that lost the cluster mid-reconcile leaves
        the status to the new owner instead of overwriting it with a stale one."""
        if self.owns is None:
            return self.env
        lane = self._lane_of(key)

        def guard() -> None:
            if not self._owned(lane):
                raise NotOwner(
                    f"controller {self.identity} no longer owns cluster {lane or IN_CLUSTER_SERVER}"
                )

        return dataclasses.replace(self.env, hub=GuardedClient(self.env.hub, guard))

    async def _fresh(self, key: AppKey) -> Manifest | None:
        """The Application as the API server has it now (None: gone). Argo CD reads it afresh
        before running an operation: the informer cache may still hold an `operation` this
        controller has just run and cleared, and running it from there would run it twice."""
        try:
            return await self.env.hub.get(APPLICATION, key[1], key[0])
        except NotFound:
            return None

    async def _delete(self, key: AppKey, app: Manifest) -> None:
        """Cascade deletion: delete the managed resources, then let the Application go."""
        result = await delete_app(app, self._env_for(key))
        if not result.done:
            self._lane_queue(self._lane_of(key)).add_after(key, DELETION_RECHECK)
            return
        if self.metrics is not None:
            self.metrics.delete_app(*key)

    async def _clear_refresh_annotation(self, key: AppKey) -> None:
        """Argo CD removes `argocd.argoproj.io/refresh` once the refresh it asked for is done."""
        patch = {"metadata": {"annotations": {REFRESH_ANNOTATION: None}}}
        try:
            await self.env.hub.patch(APPLICATION, key[1], patch, key[0], field_manager="fleetops")
        except KubeError as error:
            log.warning("cannot clear the refresh annotation of %s/%s: %s", *key, error)

    def _refresh_later(self, key: AppKey) -> None:
        """One poll timer per application, restarted by every reconcile (jittered)."""
        delay = self.poll_interval + random.uniform(0, self.poll_jitter)
        previous = self._poll_timers.pop(key, None)
        if previous is not None:
            previous.cancel()
        loop = asyncio.get_running_loop()
        self._poll_timers[key] = loop.call_later(delay, self._poll, key)

    def _poll(self, key: AppKey) -> None:
        self._poll_timers.pop(key, None)
        self.enqueue(key, "poll", refresh=True)


def _key(app: Mapping[str, Any]) -> AppKey:
    return (manifest.namespace(app), manifest.name(app))
