"""A failed sync is retried with Argo CD's backoff (duration * factor^n, capped), on a fake clock:
not before its time, and it succeeds once the cause is gone."""

from __future__ import annotations

import datetime
import uuid

from test_engine_app_reconcile import BASE, CONFIGMAP, application
from tests.support.gitserver import GitServer

from fleetops.adapters.kube import HttpKubeClient
from fleetops.engine import AppEnvironment, reconcile_app


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += datetime.timedelta(seconds=seconds)


async def test_a_failed_sync_is_retried_after_the_backoff(
    env: AppEnvironment, hub: HttpKubeClient, git_server: GitServer
) -> None:
    clock = FakeClock()
    env.clock = clock
    repo = git_server.create_repo("retried")
    repo.commit(BASE, "first")
    target = f"t-{uuid.uuid4().hex[:6]}"  # does not exist yet: the apply fails
    manifest = application("retried", git_server.url_for("retried"), target)
    manifest["operation"] = {
        "sync": {},
        "initiatedBy": {"username": "admin"},
        "retry": {"limit": 3, "backoff": {"duration": "5s", "factor": 2, "maxDuration": "3m"}},
    }
    app = await hub.create(manifest)

    first = await reconcile_app(app, env)
    assert first.sync_phase == "Failed"
    assert first.requeue_after == 5.0
    state = first.app["status"]["operationState"]
    assert (state["phase"], state["retryCount"]) == ("Running", 1)
    assert "operation" in first.app

    clock.advance(4)
    early = await reconcile_app(first.app, env)
    assert early.sync_phase is None
    assert early.requeue_after == 1.0

    clock.advance(1)
    second = await reconcile_app(early.app, env)
    assert second.sync_phase == "Failed"
    assert second.requeue_after == 10.0  # 5s * 2^1

    await hub.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": target}})
    clock.advance(10)
    third = await reconcile_app(second.app, env)
    assert third.sync_phase == "Succeeded", third.app["status"]["operationState"]
    assert "operation" not in third.app
    state = third.app["status"]["operationState"]
    assert state["phase"] == "Succeeded" and "finishedAt" in state
    assert await hub.get(CONFIGMAP, "settings", target)
