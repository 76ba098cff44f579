"""The ApplicationSet controller: informers on the hub (ApplicationSets, the Applications they own,
AppProjects, cluster Secrets), a work queue with per-item backoff, and workers that run one
engine reconcile (`reconcile_appset`) per queued ApplicationSet.

An ApplicationSet is queued when its spec, labels or annotations change (not its own status
writes), when an Application it owns changes (its spec, sync, health or operation: the rollout
of a RollingSync advances on these events), when a cluster Secret is added, changed or deleted
(at once, by the watch event: no polling), when an AppProject changes, when a webhook announces a
push to a repository one of its git generators reads, and after its git generators'
`requeueAfterSeconds` (default 180 s, as Argo CD)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fleetops.controller.clusters import is_cluster_secret
from fleetops.controller.metrics import Metrics
from fleetops.controller.workqueue import ShutDown, WorkQueue
from fleetops.core.app.kinds import APPLICATION, APPLICATIONSET, APPPROJECT
from fleetops.core.appset import ownership
from fleetops.core.source import UrlRewrites, normalize_url
from fleetops.engine.appset_reconcile import (
    FIELD_MANAGER,
    AppSetEnvironment,
    AppSetView,
    reconcile_appset,
)
from fleetops.model import GroupVersionKind, manifest
from fleetops.model.keys import ResourceKey
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import AlreadyExists, ChangeEvent, Conflict, KubeError, LiveCache, NotFound

log = logging.getLogger(__name__)

SECRET = GroupVersionKind("", "v1", "Secret")
REFRESH_ANNOTATION = "argocd.argoproj.io/application-set-refresh"
TRIGGER_LOG_SIZE = 1000
LEADER_RECHECK = 5.0
"""Seconds between looks, on a replica that is not the leader, at whether it has become one."""

AppSetKey = tuple[str, str]  # (namespace, name)


def _appset_changed(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> bool:
    """Does this ApplicationSet change call for a reconcile? Not our own status writes."""
    if old is None or new is None:
        return True
    old_meta, new_meta = old.get("metadata", {}), new.get("metadata", {})
    return old.get("spec") != new.get("spec") or any(
        old_meta.get(k) != new_meta.get(k) for k in ("labels", "annotations", "deletionTimestamp", "uid")
    )


def _app_changed(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> bool:
    """An owned Application's change the ApplicationSet cares about: its spec and metadata (it
    may have to put them back), its sync and health (status.resources, the rollout), its
    operation."""
    if old is None or new is None:
        return True

    def seen(app: Mapping[str, Any]) -> tuple[Any, ...]:
        status = app.get("status") or {}
        operation_state = status.get("operationState") or {}
        metadata = app.get("metadata") or {}
        return (
            app.get("spec"),
            app.get("operation"),
            metadata.get("labels"),
            metadata.get("annotations"),
            metadata.get("finalizers"),
            metadata.get("ownerReferences"),
            metadata.get("deletionTimestamp"),
            status.get("sync", {}).get("status"),
            status.get("health"),
            operation_state.get("phase"),
            operation_state.get("startedAt"),
        )

    return seen(old) != seen(new)


def _uses_clusters(generators: Any) -> bool:
    for generator in generators if isinstance(generators, list) else []:
        if not isinstance(generator, Mapping):
            continue
        for kind, spec in generator.items():
            if kind == "clusters" or (
                kind in ("matrix", "merge")
                and isinstance(spec, Mapping)
                and _uses_clusters(spec.get("generators"))
            ):
                return True
    return False


def _git_repos(generators: Any) -> list[str]:
    found: list[str] = []
    for generator in generators if isinstance(generators, list) else []:
        if not isinstance(generator, Mapping):
            continue
        for kind, spec in generator.items():
            if not isinstance(spec, Mapping):
                continue
            if kind == "git" and spec.get("repoURL"):
                found.append(str(spec["repoURL"]))
            elif kind in ("matrix", "merge"):
                found.extend(_git_repos(spec.get("generators")))
    return found


class AppSetController:
    def __init__(
        self,
        env: AppSetEnvironment,
        hub_cache: LiveCache,
        *,
        metrics: Metrics | None = None,
        workers: int = 2,
        rewrites: Mapping[str, str] | None = None,
        shutdown_grace: float = 10.0,
        leader: Callable[[], bool] | None = None,
    ) -> None:
        self.env = env
        self.leader = leader
        """Sharded: only the replica for which this answers True reconciles ApplicationSets (the
        one owning the hub's `in-cluster` lease); None: always."""
        self.hub_cache = hub_cache
        self.metrics = metrics
        self.workers = workers
        self.rewrites = UrlRewrites(dict(rewrites or {}))
        self.shutdown_grace = shutdown_grace
        self.queue: WorkQueue[AppSetKey] = WorkQueue()
        self._refresh: dict[AppSetKey, float] = {}
        """ApplicationSets to refresh, with when the latest refresh was asked for (monotonic)."""
        self._tasks: list[asyncio.Task[None]] = []
        self._removers: list[Callable[[], None]] = []
        self.reconciles = 0
        self.trigger_log: list[tuple[AppSetKey, str]] = []
        """Why each ApplicationSet was queued (bounded): for tests and `--debug` output."""

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        for kind in (APPLICATIONSET, APPLICATION, APPPROJECT, SECRET):
            await self.hub_cache.ensure_watched(kind)
        self._removers.append(self.hub_cache.add_handler(self._on_hub_change))
        for appset in self.hub_cache.objects(APPLICATIONSET.group_kind):
            self.enqueue(_key(appset), "startup", refresh=True)
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._worker(), name=f"appset-worker-{i}") for i in range(self.workers)
        ]

    async def stop(self) -> None:
        self.queue.shutdown()
        for remove in self._removers:
            remove()
        self._removers.clear()
        _, pending = await asyncio.wait(self._tasks, timeout=self.shutdown_grace) if self._tasks else ((), ())
        for task in pending:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- triggers ----------------------------------------------------------------------------

    def enqueue(self, key: AppSetKey, reason: str, *, refresh: bool = False) -> None:
        if refresh:
            self._refresh[key] = time.monotonic()
        self.trigger_log.append((key, reason))
        del self.trigger_log[:-TRIGGER_LOG_SIZE]
        self.queue.add(key)

    def appsets(self) -> list[Manifest]:
        return list(self.hub_cache.objects(APPLICATIONSET.group_kind))

    def refresh_repository(self, repo_urls: Iterable[str], reason: str = "webhook") -> list[AppSetKey]:
        """Queue every ApplicationSet with a git generator reading one of `repo_urls` (fetch first)."""
        urls = list(repo_urls)
        wanted = {normalize_url(u) for u in urls} | {normalize_url(self.rewrites.apply(u)) for u in urls}
        matched = []
        for appset in self.appsets():
            for url in _git_repos((appset.get("spec") or {}).get("generators")):
                if normalize_url(url) in wanted or normalize_url(self.rewrites.apply(url)) in wanted:
                    matched.append(_key(appset))
                    self.enqueue(_key(appset), reason, refresh=True)
                    break
        return matched

    def _on_hub_change(self, event: ChangeEvent) -> None:
        key = event.key
        obj = event.new or event.old or {}
        if key.group == "argoproj.io" and key.kind == "ApplicationSet":
            if event.new is None and self.metrics is not None:
                self.metrics.delete_appset(key.namespace, key.name)
            if event.new is not None and _appset_changed(event.old, event.new):
                refresh = REFRESH_ANNOTATION in manifest.annotations(event.new)
                self.enqueue((key.namespace, key.name), f"applicationset {event.type}", refresh=refresh)
        elif key.group == "argoproj.io" and key.kind == "Application":
            if not _app_changed(event.old, event.new):
                return
            for uid in {ownership.controller_uid(o) for o in (event.old, event.new) if o is not None}:
                owner = self._owner(uid, key.namespace)
                if owner is not None:
                    self.enqueue(owner, f"application {key.name} {event.type}")
        elif key.group == "argoproj.io" and key.kind == "AppProject":
            for appset in self.appsets():
                self.enqueue(_key(appset), f"project {key.name} {event.type}")
        elif key.group == "" and key.kind == "Secret" and is_cluster_secret(obj):
            if event.type == "MODIFIED" and not _secret_changed(event.old, event.new):
                return
            for appset in self.appsets():
                if _uses_clusters((appset.get("spec") or {}).get("generators")):
                    self.enqueue(_key(appset), f"cluster secret {key.name} {event.type}")

    def _owner(self, uid: str | None, namespace: str) -> AppSetKey | None:
        if not uid:
            return None
        for appset in self.appsets():
            if appset.get("metadata", {}).get("uid") == uid and manifest.namespace(appset) == namespace:
                return _key(appset)
        return None

    # -- workers -----------------------------------------------------------------------------

    async def _worker(self) -> None:
        while True:
            try:
                key = await self.queue.get()
            except ShutDown:
                return
            try:
                await self.process(key)
                self.queue.forget(key)
            except asyncio.CancelledError:
                raise
            except (AlreadyExists, Conflict) as error:
                log.info("ApplicationSet %s/%s: %s; retrying", *key, error)
                self.queue.add_rate_limited(key)
            except Exception:
                log.exception("reconcile of ApplicationSet %s/%s failed", *key)
                self.queue.add_rate_limited(key)
            finally:
                self.queue.done(key)

    async def process(self, key: AppSetKey) -> None:
        namespace, name = key
        appset = self.hub_cache.get(ResourceKey("argoproj.io", "ApplicationSet", namespace, name))
        if appset is None:
            if self.metrics is not None:
                self.metrics.delete_appset(namespace, name)
            return
        if appset.get("metadata", {}).get("deletionTimestamp"):
            await self._deleting(appset)
            return
        if self.leader is not None and not self.leader():
            self.queue.add_after(key, LEADER_RECHECK)  # another replica reconciles it meanwhile
            return
        refresh_since = self._refresh.pop(key, None)
        refresh = refresh_since is not None
        started = time.monotonic()
        result = await reconcile_appset(
            appset, self.env, self._view(namespace), refresh=refresh, refresh_since=refresh_since
        )
        self.reconciles += 1
        if self.metrics is not None:
            recorded = {**appset, "status": {**(appset.get("status") or {}), **result.status}}
            self.metrics.set_appset(recorded)
            self.metrics.observe_appset_reconcile(appset, time.monotonic() - started)
        if result.requeue_after is not None:
            self.queue.add_after(key, result.requeue_after)
        if REFRESH_ANNOTATION in manifest.annotations(appset):
            await self._clear_refresh(appset)

    def _view(self, namespace: str) -> AppSetView:
        applications = [
            a for a in self.hub_cache.objects(APPLICATION.group_kind) if manifest.namespace(a) == namespace
        ]
        secrets = [
            s
            for s in self.hub_cache.objects(SECRET.group_kind)
            if is_cluster_secret(s) and manifest.namespace(s) == self.env.namespace
        ]
        projects = [
            manifest.name(p)
            for p in self.hub_cache.objects(APPPROJECT.group_kind)
            if manifest.namespace(p) == self.env.namespace
        ]
        return AppSetView(applications=applications, cluster_secrets=secrets, projects=projects)

    async def _deleting(self, appset: Manifest) -> None:
        """The ApplicationSet is being deleted: Kubernetes' garbage collector deletes its
        Applications. With a policy that forbids deletes (create-only, create-update) they are
        orphaned first (their ownerReference removed), as Argo CD does; then our finalizer goes."""
        spec = appset.get("spec") or {}
        uid = str(appset.get("metadata", {}).get("uid", ""))
        try:
            policy = ownership.sync_policy(spec)
        except ValueError:
            policy = ownership.SyncPolicy()
        if not policy.allow_delete:
            for app in self._view(manifest.namespace(appset)).applications:
                if ownership.controller_uid(app) != uid:
                    continue
                references = [
                    r for r in app.get("metadata", {}).get("ownerReferences") or [] if r.get("uid") != uid
                ]
                await self._patch(APPLICATION, app, {"metadata": {"ownerReferences": references or None}})
        finalizers = list(appset.get("metadata", {}).get("finalizers") or [])
        if ownership.RESOURCES_FINALIZER in finalizers:
            kept = [f for f in finalizers if f != ownership.RESOURCES_FINALIZER]
            await self._patch(APPLICATIONSET, appset, {"metadata": {"finalizers": kept or None}})

    async def _patch(self, gvk: GroupVersionKind, obj: Mapping[str, Any], patch: Mapping[str, Any]) -> None:
        with contextlib.suppress(NotFound):
            await self.env.hub.patch(
                gvk, manifest.name(obj), dict(patch), manifest.namespace(obj), field_manager=FIELD_MANAGER
            )

    async def _clear_refresh(self, appset: Manifest) -> None:
        try:
            await self._patch(
                APPLICATIONSET, appset, {"metadata": {"annotations": {REFRESH_ANNOTATION: None}}}
            )
        except KubeError as error:
            log.warning("cannot clear the refresh annotation of %s: %s", manifest.name(appset), error)


def _secret_changed(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> bool:
    """A cluster Secret's change that can change generated parameters (not a resync)."""
    if old is None or new is None:
        return True
    fields = ("data", "stringData")
    meta = ("labels", "annotations", "name")
    return any(old.get(f) != new.get(f) for f in fields) or any(
        old.get("metadata", {}).get(m) != new.get("metadata", {}).get(m) for m in meta
    )


def _key(obj: Mapping[str, Any]) -> AppSetKey:
    return (manifest.namespace(obj), manifest.name(obj))
