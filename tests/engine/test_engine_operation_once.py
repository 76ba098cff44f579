"""An operation runs once (Argo CD's `processRequestedAppOperation`/`setOperationState`): the
controller reads the Application afresh before running an operation, so a stale informer cache
still holding an `operation` it has just cleared never runs it again; an operation already
recorded as finished is only cleared; and `operation` is cleared only while it is still the one
that ran, so a newer operation written meanwhile survives and runs next."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import uuid
from collections.abc import Mapping
from typing import Any

import pytest
from test_engine_app_reconcile import APPLICATION, BASE, CONFIGMAP, _ensure_ns, application
from tests.support.gitserver import GitServer

from fleetops.adapters.kube import HttpKubeClient, WatchCache
from fleetops.controller.app_controller import AppController
from fleetops.controller.clusters import ClusterRegistry
from fleetops.engine import AppEnvironment, ClusterConnection, EventRecorder, reconcile_app
from fleetops.engine.app_reconcile import AppReconcile
from fleetops.engine.decide import operation_finished
from fleetops.model import GroupVersionKind, ResourceKey
from fleetops.model.manifest import Manifest

EVENT = GroupVersionKind("", "v1", "Event")
CM2 = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: green\n"


def manual_sync(user: str = "admin", revision: str = "") -> dict[str, Any]:
    """What `fleetops app sync` writes (no revision: the target revision)."""
    return {"sync": {"revision": revision} if revision else {}, "initiatedBy": {"username": user}}


class NoSecrets:
    async def open(self, secret: Manifest) -> ClusterConnection:
        raise AssertionError("no cluster Secrets in these tests")

    async def close(self, connection: ClusterConnection) -> None:
        return None


def controller(env: AppEnvironment, cache: WatchCache) -> AppController:
    """A controller whose destination-cache handler is installed (the sync's own writes queue
    the application again), driven by calling `process` as a worker would."""
    hub = ClusterConnection("https://kubernetes.default.svc", "in-cluster", env.hub, cache)
    ctrl = AppController(
        env, cache, ClusterRegistry(hub, NoSecrets(), on_connect=lambda _: None), poll_interval=None
    )
    ctrl.watch_cluster(hub)
    return ctrl


def pin_stale(monkeypatch: pytest.MonkeyPatch, cache: WatchCache, app: Manifest) -> None:
    """The informer lags: the cache keeps returning `app` as it was (with its `operation`)."""
    stale = copy.deepcopy(app)
    key = ResourceKey("argoproj.io", "Application", stale["metadata"]["namespace"], stale["metadata"]["name"])
    real_get = cache.get

    def get(wanted: ResourceKey) -> Manifest | None:
        return copy.deepcopy(stale) if wanted == key else real_get(wanted)

    monkeypatch.setattr(cache, "get", get)


async def started(hub: HttpKubeClient, name: str) -> int:
    events = await hub.list(EVENT, "fleetops")
    return sum(
        int(e.get("count") or 1)
        for e in events.items
        if e.get("involvedObject", {}).get("name") == name and e.get("reason") == "OperationStarted"
    )


async def requeued_by_destination(ctrl: AppController, key: tuple[str, str]) -> None:
    for _ in range(200):
        if any(k == key and not reason.startswith("application") for k, reason in ctrl.trigger_log):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the sync's writes did not queue {key} again: {ctrl.trigger_log}")


async def test_a_manual_sync_is_recorded_once_even_when_its_writes_requeue_the_app_from_a_stale_cache(
    env: AppEnvironment,
    hub: HttpKubeClient,
    cache: WatchCache,
    git_server: GitServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _ensure_ns(hub, "fleetops")
    name = f"once-{uuid.uuid4().hex[:6]}"
    repo = git_server.create_repo(name)
    sha = repo.commit(BASE, "first")
    target = f"t-{uuid.uuid4().hex[:6]}"
    await _ensure_ns(hub, target)
    manifest = application(name, git_server.url_for(name), target)
    manifest["operation"] = manual_sync()
    app = await hub.create(manifest)
    await cache.ensure_watched(APPLICATION)
    pin_stale(monkeypatch, cache, app)
    ctrl = controller(env, cache)
    key = ("fleetops", name)

    await ctrl.process(key)
    await requeued_by_destination(ctrl, key)
    await ctrl.process(key)  # the re-queue, with the informer still showing the cleared operation
    await ctrl.process(key)

    fresh = await hub.get(APPLICATION, name, "fleetops")
    assert "operation" not in fresh
    history = fresh["status"]["history"]
    assert [entry["revision"] for entry in history] == [sha], history
    assert fresh["status"]["operationState"]["phase"] == "Succeeded"
    assert await started(hub, name) == 1


async def test_an_operation_written_right_after_another_finishes_is_kept_and_runs(
    env: AppEnvironment,
    hub: HttpKubeClient,
    cache: WatchCache,
    git_server: GitServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _ensure_ns(hub, "fleetops")
    name = f"next-{uuid.uuid4().hex[:6]}"
    repo = git_server.create_repo(name)
    first = repo.commit(BASE, "first")
    target = f"t-{uuid.uuid4().hex[:6]}"
    await _ensure_ns(hub, target)
    manifest = application(name, git_server.url_for(name), target)
    manifest["operation"] = manual_sync("first")
    app = await hub.create(manifest)
    await cache.ensure_watched(APPLICATION)
    pin_stale(monkeypatch, cache, app)
    ctrl = controller(env, cache)
    key = ("fleetops", name)

    await ctrl.process(key)
    second = repo.commit({"app/cm.yaml": CM2}, "second")
    await hub.patch(APPLICATION, name, {"operation": manual_sync("second")}, "fleetops")
    ctrl.enqueue(key, "application MODIFIED", refresh=True)  # the watch event of the new operation
    await ctrl.process(key)  # the cache still shows the first operation: the API has the second

    fresh = await hub.get(APPLICATION, name, "fleetops")
    assert "operation" not in fresh
    history = fresh["status"]["history"]
    assert [(h["revision"], h["initiatedBy"]) for h in history] == [
        (first, {"username": "first"}),
        (second, {"username": "second"}),
    ]
    assert await started(hub, name) == 2


class WritesNextOperation(EventRecorder):
    """While the first sync runs (at its OperationStarted event), someone writes a new one."""

    def __init__(self, hub: HttpKubeClient, operation: dict[str, Any]) -> None:
        super().__init__(hub)
        self.hub = hub
        self.operation = operation
        self.written = False

    async def record(self, obj: Mapping[str, Any], type: Any, reason: str, message: str) -> None:
        await super().record(obj, type, reason, message)
        if reason == "OperationStarted" and not self.written:
            self.written = True
            await self.hub.patch(
                APPLICATION, obj["metadata"]["name"], {"operation": self.operation}, "fleetops"
            )


async def test_the_clean_up_of_a_finished_operation_never_removes_a_newer_one(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer
) -> None:
    await _ensure_ns(hub, "fleetops")
    name = f"guard-{uuid.uuid4().hex[:6]}"
    repo = git_server.create_repo(name)
    first = repo.commit(BASE, "first")
    target = f"t-{uuid.uuid4().hex[:6]}"
    await _ensure_ns(hub, target)
    manifest = application(name, git_server.url_for(name), target)
    manifest["operation"] = manual_sync("first")
    app = await hub.create(manifest)
    newer = manual_sync("second", revision=first)
    racing = dataclasses.replace(env, events=WritesNextOperation(hub, newer))

    result = await reconcile_app(app, racing)
    assert result.sync_phase == "Succeeded"
    fresh = await hub.get(APPLICATION, name, "fleetops")
    assert fresh["operation"] == newer, "the first operation's clean-up removed the newer operation"

    again = await reconcile_app(fresh, env)
    assert again.sync_phase == "Succeeded"
    fresh = await hub.get(APPLICATION, name, "fleetops")
    assert "operation" not in fresh
    assert [h["initiatedBy"] for h in fresh["status"]["history"]] == [
        {"username": "first"},
        {"username": "second"},
    ]


async def test_an_operation_already_recorded_as_finished_is_only_cleared(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _ensure_ns(hub, "fleetops")
    name = f"done-{uuid.uuid4().hex[:6]}"
    repo = git_server.create_repo(name)
    sha = repo.commit(BASE, "first")
    target = f"t-{uuid.uuid4().hex[:6]}"
    await _ensure_ns(hub, target)
    manifest = application(name, git_server.url_for(name), target)
    operation = manual_sync(revision=sha)
    manifest["operation"] = operation
    app = await hub.create(manifest)
    # The clean-up of `operation` is lost (the controller stops between its two writes).
    with monkeypatch.context() as patched:
        patched.setattr(AppReconcile, "remove_operation", _lost_clean_up)
        done = await reconcile_app(app, env)
    assert done.sync_phase == "Succeeded"
    stale = await hub.get(APPLICATION, name, "fleetops")
    assert stale["operation"] == operation
    assert operation_finished(stale)

    result = await reconcile_app(stale, env)
    assert result.sync_phase is None  # nothing ran
    fresh = await hub.get(APPLICATION, name, "fleetops")
    assert "operation" not in fresh
    assert len(fresh["status"]["history"]) == 1
    assert await started(hub, name) == 1


async def _lost_clean_up(self: AppReconcile) -> Manifest | None:
    return None


async def test_the_same_sync_requested_again_after_it_finished_runs_again(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer
) -> None:
    """Argo CD runs every requested operation: `fleetops app sync --revision SHA` twice syncs
    twice (here the second one reverts a drift the first left behind)."""
    await _ensure_ns(hub, "fleetops")
    name = f"twice-{uuid.uuid4().hex[:6]}"
    repo = git_server.create_repo(name)
    sha = repo.commit(BASE, "first")
    target = f"t-{uuid.uuid4().hex[:6]}"
    await _ensure_ns(hub, target)
    manifest = application(name, git_server.url_for(name), target)
    operation = manual_sync(revision=sha)
    manifest["operation"] = operation
    app = await hub.create(manifest)
    first = await reconcile_app(app, env)
    assert first.sync_phase == "Succeeded"
    assert "operation" not in await hub.get(APPLICATION, name, "fleetops")
    await hub.patch(CONFIGMAP, "settings", {"data": {"color": "drifted"}}, target)

    again = await hub.patch(APPLICATION, name, {"operation": operation}, "fleetops")
    assert not operation_finished(again)
    second = await reconcile_app(again, env)
    assert second.sync_phase == "Succeeded"
    fresh = await hub.get(APPLICATION, name, "fleetops")
    assert "operation" not in fresh
    assert [h["revision"] for h in fresh["status"]["history"]] == [sha, sha]
    assert (await hub.get(CONFIGMAP, "settings", target))["data"] == {"color": "blue"}
    assert await started(hub, name) == 2


def test_operation_finished_needs_the_same_operation_a_completed_phase_and_finished_at() -> None:
    operation = manual_sync(revision="abc")
    state = {"operation": operation, "phase": "Succeeded", "finishedAt": "2026-01-01T00:00:00Z"}
    assert operation_finished({"operation": operation, "status": {"operationState": state}})
    for phase in ("Failed", "Error"):
        app = {"operation": operation, "status": {"operationState": {**state, "phase": phase}}}
        assert operation_finished(app)
    assert not operation_finished(
        {"operation": operation, "status": {"operationState": {**state, "phase": "Running"}}}
    )
    unfinished = {k: v for k, v in state.items() if k != "finishedAt"}
    assert not operation_finished({"operation": operation, "status": {"operationState": unfinished}})
    other = manual_sync("someone-else", revision="abc")
    assert not operation_finished({"operation": other, "status": {"operationState": state}})
    assert not operation_finished({"status": {"operationState": state}})
    # written again after the controller removed it: the generation has moved on
    status = {"operationState": state, "observedGeneration": 3}
    assert operation_finished({"operation": operation, "metadata": {"generation": 3}, "status": status})
    assert not operation_finished({"operation": operation, "metadata": {"generation": 5}, "status": status})
