"""The status subresource splits writes; watch bookmarks, timeouts and selectors; deletecollection."""

from __future__ import annotations

import json
from typing import Any

from kubernetes import client
from tests.support.kubesim_clients import Kubectl, RawApi

DEPLOYMENT = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: st}\nspec:\n  replicas: 1\n"
    "  selector: {matchLabels: {app: st}}\n  template:\n    metadata: {labels: {app: st}}\n"
    "    spec: {containers: [{name: c, image: busybox:1.36}]}\n"
)


def test_status_subresource_splits_writes(api_client: Any, namespace: str, kube: Kubectl) -> None:
    kube.ok("apply", "-n", namespace, "-f", "-", stdin=DEPLOYMENT)
    apps = client.AppsV1Api(api_client)
    patched = apps.patch_namespaced_deployment_status(
        "st", namespace, {"status": {"observedGeneration": 7}, "spec": {"replicas": 9}}
    )
    assert patched.status.observed_generation == 7
    assert patched.spec.replicas == 1
    main = apps.patch_namespaced_deployment("st", namespace, {"status": {"observedGeneration": 1}})
    assert main.status.observed_generation == 7
    live = kube.json("get", "-n", namespace, "deployment", "st", "--show-managed-fields")
    status_entries = [e for e in live["metadata"]["managedFields"] if e.get("subresource") == "status"]
    assert status_entries and status_entries[0]["fieldsV1"]["f:status"]["f:observedGeneration"] == {}


def _watch_lines(raw_api: RawApi, query: str) -> list[dict[str, Any]]:
    import ssl  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415

    cluster = raw_api.cluster
    request = urllib.request.Request(
        f"{cluster.url}/api/v1/namespaces/{query}", headers={"Authorization": f"Bearer {cluster.token}"}
    )
    context = ssl.create_default_context(cadata=cluster.ca_pem.decode())
    with urllib.request.urlopen(request, context=context, timeout=30) as response:
        return [json.loads(line) for line in response.read().splitlines() if line.strip()]


def test_watch_ends_after_timeout_seconds_with_bookmarks(raw_api: RawApi, namespace: str) -> None:
    events = _watch_lines(
        raw_api, f"{namespace}/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=2"
    )
    assert events[0]["type"] == "ADDED" and events[0]["object"]["metadata"]["name"] == "kube-root-ca.crt"
    bookmarks = [e for e in events if e["type"] == "BOOKMARK"]
    assert bookmarks and bookmarks[0]["object"]["metadata"]["resourceVersion"].isdigit()


def test_watch_list_ends_initial_events_with_a_bookmark(raw_api: RawApi, namespace: str) -> None:
    events = _watch_lines(
        raw_api,
        f"{namespace}/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
        "&allowWatchBookmarks=true&timeoutSeconds=1",
    )
    assert events[0]["type"] == "ADDED"
    assert events[1]["type"] == "BOOKMARK"
    assert events[1]["object"]["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}


def test_delete_collection_by_label(raw_api: RawApi, namespace: str) -> None:
    base = f"/api/v1/namespaces/{namespace}/configmaps"
    for name, tier in (("d1", "x"), ("d2", "x"), ("d3", "y")):
        body = {"metadata": {"name": name, "labels": {"tier": tier}}}
        assert raw_api.request("POST", base, json.dumps(body).encode())[0] == 201
    status, reply = raw_api.request("DELETE", f"{base}?labelSelector=tier%3Dx")
    assert status == 200 and reply["kind"] == "ConfigMapList"
    assert sorted(item["metadata"]["name"] for item in reply["items"]) == ["d1", "d2"]
    _, left = raw_api.request("GET", f"{base}?labelSelector=tier")
    assert [item["metadata"]["name"] for item in left["items"]] == ["d3"]
