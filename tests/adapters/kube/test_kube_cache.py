"""WatchCache against kubesim: changes made by the real kubectl arrive as events, indexes by
tracking application and owner, kinds watched on demand (a CRD created at run time), relist after
410 Gone, connection status, and an unreachable cluster."""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from kube_support import (
    CONFIGMAP,
    DEPLOYMENT,
    SECRET,
    AsyncKubectl,
    Control,
    configmap,
    deployment,
    eventually,
)

from fleetops.adapters.kube import ClusterConfig, HttpKubeClient, WatchCache
from fleetops.model import GroupKind, GroupVersionKind, ResourceKey
from fleetops.ports.kube import TRACKING_ANNOTATION, ChangeEvent, KubeError, UnknownKind, Unreachable

CONFIGMAPS = GroupKind("", "ConfigMap")
DEPLOYMENTS = GroupKind("apps", "Deployment")


@pytest.fixture
async def cache(client: HttpKubeClient) -> AsyncIterator[WatchCache]:
    async with WatchCache(client, cluster="kube") as live:
        yield live


def _events(cache: WatchCache) -> list[ChangeEvent]:
    seen: list[ChangeEvent] = []
    cache.add_handler(seen.append)
    return seen


def _tracked(name: str, namespace: str, app: str) -> dict[str, Any]:
    return configmap(
        name, namespace, {"k": "v"}, annotations={TRACKING_ANNOTATION: f"{app}:/ConfigMap:{namespace}/{name}"}
    )


async def test_kubectl_scale_arrives_as_an_event(
    client: HttpKubeClient, cache: WatchCache, namespace: str, kubectl_async: AsyncKubectl
) -> None:
    await client.create(deployment("web", namespace, replicas=1))
    await cache.ensure_watched(DEPLOYMENT)
    key = ResourceKey("apps", "Deployment", namespace, "web")
    await eventually(lambda: cache.get(key) is not None, "the deployment is cached")
    subscription = cache.subscribe()
    await kubectl_async.ok("scale", "deployment", "web", "-n", namespace, "--replicas=3")
    async for event in subscription:
        if event.key == key and event.type == "MODIFIED" and event.new and event.new["spec"]["replicas"] == 3:
            assert event.old is not None
            assert event.old["spec"]["replicas"] == 1
            break
    subscription.close()
    cached = cache.get(key)
    assert cached is not None
    assert cached["spec"]["replicas"] == 3
    assert cached["metadata"]["managedFields"], "managedFields are kept for the diff"


async def test_tracking_index_follows_the_annotation(
    client: HttpKubeClient, cache: WatchCache, namespace: str
) -> None:
    await cache.ensure_watched(CONFIGMAP)
    seen = _events(cache)
    await client.apply(_tracked("a", namespace, "guestbook"), field_manager="fleetops")
    await client.apply(_tracked("b", namespace, "guestbook"), field_manager="fleetops")
    await eventually(lambda: len(cache.objects_of_app("guestbook")) == 2, "both objects indexed")
    moved = await client.apply(_tracked("b", namespace, "other"), field_manager="fleetops")
    await eventually(lambda: len(cache.objects_of_app("guestbook")) == 1, "b left guestbook")
    assert [o["metadata"]["name"] for o in cache.objects_of_app("other")] == ["b"]
    change = next(
        e
        for e in seen
        if e.new is not None and e.new["metadata"]["resourceVersion"] == moved["metadata"]["resourceVersion"]
    )
    assert change.apps == {"guestbook", "other"}  # both applications must look again
    await client.delete(CONFIGMAP, "a", namespace)
    await eventually(
        lambda: any(e.type == "DELETED" and e.key.name == "a" for e in seen), "the delete is seen"
    )
    deleted = next(e for e in seen if e.type == "DELETED" and e.key.name == "a")
    assert deleted.new is None
    assert deleted.old is not None
    assert deleted.apps == {"guestbook"}
    assert cache.objects_of_app("guestbook") == []


async def test_tracking_label_and_owner_index(client: HttpKubeClient, namespace: str) -> None:
    async with WatchCache(client, tracking_label="app.kubernetes.io/instance") as live:
        await live.ensure_watched(CONFIGMAP)
        parent = await client.create(
            configmap("parent", namespace, labels={"app.kubernetes.io/instance": "shop"})
        )
        owner = {"apiVersion": "v1", "kind": "ConfigMap", "name": "parent", "uid": parent["metadata"]["uid"]}
        await client.create(configmap("child", namespace, ownerReferences=[owner]))
        await eventually(
            lambda: len(live.owned_by(parent["metadata"]["uid"])) == 1, "the child is indexed by owner"
        )
        assert [o["metadata"]["name"] for o in live.objects_of_app("shop")] == ["parent"]


async def test_crd_created_at_run_time(client: HttpKubeClient, cache: WatchCache, namespace: str) -> None:
    await client.resources()  # discovery is cached before the CRD exists
    group = f"g{uuid.uuid4().hex[:6]}.example.com"
    await client.create(
        {
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": f"gadgets.{group}"},
            "spec": {
                "group": group,
                "scope": "Namespaced",
                "names": {"plural": "gadgets", "singular": "gadget", "kind": "Gadget"},
                "versions": [
                    {
                        "name": "v1",
                        "served": True,
                        "storage": True,
                        "schema": {
                            "openAPIV3Schema": {
                                "type": "object",
                                "x-kubernetes-preserve-unknown-fields": True,
                            }
                        },
                    }
                ],
            },
        }
    )
    gadgets = GroupKind(group, "Gadget")
    await cache.ensure_watched(gadgets)
    assert cache.is_namespaced(gadgets) is True
    assert gadgets in cache.status().watched
    gadget = {
        "apiVersion": f"{group}/v1",
        "kind": "Gadget",
        "metadata": {"name": "g1", "namespace": namespace},
        "spec": {"size": 1},
    }
    await client.create(gadget)
    key = ResourceKey(group, "Gadget", namespace, "g1")
    await eventually(lambda: cache.get(key) is not None, "the custom resource is cached")


async def test_relist_after_gone(client: HttpKubeClient, namespace: str, control: Control) -> None:
    # Without bookmarks and with one-second watches, a compaction makes the next watch 410.
    async with WatchCache(client, bookmarks=False, watch_timeout_range=(1, 1)) as live:
        await live.ensure_watched(CONFIGMAP)
        reflector = live.kind_watch(CONFIGMAPS)
        assert reflector is not None
        assert reflector.lists == 1
        await client.create(
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "bump", "namespace": namespace}}
        )
        await control.compact()
        await eventually(lambda: reflector.relists_after_gone >= 1, "the watch got 410 Gone")
        await eventually(lambda: reflector.lists >= 2, "the 410 made the cache list again")
        await client.create(configmap("after", namespace))
        key = ResourceKey("", "ConfigMap", namespace, "after")
        await eventually(lambda: live.get(key) is not None, "changes after the relist are watched")
        await client.delete(SECRET, "bump", namespace)


async def test_connection_status(cache: WatchCache) -> None:
    await cache.ensure_watched(CONFIGMAP)
    status = cache.status()
    assert status.connected
    assert status.last_error is None
    assert status.server_version is not None
    assert status.server_version.startswith("v1.32")
    assert status.resources >= 1
    assert status.watched == (CONFIGMAPS,)


async def test_stop_ends_subscriptions(client: HttpKubeClient, namespace: str) -> None:
    live = WatchCache(client)
    await live.start()
    await live.ensure_watched(CONFIGMAP)
    subscription = live.subscribe()
    await client.create(configmap("late", namespace))
    await eventually(lambda: subscription.pending() > 0, "the change is queued")
    await live.stop()
    drained = [event async for event in subscription]  # what was queued, then the end
    assert any(event.key.name == "late" for event in drained)
    assert live.status().watched == ()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_unreachable_cluster() -> None:
    config = ClusterConfig(server=f"https://127.0.0.1:{_free_port()}", token="t", connect_timeout=5)
    async with HttpKubeClient(config) as client:
        with pytest.raises(Unreachable) as error:
            await client.get(GroupVersionKind("", "v1", "Namespace"), "default")
        assert isinstance(error.value.error, OSError)
        async with WatchCache(client, cluster="gone", kinds=[CONFIGMAPS]) as live:
            status = live.status()
            assert not status.connected
            assert status.last_error is not None
            assert "cannot reach" in status.last_error
            with pytest.raises(Unreachable):
                await live.ensure_watched(DEPLOYMENTS)


async def test_kinds_that_cannot_be_watched(cache: WatchCache) -> None:
    with pytest.raises(UnknownKind):
        await cache.ensure_watched(GroupKind("example.com", "Nothing"))
    with pytest.raises(KubeError, match="cannot be listed and watched"):
        await cache.ensure_watched(GroupKind("authorization.k8s.io", "SelfSubjectAccessReview"))
    assert cache.status().watched == ()
