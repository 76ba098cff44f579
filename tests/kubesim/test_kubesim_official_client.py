"""The official `kubernetes` Python client against kubesim."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from kubernetes import client, dynamic, watch
from kubernetes.client.rest import ApiException
from tests.support.kubesim_clients import Kubectl, RawApi


def _config_map(name: str, **data: str) -> client.V1ConfigMap:
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name), data=data)


def test_stale_resource_version_is_409(api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    created = core.create_namespaced_config_map(namespace, _config_map("stale", a="1"))
    first = created.metadata.resource_version
    created.data = {"a": "2"}
    core.replace_namespaced_config_map("stale", namespace, created)
    created.metadata.resource_version = first
    created.data = {"a": "3"}
    with pytest.raises(ApiException) as raised:
        core.replace_namespaced_config_map("stale", namespace, created)
    assert raised.value.status == 409
    assert "the object has been modified; please apply your changes to the latest version and try again" in (
        raised.value.body
    )


def test_list_then_watch_from_its_resource_version(api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    core.create_namespaced_config_map(namespace, _config_map("before"))
    listed = core.list_namespaced_config_map(namespace)
    assert "before" in {item.metadata.name for item in listed.items}
    core.create_namespaced_config_map(namespace, _config_map("after"))
    core.delete_namespaced_config_map("before", namespace)
    events = []
    for event in watch.Watch().stream(
        core.list_namespaced_config_map,
        namespace,
        resource_version=listed.metadata.resource_version,
        timeout_seconds=2,
    ):
        events.append((event["type"], event["object"].metadata.name))
        if len(events) == 2:
            break
    assert events == [("ADDED", "after"), ("DELETED", "before")]


def test_watch_from_a_very_old_version_gets_410(api_client: Any, namespace: str, raw_api: RawApi) -> None:
    core = client.CoreV1Api(api_client)
    old = core.list_namespaced_config_map(namespace).metadata.resource_version
    for index in range(210):  # the test cluster keeps a window of 200 events
        core.create_namespaced_config_map(namespace, _config_map(f"churn-{index}"))
    stream = core.list_namespaced_config_map(
        namespace, watch=True, resource_version=old, timeout_seconds=2, _preload_content=False
    )
    line = next(stream.stream()).decode()
    stream.release_conn()
    assert '"type": "ERROR"' in line
    assert '"code": 410' in line and '"reason": "Expired"' in line
    assert f"too old resource version: {old}" in line


def test_paging_with_limit_and_continue(api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    for index in range(5):
        core.create_namespaced_config_map(namespace, _config_map(f"page-{index}"))
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        page = core.list_namespaced_config_map(namespace, limit=2, _continue=token, label_selector="")
        seen.extend(item.metadata.name for item in page.items)
        pages += 1
        token = page.metadata._continue
        if not token:
            break
        assert page.metadata.remaining_item_count is not None
    assert sorted(seen) == sorted([f"page-{i}" for i in range(5)] + ["kube-root-ca.crt"])
    assert pages == 3


def test_dry_run_creates_nothing(api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    created = core.create_namespaced_config_map(namespace, _config_map("dry"), dry_run="All")
    assert created.metadata.name == "dry" and created.metadata.uid
    with pytest.raises(ApiException) as raised:
        core.read_namespaced_config_map("dry", namespace)
    assert raised.value.status == 404


def test_dynamic_server_side_apply_with_force(api_client: Any, namespace: str) -> None:
    dyn = dynamic.DynamicClient(api_client)
    config_maps = dyn.resources.get(api_version="v1", kind="ConfigMap")
    body = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "ssa", "namespace": namespace},
        "data": {"k": "one"},
    }
    config_maps.server_side_apply(body=body, field_manager="first", namespace=namespace)
    body["data"] = {"k": "two"}
    with pytest.raises(ApiException) as raised:
        config_maps.server_side_apply(body=body, field_manager="second", namespace=namespace)
    assert raised.value.status == 409
    applied = config_maps.server_side_apply(
        body=body, field_manager="second", namespace=namespace, force_conflicts=True
    )
    assert applied.data.k == "two"
    managers = [entry.manager for entry in applied.metadata.managedFields]
    assert managers == ["second"]


def test_scale_patch(api_client: Any, namespace: str, kube: Kubectl) -> None:
    kube.ok(
        "apply",
        "-n",
        namespace,
        "-f",
        "-",
        stdin=(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: scaled}\nspec:\n  replicas: 1\n"
            "  selector: {matchLabels: {app: s}}\n  template:\n    metadata: {labels: {app: s}}\n"
            "    spec: {containers: [{name: c, image: busybox:1.36}]}\n"
        ),
    )
    apps = client.AppsV1Api(api_client)
    scale = apps.patch_namespaced_deployment_scale("scaled", namespace, {"spec": {"replicas": 4}})
    assert scale.spec.replicas == 4
    assert scale.status.selector == "app=s"
    assert apps.read_namespaced_deployment("scaled", namespace).spec.replicas == 4


def test_foreground_delete(api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    owner = core.create_namespaced_config_map(namespace, _config_map("fg-owner"))
    dependent = _config_map("fg-child")
    dependent.metadata.owner_references = [
        client.V1OwnerReference(
            api_version="v1",
            kind="ConfigMap",
            name="fg-owner",
            uid=owner.metadata.uid,
            block_owner_deletion=True,
        )
    ]
    core.create_namespaced_config_map(namespace, dependent)
    core.delete_namespaced_config_map(
        "fg-owner", namespace, body=client.V1DeleteOptions(propagation_policy="Foreground")
    )
    for name in ("fg-owner", "fg-child"):
        for _ in watch.Watch().stream(
            core.list_namespaced_config_map,
            namespace,
            field_selector=f"metadata.name={name}",
            timeout_seconds=1,
        ):
            pass
        with pytest.raises(ApiException) as raised:
            core.read_namespaced_config_map(name, namespace)
        assert raised.value.status == 404


def test_label_and_field_selectors(api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    for name, tier in (("s1", "web"), ("s2", "db"), ("s3", "web")):
        body = _config_map(name)
        body.metadata.labels = {"tier": tier}
        core.create_namespaced_config_map(namespace, body)
    web = core.list_namespaced_config_map(namespace, label_selector="tier in (web)")
    assert [i.metadata.name for i in web.items] == ["s1", "s3"]
    not_web = core.list_namespaced_config_map(namespace, label_selector="tier,tier!=web")
    assert [i.metadata.name for i in not_web.items] == ["s2"]
    named = core.list_namespaced_config_map(namespace, field_selector="metadata.name=s3")
    assert [i.metadata.name for i in named.items] == ["s3"]
    with pytest.raises(ApiException) as raised:
        core.list_namespaced_config_map(namespace, field_selector="spec.nothing=x")
    assert raised.value.status == 400


def test_token_request_issues_a_working_token(api_client: Any, namespace: str, raw_api: RawApi) -> None:
    core = client.CoreV1Api(api_client)
    request = client.AuthenticationV1TokenRequest(spec=client.V1TokenRequestSpec(audiences=["api"]))
    issued = core.create_namespaced_service_account_token("default", namespace, request)
    status, body = raw_api.request(
        "POST",
        "/apis/authentication.k8s.io/v1/selfsubjectreviews",
        b'{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}',
        token=issued.status.token,
    )
    assert status == 201
    assert body["status"]["userInfo"]["username"] == f"system:serviceaccount:{namespace}:default"


def test_unauthenticated_requests_are_401(raw_api: RawApi) -> None:
    status, body = raw_api.request("GET", "/api/v1/namespaces", token=None)
    assert status == 401
    assert body["reason"] == "Unauthorized"
    status, _ = raw_api.request("GET", "/api/v1/namespaces", token=uuid.uuid4().hex)
    assert status == 401
