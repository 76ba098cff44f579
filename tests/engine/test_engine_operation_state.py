"""An operation lives in the Application's `status.operationState`, not in the controller's
memory (Argo CD's sync is a state machine re-entered on each reconcile): a reconcile advances it
as far as it can, records it (phase Running) and asks to be requeued; the next reconcile — here
always with a brand-new `AppEnvironment`, as after a controller restart — takes it up from the
status. Also: the dry-run pass before any write, the hook finalizer, waits for pruned objects."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import uuid
from pathlib import Path
from typing import Any

from test_engine_app_reconcile import APPLICATION, BASE, CONFIGMAP, _cm, _ensure_ns, application
from test_engine_retry import FakeClock
from tests.support.gitserver import GitServer

from fleetops.adapters.git import PygitSource
from fleetops.adapters.kube import HttpKubeClient
from fleetops.engine import AppEnvironment, ReconcileResult, delete_app, reconcile_app
from fleetops.model import GroupVersionKind
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import NotFound

JOB = GroupVersionKind("batch", "v1", "Job")
HOOK_FINALIZER = "argocd.argoproj.io/hook-finalizer"
DEADLINE = 60.0


def restarted(env: AppEnvironment, tmp_path: Path, **changes: Any) -> AppEnvironment:
    """A new environment, as a restarted controller builds it: nothing carried over in memory."""
    fresh = AppEnvironment(
        git=PygitSource(tmp_path / f"git-{uuid.uuid4().hex[:6]}"),
        hub=env.hub,
        clusters=env.clusters,
        events=env.events,
        namespace=env.namespace,
        sync_timeout=env.sync_timeout,
    )
    return dataclasses.replace(fresh, **changes)


def _job(name: str, hook: str, *, extra: str = "", policy: str = "HookSucceeded") -> str:
    annotations = f"    argocd.argoproj.io/hook: {hook}\n"
    if policy:
        annotations += f"    argocd.argoproj.io/hook-delete-policy: {policy}\n"
    return (
        f"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\n  annotations:\n{annotations}"
        f"spec:\n{extra}  template:\n    spec:\n      restartPolicy: Never\n"
        '      containers:\n      - name: run\n        image: busybox:1.36\n        command: ["true"]\n'
    )


async def until_done(app: Manifest, env: AppEnvironment, tmp_path: Path) -> list[ReconcileResult]:
    """Reconcile (a fresh environment each time) until the operation is no longer Running."""
    results: list[ReconcileResult] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE
    while loop.time() < deadline:
        result = await reconcile_app(app, restarted(env, tmp_path, sync_wait=0.0))
        results.append(result)
        if result.sync_phase != "Running":
            return results
        assert result.requeue_after is not None
        app = result.app
        await asyncio.sleep(min(result.requeue_after, 0.2))
    raise AssertionError(f"the operation did not finish: {results[-1].app['status'].get('operationState')}")


def writes_since(fleet: Any, before: int, namespace: str) -> list[tuple[str, str, str]]:
    log = fleet["hub"].state.write_log
    return [
        (w.verb, w.resource, w.name)
        for w in log.records()[-(log.total - before) :]
        if w.namespace == namespace and (w.field_manager == "fleetops" or w.verb == "delete")
    ]


async def test_a_sync_waiting_for_a_hook_is_taken_up_by_the_next_reconcile_after_a_restart(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer, fleet: Any, tmp_path: Path
) -> None:
    await _ensure_ns(hub, "fleetops")
    repo = git_server.create_repo("resumed")
    files = {
        "app/kustomization.yaml": "resources:\n- pre.yaml\n- late.yaml\n- early.yaml\n- post.yaml\n",
        "app/pre.yaml": _job("pre", "PreSync"),
        "app/post.yaml": _job("post", "PostSync"),
        "app/early.yaml": _cm("early", {"argocd.argoproj.io/sync-wave": "-1"}),
        "app/late.yaml": _cm("late", {"argocd.argoproj.io/sync-wave": "1"}),
    }
    sha = repo.commit(files, "waves")
    target = f"t-{uuid.uuid4().hex[:6]}"
    await _ensure_ns(hub, target)
    manifest = application("resumed", git_server.url_for("resumed"), target)
    manifest["operation"] = {"sync": {"revision": "main"}, "initiatedBy": {"username": "admin"}}
    app = await hub.create(manifest)
    before = fleet["hub"].state.write_log.total

    first = await reconcile_app(app, restarted(env, tmp_path, sync_wait=0.0))
    assert first.sync_phase == "Running"
    assert first.requeue_after == 1.0
    state = first.app["status"]["operationState"]
    assert state["phase"] == "Running" and "finishedAt" not in state
    assert state["message"] == "waiting for completion of hook batch/Job/pre"
    assert [(r["name"], r["hookPhase"]) for r in state["syncResult"]["resources"]] == [("pre", "Running")]
    assert first.app["operation"] == manifest["operation"]  # the operation stays until it ends
    hook = await hub.get(JOB, "pre", target)
    assert HOOK_FINALIZER in hook["metadata"]["finalizers"]
    assert [name for _, _, name in writes_since(fleet, before, target)] == ["pre"]

    results = await until_done(first.app, env, tmp_path)
    assert results[-1].sync_phase == "Succeeded", results[-1].app["status"]["operationState"]
    assert "operation" not in results[-1].app
    state = results[-1].app["status"]["operationState"]
    assert state["syncResult"]["revision"] == sha
    assert {r["name"] for r in state["syncResult"]["resources"]} == {"pre", "early", "late", "post"}
    written = [(verb, name) for verb, _, name in writes_since(fleet, before, target)]
    created = [name for verb, name in written if verb in ("create", "apply")]
    assert created == ["pre", "early", "late", "post"], written  # each once, in Argo CD's order
    assert ("delete", "pre") in written and ("delete", "post") in written
    assert len(results[-1].app["status"]["history"]) == 1


async def test_a_retry_waiting_in_the_status_survives_a_restart(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer, tmp_path: Path
) -> None:
    clock = FakeClock()
    repo = git_server.create_repo("retry-restart")
    repo.commit(BASE, "first")
    target = f"t-{uuid.uuid4().hex[:6]}"  # does not exist yet: the sync fails
    manifest = application("retry-restart", git_server.url_for("retry-restart"), target)
    manifest["operation"] = {
        "sync": {},
        "initiatedBy": {"username": "admin"},
        "retry": {"limit": 3, "backoff": {"duration": "5s", "factor": 2, "maxDuration": "3m"}},
    }
    app = await hub.create(manifest)

    first = await reconcile_app(app, restarted(env, tmp_path, clock=clock))
    assert (first.sync_phase, first.requeue_after) == ("Failed", 5.0)
    state = first.app["status"]["operationState"]
    assert (state["phase"], state["retryCount"]) == ("Running", 1)
    assert state["finishedAt"] == "2026-01-01T00:00:00Z"  # the failed attempt's end: the retry counts from it
    assert state["message"].startswith("Retrying attempt #1 at 5s: ")

    clock.advance(3)
    early = await reconcile_app(first.app, restarted(env, tmp_path, clock=clock))
    assert (early.sync_phase, early.requeue_after) == (None, 2.0)  # waits, though no memory of it

    clock.advance(2)
    second = await reconcile_app(early.app, restarted(env, tmp_path, clock=clock))
    assert (second.sync_phase, second.requeue_after) == ("Failed", 10.0)
    assert second.app["status"]["operationState"]["retryCount"] == 2
    assert second.app["status"]["operationState"]["startedAt"] == state["startedAt"]

    await hub.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": target}})
    clock.advance(10)
    third = await reconcile_app(second.app, restarted(env, tmp_path, clock=clock))
    assert third.sync_phase == "Succeeded", third.app["status"]["operationState"]
    assert third.app["status"]["operationState"]["retryCount"] == 2
    assert "operation" not in third.app


async def test_the_dry_run_refuses_the_whole_sync_when_one_resource_is_invalid(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer, fleet: Any
) -> None:
    await _ensure_ns(hub, "fleetops")
    repo = git_server.create_repo("dry-run")
    invalid = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: broken\n"
        "spec:\n  replicas: 1\n  template:\n    metadata:\n      labels: {app: broken}\n"
        "    spec:\n      containers: []\n"
    )
    files = {
        "app/kustomization.yaml": "resources:\n- valid.yaml\n- broken.yaml\n",
        "app/valid.yaml": _cm("a-valid"),
        "app/broken.yaml": invalid,
    }
    repo.commit(files, "one valid, one invalid")
    target = f"t-{uuid.uuid4().hex[:6]}"
    await _ensure_ns(hub, target)
    manifest = application("dry-run", git_server.url_for("dry-run"), target)
    manifest["operation"] = {"sync": {}, "initiatedBy": {"username": "admin"}}
    app = await hub.create(manifest)
    before = fleet["hub"].state.write_log.total

    result = await reconcile_app(app, env)
    assert result.sync_phase == "Failed"
    assert writes_since(fleet, before, target) == []  # nothing written, not even the valid one
    state = result.app["status"]["operationState"]
    assert state["message"].startswith("one or more objects failed to apply (dry run)")
    failed = [(r["kind"], r["name"], r["status"]) for r in state["syncResult"]["resources"]]
    assert failed == [("Deployment", "broken", "SyncFailed")]
    assert state["syncResult"]["resources"][0]["message"]
    try:
        await hub.get(CONFIGMAP, "a-valid", target)
        raise AssertionError("the valid ConfigMap was written")
    except NotFound:
        pass


async def test_a_hook_removed_by_its_ttl_stays_until_its_result_is_read(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer, fleet: Any, tmp_path: Path
) -> None:
    await _ensure_ns(hub, "fleetops")
    repo = git_server.create_repo("ttl-hook")
    files = {
        "app/kustomization.yaml": "resources:\n- cm.yaml\n- post.yaml\n",
        "app/cm.yaml": _cm("settings"),
        "app/post.yaml": _job("post", "PostSync", extra="  ttlSecondsAfterFinished: 0\n", policy=""),
    }
    repo.commit(files, "ttl hook")
    target = f"t-{uuid.uuid4().hex[:6]}"
    await _ensure_ns(hub, target)
    manifest = application("ttl-hook", git_server.url_for("ttl-hook"), target)
    manifest["operation"] = {"sync": {}, "initiatedBy": {"username": "admin"}}
    app = await hub.create(manifest)
    before = fleet["hub"].state.write_log.total

    first = await reconcile_app(app, restarted(env, tmp_path, sync_wait=0.0))
    assert first.sync_phase == "Running"
    results = await until_done(first.app, env, tmp_path)
    state = results[-1].app["status"]["operationState"]
    assert results[-1].sync_phase == "Succeeded", state
    post = next(r for r in state["syncResult"]["resources"] if r["name"] == "post")
    assert post["hookPhase"] == "Succeeded"
    # the TTL controller deleted the finished Job; the finalizer held it until fleetops had read
    # its result, and then fleetops let it go
    # (the write log shows the last finalizer's removal of a terminating object as its delete)
    log = fleet["hub"].state.write_log
    writes = [
        (w.verb, w.field_manager or w.identity.rpartition(":")[2])
        for w in log.records()[-(log.total - before) :]
        if w.namespace == target and w.name == "post" and w.resource == "jobs.batch"
    ]
    assert writes == [("create", "fleetops"), ("delete", "job-controller"), ("delete", "fleetops")], writes
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE
    while loop.time() < deadline:
        try:
            await hub.get(JOB, "post", target)
        except NotFound:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the finished hook Job was never removed")


async def test_the_next_wave_waits_until_a_pruned_object_is_gone(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer, fleet: Any, tmp_path: Path
) -> None:
    await _ensure_ns(hub, "fleetops")
    repo = git_server.create_repo("prune-wait")
    repo.commit(
        {
            "app/kustomization.yaml": "resources:\n- keep.yaml\n- old.yaml\n",
            "app/keep.yaml": _cm("keep"),
            "app/old.yaml": _cm("old"),
        },
        "first",
    )
    target = f"t-{uuid.uuid4().hex[:6]}"
    await _ensure_ns(hub, target)
    operation = {"sync": {"prune": True}, "initiatedBy": {"username": "admin"}}
    manifest = application("prune-wait", git_server.url_for("prune-wait"), target)
    manifest["operation"] = operation
    app = await hub.create(manifest)
    assert (await reconcile_app(app, env)).sync_phase == "Succeeded"
    await hub.patch(CONFIGMAP, "old", {"metadata": {"finalizers": ["example.com/hold"]}}, target)
    repo.commit(
        {
            "app/kustomization.yaml": "resources:\n- keep.yaml\n- late.yaml\n",
            "app/late.yaml": _cm("late", {"argocd.argoproj.io/sync-wave": "1"}),
            "app/old.yaml": None,
        },
        "old goes, late comes in wave 1",
    )
    app = await hub.patch(APPLICATION, "prune-wait", {"operation": operation}, "fleetops")

    waiting = await reconcile_app(app, restarted(env, tmp_path, sync_wait=0.0))
    assert waiting.sync_phase == "Running"
    state = waiting.app["status"]["operationState"]
    assert state["message"] == "waiting for deletion of /ConfigMap/old"
    again = await reconcile_app(waiting.app, restarted(env, tmp_path, sync_wait=0.0))
    assert again.sync_phase == "Running"
    try:
        await hub.get(CONFIGMAP, "late", target)
        raise AssertionError("wave 1 started while the pruned object of wave 0 still existed")
    except NotFound:
        pass

    await hub.patch(CONFIGMAP, "old", {"metadata": {"finalizers": None}}, target)
    results = await until_done(again.app, env, tmp_path)
    assert results[-1].sync_phase == "Succeeded", results[-1].app["status"]["operationState"]
    assert await hub.get(CONFIGMAP, "late", target)
    old = next(
        r
        for r in results[-1].app["status"]["operationState"]["syncResult"]["resources"]
        if r["name"] == "old"
    )
    assert old["status"] == "Pruned"


async def test_removing_the_operation_of_a_running_sync_terminates_it_and_lets_its_hooks_go(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer, tmp_path: Path
) -> None:
    await _ensure_ns(hub, "fleetops")
    repo = git_server.create_repo("withdrawn")
    files = {
        "app/kustomization.yaml": "resources:\n- pre.yaml\n- cm.yaml\n",
        "app/pre.yaml": _job("pre", "PreSync", policy=""),
        "app/cm.yaml": _cm("settings"),
    }
    repo.commit(files, "hook")
    target = f"t-{uuid.uuid4().hex[:6]}"
    await _ensure_ns(hub, target)
    manifest = application("withdrawn", git_server.url_for("withdrawn"), target)
    manifest["operation"] = {"sync": {}, "initiatedBy": {"username": "admin"}}
    app = await hub.create(manifest)
    first = await reconcile_app(app, restarted(env, tmp_path, sync_wait=0.0))
    assert first.sync_phase == "Running"
    assert HOOK_FINALIZER in (await hub.get(JOB, "pre", target))["metadata"]["finalizers"]

    app = await hub.patch(APPLICATION, "withdrawn", {"operation": None}, "fleetops")
    ended = await reconcile_app(app, restarted(env, tmp_path))
    assert ended.sync_phase == "Failed"
    state = ended.app["status"]["operationState"]
    assert (state["phase"], state["message"]) == ("Failed", "Operation terminated")
    assert state["finishedAt"]
    assert HOOK_FINALIZER not in ((await hub.get(JOB, "pre", target))["metadata"].get("finalizers") or [])
    with contextlib.suppress(NotFound):
        await hub.get(CONFIGMAP, "settings", target)
        raise AssertionError("the terminated sync went on to its next step")


async def test_deleting_the_application_lets_go_of_a_hook_it_still_holds(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer, tmp_path: Path
) -> None:
    await _ensure_ns(hub, "fleetops")
    repo = git_server.create_repo("held")
    files = {
        "app/kustomization.yaml": "resources:\n- pre.yaml\n- cm.yaml\n",
        "app/pre.yaml": _job("pre", "PreSync", policy=""),
        "app/cm.yaml": _cm("settings"),
    }
    repo.commit(files, "hook")
    target = f"t-{uuid.uuid4().hex[:6]}"
    await _ensure_ns(hub, target)
    manifest = application("held", git_server.url_for("held"), target)
    manifest["metadata"]["finalizers"] = ["resources-finalizer.argocd.argoproj.io"]
    manifest["operation"] = {"sync": {}, "initiatedBy": {"username": "admin"}}
    app = await hub.create(manifest)
    first = await reconcile_app(app, restarted(env, tmp_path, sync_wait=0.0))
    assert first.sync_phase == "Running"
    assert HOOK_FINALIZER in (await hub.get(JOB, "pre", target))["metadata"]["finalizers"]

    await hub.delete(APPLICATION, "held", "fleetops")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE
    while loop.time() < deadline:
        try:
            deleting = await hub.get(APPLICATION, "held", "fleetops")
        except NotFound:
            break
        await delete_app(deleting, env)
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the Application was never deleted")
    with contextlib.suppress(NotFound):
        job = await hub.get(JOB, "pre", target)
        raise AssertionError(f"the hook was left behind: {job['metadata']}")


async def test_an_operation_that_waits_too_long_times_out_and_is_retried(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer, fleet: Any, tmp_path: Path
) -> None:
    clock = FakeClock()
    image = f"registry.example.com/never/{uuid.uuid4().hex[:6]}"
    faults = fleet.control.faults("hub")
    faults.denied_images.add(image)  # the hook's Pod never starts
    try:
        await _ensure_ns(hub, "fleetops")
        repo = git_server.create_repo("slow")
        hook = _job("pre", "PreSync", policy="").replace("busybox:1.36", f"{image}:1")
        files = {"app/kustomization.yaml": "resources:\n- pre.yaml\n", "app/pre.yaml": hook}
        repo.commit(files, "a hook that never completes")
        target = f"t-{uuid.uuid4().hex[:6]}"
        await _ensure_ns(hub, target)
        manifest = application("slow", git_server.url_for("slow"), target)
        manifest["operation"] = {
            "sync": {},
            "initiatedBy": {"username": "admin"},
            "retry": {"limit": 1, "backoff": {"duration": "5s"}},
        }
        app = await hub.create(manifest)
        first = await reconcile_app(app, restarted(env, tmp_path, clock=clock, sync_wait=0.0))
        assert first.sync_phase == "Running"
        clock.advance(10)
        still = await reconcile_app(first.app, restarted(env, tmp_path, clock=clock, sync_wait=0.0))
        assert still.sync_phase == "Running"  # 10 s of the 30 s sync timeout

        clock.advance(21)
        timed_out = await reconcile_app(still.app, restarted(env, tmp_path, clock=clock, sync_wait=0.0))
        assert (timed_out.sync_phase, timed_out.requeue_after) == ("Failed", 5.0)
        state = timed_out.app["status"]["operationState"]
        assert (state["phase"], state["retryCount"]) == ("Running", 1)
        assert state["message"] == (
            "Retrying attempt #1 at 5s: sync timed out after 30s: "
            "waiting for completion of hook batch/Job/pre"
        )
        job = await hub.get(JOB, "pre", target)
        assert HOOK_FINALIZER not in (job["metadata"].get("finalizers") or [])
    finally:
        faults.denied_images.discard(image)
