"""HttpKubeClient against kubesim: discovery, CRUD, patches, server-side apply, dry-run, paging,
typed errors and watch (410 Gone included)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from kube_support import CONFIGMAP, DEPLOYMENT, SECRET, Control, configmap, deployment

from fleetops.adapters.kube import HttpKubeClient
from fleetops.adapters.kube.discovery import Discovery
from fleetops.model import GroupKind, GroupVersionKind
from fleetops.ports.kube import (
    AlreadyExists,
    ApiError,
    Conflict,
    Gone,
    Invalid,
    NotFound,
    PatchType,
    UnknownKind,
    WatchEvent,
)


async def test_server_version_and_discovery(client: HttpKubeClient) -> None:
    version = await client.server_version()
    assert (version.major, version.minor) == ("1", "32")
    resources = await client.resources()
    by_kind = {(r.gvk.group, r.gvk.kind): r for r in resources}
    deployments = by_kind[("apps", "Deployment")]
    assert deployments.plural == "deployments"
    assert deployments.namespaced
    assert {"get", "list", "watch", "create", "patch"} <= set(deployments.verbs)
    assert "scale" in deployments.subresources
    assert not by_kind[("", "Namespace")].namespaced
    mapping = await client.resource_for(GroupKind("apps", "Deployment"))
    assert mapping.gvk == GroupVersionKind("apps", "v1", "Deployment")


async def test_unknown_kind_is_typed(client: HttpKubeClient) -> None:
    with pytest.raises(UnknownKind):
        await client.resource_for(GroupVersionKind("example.com", "v1", "Nothing"))


async def test_crud_round_trip(client: HttpKubeClient, namespace: str) -> None:
    created = await client.create(configmap("one", namespace, {"a": "1"}))
    assert created["metadata"]["uid"]
    assert (await client.get(CONFIGMAP, "one", namespace))["data"] == {"a": "1"}
    with pytest.raises(AlreadyExists) as exists:
        await client.create(configmap("one", namespace))
    assert exists.value.code == 409
    created["data"] = {"a": "2"}
    replaced = await client.replace(created)
    assert replaced["data"] == {"a": "2"}
    with pytest.raises(Conflict) as stale:
        await client.replace(created)  # the resourceVersion it carries is now stale
    assert "modified" in stale.value.message
    await client.delete(CONFIGMAP, "one", namespace)
    with pytest.raises(NotFound) as missing:
        await client.get(CONFIGMAP, "one", namespace)
    assert missing.value.reason == "NotFound"
    assert '"one" not found' in missing.value.message


async def test_namespace_defaults_to_the_configured_one(client: HttpKubeClient) -> None:
    name = f"d-{uuid.uuid4().hex[:6]}"
    created = await client.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}})
    assert created["metadata"]["namespace"] == "default"
    assert (await client.get(CONFIGMAP, name))["metadata"]["name"] == name
    await client.delete(CONFIGMAP, name)


async def test_invalid_object_has_causes(client: HttpKubeClient, namespace: str) -> None:
    with pytest.raises(Invalid) as error:
        await client.create(configmap("Not_A_Name", namespace))
    assert error.value.code == 422
    [cause] = error.value.causes
    assert cause.field == "metadata.name"
    assert cause.reason == "FieldValueInvalid"


async def test_patch_types(client: HttpKubeClient, namespace: str) -> None:
    await client.create(deployment("web", namespace))
    merged = await client.patch(DEPLOYMENT, "web", {"spec": {"replicas": 2}}, namespace)
    assert merged["spec"]["replicas"] == 2
    strategic = await client.patch(
        DEPLOYMENT,
        "web",
        {"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "nginx:1.28"}]}}}},
        namespace,
        patch_type=PatchType.STRATEGIC,
    )
    assert strategic["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.28"
    json_patched = await client.patch(
        DEPLOYMENT,
        "web",
        [{"op": "replace", "path": "/spec/replicas", "value": 3}],
        namespace,
        patch_type=PatchType.JSON,
        field_manager="tester",
    )
    assert json_patched["spec"]["replicas"] == 3
    managers = {entry["manager"] for entry in json_patched["metadata"]["managedFields"]}
    assert "tester" in managers


async def test_server_side_apply_conflict_and_force(client: HttpKubeClient, namespace: str) -> None:
    desired = configmap("ssa", namespace, {"color": "blue"})
    applied = await client.apply(desired, field_manager="fleetops")
    assert applied["data"] == {"color": "blue"}
    assert any(
        entry["manager"] == "fleetops" and entry["operation"] == "Apply"
        for entry in applied["metadata"]["managedFields"]
    )
    with pytest.raises(Conflict) as conflict:
        await client.apply(configmap("ssa", namespace, {"color": "red"}), field_manager="someone-else")
    [field_conflict] = conflict.value.field_conflicts
    assert field_conflict.manager == "fleetops"
    assert field_conflict.field == ".data.color"
    forced = await client.apply(
        configmap("ssa", namespace, {"color": "red"}), field_manager="someone-else", force=True
    )
    assert forced["data"] == {"color": "red"}


async def test_dry_run_writes_nothing(client: HttpKubeClient, namespace: str, control: Control) -> None:
    before = len(await control.writes())
    answered = await client.create(configmap("dry", namespace, {"a": "1"}), dry_run=True)
    assert answered["metadata"]["name"] == "dry"
    applied = await client.apply(
        configmap("dry", namespace, {"a": "1"}), field_manager="fleetops", dry_run=True
    )
    assert applied["data"] == {"a": "1"}
    with pytest.raises(NotFound):
        await client.get(CONFIGMAP, "dry", namespace)
    assert len(await control.writes()) == before


async def test_strategic_patch_on_a_custom_resource_is_refused(
    client: HttpKubeClient, namespace: str, crd: GroupVersionKind
) -> None:
    obj = {"apiVersion": crd.api_version, "kind": crd.kind, "metadata": {"name": "w", "namespace": namespace}}
    await client.create(obj)
    with pytest.raises(ApiError) as error:
        await client.patch(crd, "w", {"spec": {}}, namespace, patch_type=PatchType.STRATEGIC)
    assert error.value.code == 415


async def test_list_paging(client: HttpKubeClient, namespace: str) -> None:
    for index in range(5):
        await client.create(configmap(f"page-{index}", namespace))
    first = await client.list_page(CONFIGMAP, namespace, label_selector="", limit=2)
    assert len(first.items) == 2
    assert first.continue_token
    assert all(item["kind"] == "ConfigMap" and item["apiVersion"] == "v1" for item in first.items)
    second = await client.list_page(CONFIGMAP, namespace, limit=2, continue_token=first.continue_token)
    assert {i["metadata"]["name"] for i in first.items}.isdisjoint(
        i["metadata"]["name"] for i in second.items
    )
    everything = await client.list(CONFIGMAP, namespace, page_size=2)
    names = {item["metadata"]["name"] for item in everything.items}
    assert {f"page-{i}" for i in range(5)} <= names
    assert everything.resource_version


async def test_patch_status(client: HttpKubeClient, namespace: str) -> None:
    await client.create(deployment("st", namespace))
    patched = await client.patch_status(DEPLOYMENT, "st", {"status": {"observedGeneration": 7}}, namespace)
    assert patched["status"]["observedGeneration"] == 7


async def test_watch_sees_changes_then_ends(client: HttpKubeClient, namespace: str) -> None:
    listed = await client.list(CONFIGMAP, namespace)
    await client.create(configmap("w1", namespace))
    await client.patch(CONFIGMAP, "w1", {"data": {"k": "v"}}, namespace)
    await client.delete(CONFIGMAP, "w1", namespace)
    seen: list[WatchEvent] = []
    async for event in client.watch(
        CONFIGMAP, namespace, resource_version=listed.resource_version, timeout_seconds=2
    ):
        if event.type != "BOOKMARK":
            seen.append(event)
        if len(seen) == 3:
            break
    assert [e.type for e in seen] == ["ADDED", "MODIFIED", "DELETED"]
    assert all(e.object["kind"] == "ConfigMap" for e in seen)


async def test_watch_from_a_forgotten_version_is_gone(
    client: HttpKubeClient, namespace: str, control: Control
) -> None:
    listed = await client.list(CONFIGMAP, namespace)
    await client.create(
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": namespace}}
    )
    await control.compact()
    with pytest.raises(Gone) as gone:
        async for _ in client.watch(CONFIGMAP, namespace, resource_version=listed.resource_version):
            pass
    assert gone.value.code == 410
    assert "too old resource version" in gone.value.message
    await client.delete(SECRET, "s", namespace)


async def test_discovery_refreshes_for_a_new_crd(client: HttpKubeClient, crd: GroupVersionKind) -> None:
    info = await client.resource_for(crd)
    assert info.plural == "widgets"
    assert info.namespaced
    assert not info.builtin


def _crd_manifest(group: str) -> dict[str, Any]:
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"widgets.{group}"},
        "spec": {
            "group": group,
            "scope": "Namespaced",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {
                        "openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
                    },
                }
            ],
        },
    }


@pytest.fixture
async def crd(client: HttpKubeClient) -> GroupVersionKind:
    """A CRD created after the client has cached discovery."""
    await client.resources()
    group = f"g{uuid.uuid4().hex[:6]}.example.com"
    await client.create(_crd_manifest(group))
    return GroupVersionKind(group, "v1", "Widget")


async def test_legacy_discovery_finds_the_same_resources(client: HttpKubeClient) -> None:
    # A server without aggregated discovery: ask only for plain JSON.
    legacy = Discovery(lambda path, _accept: client.transport.request("GET", path, accept="application/json"))
    walked = {(r.gvk, r.plural, r.namespaced, r.subresources) for r in await legacy.resources()}
    aggregated = {(r.gvk, r.plural, r.namespaced, r.subresources) for r in await client.resources()}
    assert walked == aggregated
    assert legacy.refreshes == 1
    preferred = await legacy.resource_for(GroupKind("autoscaling", "HorizontalPodAutoscaler"))
    assert (
        preferred.gvk.version
        == (await client.resource_for(GroupKind("autoscaling", "HorizontalPodAutoscaler"))).gvk.version
    )
