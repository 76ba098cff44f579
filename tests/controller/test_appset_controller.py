"""The ApplicationSet controller's triggers: which hub changes queue which ApplicationSet (and
which do not: its own status writes, a cluster Secret resync), and webhook pushes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fleetops.controller.appset_controller import AppSetController
from fleetops.engine import AppSetEnvironment
from fleetops.model import GroupKind, ResourceKey
from fleetops.model.manifest import Manifest
from fleetops.ports.kube import ChangeEvent, ChangeType


class FakeCache:
    """Just enough of a LiveCache: objects by kind; handlers are not called by it."""

    def __init__(self, objects: Sequence[Manifest]) -> None:
        self.items = list(objects)

    def objects(self, kind: GroupKind | None = None) -> Sequence[Manifest]:
        return [o for o in self.items if kind is None or o.get("kind") == kind.kind]

    def get(self, key: ResourceKey) -> Manifest | None:
        for obj in self.items:
            if obj["kind"] == key.kind and obj["metadata"]["name"] == key.name:
                return obj
        return None

    def add_handler(self, handler: Callable[[ChangeEvent], None]) -> Callable[[], None]:
        return lambda: None


def _appset(name: str, generators: list[dict[str, Any]], uid: str) -> Manifest:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {"name": name, "namespace": "fleetops", "uid": uid},
        "spec": {"generators": generators, "template": {}},
    }


CLUSTERS = _appset("by-cluster", [{"clusters": {"selector": {"matchLabels": {"env": "prod"}}}}], "u1")
GIT = _appset(
    "by-git",
    [{"matrix": {"generators": [{"git": {"repoURL": "https://github.com/org/apps.git"}}, {"list": {}}]}}],
    "u2",
)


def _controller() -> AppSetController:
    cache = FakeCache([CLUSTERS, GIT])
    env = AppSetEnvironment(hub=None, git=None)  # type: ignore[arg-type]  # not reached by triggers
    return AppSetController(env, cache, rewrites={"https://github.com/org/": "http://127.0.0.1:1/"})  # type: ignore[arg-type]


def _event(
    kind: str, name: str, type_: ChangeType, old: Manifest | None, new: Manifest | None
) -> ChangeEvent:
    group = "" if kind == "Secret" else "argoproj.io"
    return ChangeEvent("in-cluster", type_, ResourceKey(group, kind, "fleetops", name), old, new)


def _secret(labels: dict[str, str], version: str = "1") -> Manifest:
    return {
        "kind": "Secret",
        "metadata": {
            "name": "cluster-a",
            "namespace": "fleetops",
            "resourceVersion": version,
            "labels": {"argocd.argoproj.io/secret-type": "cluster", **labels},
        },
        "stringData": {"name": "a", "server": "https://a"},
    }


def test_cluster_secret_events_queue_the_clusters_appsets_only() -> None:
    controller = _controller()
    controller._on_hub_change(
        _event("Secret", "cluster-a", "MODIFIED", _secret({}), _secret({"env": "prod"}))
    )
    assert controller.trigger_log == [(("fleetops", "by-cluster"), "cluster secret cluster-a MODIFIED")]
    assert len(controller.queue) == 1


def test_a_secret_resync_queues_nothing() -> None:
    controller = _controller()
    controller._on_hub_change(
        _event("Secret", "cluster-a", "MODIFIED", _secret({}), _secret({}, version="2"))
    )
    assert controller.trigger_log == []


def test_own_status_writes_queue_nothing() -> None:
    controller = _controller()
    with_status = {**CLUSTERS, "status": {"conditions": []}}
    controller._on_hub_change(_event("ApplicationSet", "by-cluster", "MODIFIED", CLUSTERS, with_status))
    assert controller.trigger_log == []
    changed = {**CLUSTERS, "spec": {**CLUSTERS["spec"], "goTemplate": True}}
    controller._on_hub_change(_event("ApplicationSet", "by-cluster", "MODIFIED", CLUSTERS, changed))
    assert controller.trigger_log == [(("fleetops", "by-cluster"), "applicationset MODIFIED")]


def test_an_owned_application_change_queues_its_owner() -> None:
    controller = _controller()
    app = {
        "kind": "Application",
        "metadata": {
            "name": "x",
            "namespace": "fleetops",
            "ownerReferences": [{"uid": "u2", "controller": True}],
        },
        "status": {"health": {"status": "Progressing"}},
    }
    healthy = {**app, "status": {"health": {"status": "Healthy"}}}
    controller._on_hub_change(_event("Application", "x", "MODIFIED", app, healthy))
    assert controller.trigger_log == [(("fleetops", "by-git"), "application x MODIFIED")]
    reconciled_at = {**healthy, "status": {**healthy["status"], "reconciledAt": "later"}}
    controller._on_hub_change(_event("Application", "x", "MODIFIED", healthy, reconciled_at))
    assert len(controller.trigger_log) == 1, "a change the ApplicationSet does not look at"


def test_webhook_push_queues_appsets_of_that_repository() -> None:
    controller = _controller()
    assert controller.refresh_repository(["https://github.com/org/apps"]) == [("fleetops", "by-git")]
    assert controller.refresh_repository(["http://127.0.0.1:1/apps.git"]) == [("fleetops", "by-git")]
    assert controller.refresh_repository(["https://github.com/org/other"]) == []


async def test_a_replica_that_is_not_the_leader_reconciles_nothing() -> None:
    controller = _controller()
    controller.leader = lambda: False
    await controller.process(("fleetops", "by-cluster"))
    assert controller.reconciles == 0
    controller.queue.shutdown()  # cancels the recheck timer
