"""Bad input gets the status codes and reasons a real API server returns, and kubesim keeps serving."""

from __future__ import annotations

import json
import time

import pytest
from tests.support.kubesim_clients import RawApi

CONFIG_MAPS = "/api/v1/namespaces/default/configmaps"


def _config_map(name: str, **extra: object) -> bytes:
    return json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, **extra}).encode()


def test_malformed_json_is_400(raw_api: RawApi) -> None:
    status, body = raw_api.request("POST", CONFIG_MAPS, b'{"apiVersion": "v1", "kind": ')
    assert (status, body["reason"], body["kind"]) == (400, "BadRequest", "Status")


def test_malformed_yaml_is_400(raw_api: RawApi) -> None:
    status, body = raw_api.request("POST", CONFIG_MAPS, b"kind: [unclosed\n", content_type="application/yaml")
    assert (status, body["reason"]) == (400, "BadRequest")
    assert body["message"].startswith("error converting YAML to JSON")


def test_yaml_bodies_are_accepted(raw_api: RawApi) -> None:
    status, body = raw_api.request(
        "POST",
        CONFIG_MAPS,
        b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: y1}\n",
        content_type="application/yaml",
    )
    assert status == 201 and body["metadata"]["name"] == "y1"


def test_wrong_api_version_for_the_url_is_400(raw_api: RawApi) -> None:
    body = json.dumps({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"}}).encode()
    status, reply = raw_api.request("POST", CONFIG_MAPS, body)
    assert (status, reply["reason"]) == (400, "BadRequest")
    assert reply["message"] == (
        "the API version in the data (apps/v1) does not match the expected API version (v1)"
    )


def test_wrong_kind_for_the_url_is_400(raw_api: RawApi) -> None:
    body = json.dumps({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}}).encode()
    status, reply = raw_api.request("POST", CONFIG_MAPS, body)
    assert (status, reply["reason"]) == (400, "BadRequest")


@pytest.mark.parametrize("name", ["Upper", "under_score", "-leading", "a" * 254])
def test_names_that_are_not_dns_1123_are_422(raw_api: RawApi, name: str) -> None:
    status, reply = raw_api.request("POST", CONFIG_MAPS, _config_map(name))
    assert (status, reply["reason"]) == (422, "Invalid")
    assert reply["message"].startswith(
        f'ConfigMap "{name}" is invalid: metadata.name: Invalid value: "{name}"'
    )
    assert reply["details"]["causes"][0]["field"] == "metadata.name"


def test_namespace_names_must_be_dns_labels(raw_api: RawApi) -> None:
    body = json.dumps({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "has.dot"}}).encode()
    status, reply = raw_api.request("POST", "/api/v1/namespaces", body)
    assert status == 422
    assert "a lowercase RFC 1123 label must consist of" in reply["message"]


def test_missing_name_is_422(raw_api: RawApi) -> None:
    status, reply = raw_api.request("POST", CONFIG_MAPS, json.dumps({"metadata": {}}).encode())
    assert status == 422
    assert "metadata.name: Required value: name or generateName is required" in reply["message"]


def test_generate_name_gets_a_five_character_suffix(raw_api: RawApi) -> None:
    body = json.dumps(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "gen-"}}
    ).encode()
    status, reply = raw_api.request("POST", CONFIG_MAPS, body)
    assert status == 201
    name = reply["metadata"]["name"]
    assert name.startswith("gen-") and len(name) == len("gen-") + 5


def test_object_over_one_and_a_half_mib_is_500_from_etcd(raw_api: RawApi) -> None:
    container = {"name": "c", "image": "busybox", "args": ["x" * (1600 * 1024)]}
    body = json.dumps(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "big"},
            "spec": {
                "selector": {"matchLabels": {"a": "b"}},
                "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [container]}},
            },
        }
    ).encode()
    status, reply = raw_api.request("POST", "/apis/apps/v1/namespaces/default/deployments", body)
    assert status == 500
    assert reply["message"] == "etcdserver: request is too large"
    assert "reason" not in reply


def test_config_map_data_over_one_mib_is_422(raw_api: RawApi) -> None:
    status, reply = raw_api.request(
        "POST", CONFIG_MAPS, _config_map("mib", data={"a": "x" * (1024 * 1024 + 1)})
    )
    assert (status, reply["reason"]) == (422, "Invalid")
    assert "Too long" in reply["message"]


def test_request_over_three_mib_is_413(raw_api: RawApi) -> None:
    status, reply = raw_api.request(
        "POST", CONFIG_MAPS, _config_map("huge", data={"a": "x" * (3 * 1024 * 1024)})
    )
    assert (status, reply["reason"]) == (413, "RequestEntityTooLarge")


def test_already_exists_and_not_found(raw_api: RawApi) -> None:
    assert raw_api.request("POST", CONFIG_MAPS, _config_map("twice"))[0] == 201
    status, reply = raw_api.request("POST", CONFIG_MAPS, _config_map("twice"))
    assert (status, reply["reason"], reply["message"]) == (
        409,
        "AlreadyExists",
        'configmaps "twice" already exists',
    )
    status, reply = raw_api.request("GET", "/apis/apps/v1/namespaces/default/deployments/nope")
    assert (status, reply["reason"], reply["message"]) == (
        404,
        "NotFound",
        'deployments.apps "nope" not found',
    )
    assert reply["details"] == {"name": "nope", "group": "apps", "kind": "deployments"}


def test_unsupported_patch_type_is_415(raw_api: RawApi) -> None:
    raw_api.request("POST", CONFIG_MAPS, _config_map("patchme"))
    status, reply = raw_api.request("PATCH", f"{CONFIG_MAPS}/patchme", b"{}", content_type="text/plain")
    assert (status, reply["reason"]) == (415, "UnsupportedMediaType")


def test_openapi_v2_is_404_and_v3_is_served(raw_api: RawApi) -> None:
    assert raw_api.request("GET", "/openapi/v2")[0] == 404
    status, root = raw_api.request("GET", "/openapi/v3")
    assert status == 200 and "apis/apps/v1" in root["paths"]


def test_the_server_keeps_serving_after_bad_input(raw_api: RawApi) -> None:
    for body in (b"\xff\xfe", b"[]", b"null", b'"text"'):
        status, _ = raw_api.request("POST", CONFIG_MAPS, body)
        assert 400 <= status < 500
    status, reply = raw_api.request("GET", "/api/v1/namespaces/default")
    assert status == 200 and reply["metadata"]["name"] == "default"


def test_wrong_kind_for_a_custom_resource_url_is_422(raw_api: RawApi) -> None:
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "noxus.mygroup.example.com"},
        "spec": {
            "group": "mygroup.example.com",
            "scope": "Namespaced",
            "names": {"plural": "noxus", "kind": "WishIHadChosenNoxu"},
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
    assert (
        raw_api.request(
            "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json.dumps(crd).encode()
        )[0]
        == 201
    )
    path = "/apis/mygroup.example.com/v1/namespaces/default/noxus"
    while raw_api.request("GET", path)[0] != 200:  # until the CRD controller serves the new kind
        time.sleep(0.01)
    body = {"apiVersion": "mygroup.example.com/v1", "kind": "SomethingElse", "metadata": {"name": "foo"}}
    status, reply = raw_api.request("POST", path, json.dumps(body).encode())
    assert status == 422
    assert reply["message"] == (
        'SomethingElse.mygroup.example.com "foo" is invalid: kind: Invalid value: "SomethingElse": '
        "must be WishIHadChosenNoxu"
    )
