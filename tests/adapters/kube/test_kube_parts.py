"""The adapter's pure parts: token bucket (fake clock), Status decoding, legacy discovery,
ExecCredential parsing, the cache's index; and the rate limit counted on real requests."""

from __future__ import annotations

import json
from typing import Any

import pytest
from kube_support import CONFIGMAP, Control, configmap

from fleetops.adapters.kube import ClusterConfig, HttpKubeClient, TokenBucket
from fleetops.adapters.kube.discovery import parse_resource_list
from fleetops.adapters.kube.exec_plugin import ExecPluginError, parse_exec_credential
from fleetops.adapters.kube.status import decode_error
from fleetops.adapters.kube.store import ELIDED_PREFIX, LAST_APPLIED, LAST_APPLIED_LIMIT, ObjectIndex, compact
from fleetops.model import GroupKind, ResourceKey
from fleetops.ports.kube import (
    TRACKING_ANNOTATION,
    AlreadyExists,
    ApiError,
    Conflict,
    Forbidden,
    Gone,
    NotFound,
)


class FakeClock:
    """Time moves only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


# ---------------------------------------------------------------- rate limiting


async def test_token_bucket_burst_then_qps() -> None:
    clock = FakeClock()
    bucket = TokenBucket(qps=4, burst=3, clock=clock)
    delays = [await bucket.acquire() for _ in range(7)]
    assert delays == [0, 0, 0, 0.25, 0.25, 0.25, 0.25]
    clock.now += 10  # idle: the bucket refills up to the burst only
    assert [await bucket.acquire() for _ in range(4)] == [0, 0, 0, 0.25]
    assert bucket.delayed == 5


async def test_unlimited_bucket_never_waits() -> None:
    clock = FakeClock()
    bucket = TokenBucket(qps=0, burst=1, clock=clock)
    assert [await bucket.acquire() for _ in range(50)] == [0.0] * 50
    assert clock.sleeps == []


async def test_client_requests_pass_the_rate_limit(
    config: ClusterConfig, namespace: str, control: Control
) -> None:
    clock = FakeClock()
    requests: list[tuple[str, str, int]] = []
    limited = ClusterConfig(server=config.server, ca_pem=config.ca_pem, token=config.token, qps=2, burst=3)
    async with HttpKubeClient(limited, clock=clock, observer=lambda *r: requests.append(r)) as client:
        for index in range(6):
            await client.create(configmap(f"rl-{index}", namespace), field_manager="rate-test")
    creates = [r for r in requests if r[0] == "POST"]
    assert len(creates) == 6
    limiter = client.transport.limiter
    assert limiter.acquired == len(requests)  # discovery included: every request takes a token
    assert limiter.delayed == len(requests) - 3
    assert clock.sleeps == [0.5] * (len(requests) - 3)  # one token per 1/qps seconds
    writes = [
        w for w in await control.writes() if w["field_manager"] == "rate-test" and w["namespace"] == namespace
    ]
    assert len(writes) == 6


# ---------------------------------------------------------------- Status decoding


def _status(code: int, reason: str, message: str, causes: list[dict[str, str]] | None = None) -> bytes:
    body: dict[str, Any] = {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": code}
    body |= {"reason": reason, "message": message, "details": {"causes": causes or []}}
    return json.dumps(body).encode()


@pytest.mark.parametrize(
    ("code", "reason", "expected"),
    [
        (404, "NotFound", NotFound),
        (409, "AlreadyExists", AlreadyExists),
        (409, "Conflict", Conflict),
        (403, "Forbidden", Forbidden),
        (410, "Expired", Gone),
        (418, "Teapot", ApiError),
    ],
)
def test_status_decoding(code: int, reason: str, expected: type[ApiError]) -> None:
    error = decode_error(code, _status(code, reason, "m"))
    assert type(error) is expected
    assert (error.code, error.reason, error.message) == (code, reason, "m")


def test_conflict_causes_name_the_manager_and_field() -> None:
    causes = [
        {
            "reason": "FieldManagerConflict",
            "message": 'conflict with "kubectl" using apps/v1',
            "field": ".spec.replicas",
        }
    ]
    error = decode_error(409, _status(409, "Conflict", "Apply failed with 1 conflict", causes))
    assert isinstance(error, Conflict)
    [conflict] = error.field_conflicts
    assert (conflict.manager, conflict.field) == ("kubectl", ".spec.replicas")


def test_non_status_bodies_keep_their_text() -> None:
    error = decode_error(502, b"<html>bad gateway</html>")
    assert type(error) is ApiError
    assert error.code == 502
    assert "bad gateway" in error.message


# ---------------------------------------------------------------- discovery and exec output


def test_legacy_resource_list() -> None:
    document = {
        "kind": "APIResourceList",
        "groupVersion": "apps/v1",
        "resources": [
            {
                "name": "deployments",
                "singularName": "deployment",
                "namespaced": True,
                "kind": "Deployment",
                "verbs": ["get", "list", "watch"],
                "shortNames": ["deploy"],
            },
            {
                "name": "deployments/scale",
                "singularName": "",
                "namespaced": True,
                "group": "autoscaling",
                "version": "v1",
                "kind": "Scale",
                "verbs": ["get", "patch"],
            },
            {
                "name": "deployments/status",
                "singularName": "",
                "namespaced": True,
                "kind": "Deployment",
                "verbs": ["get"],
            },
        ],
    }
    [info] = parse_resource_list(document)
    assert (info.gvk.group, info.gvk.version, info.gvk.kind, info.plural) == (
        "apps",
        "v1",
        "Deployment",
        "deployments",
    )
    assert info.subresources == ("scale", "status")
    scale = info.subresource("scale")
    assert scale is not None
    assert scale.kind is not None
    assert scale.kind.group == "autoscaling"
    assert info.short_names == ("deploy",)


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("not json", "no JSON"),
        ('{"kind": "Other"}', "not an ExecCredential"),
        (
            '{"kind": "ExecCredential", "apiVersion": "V1beta1", "status": {"token": "t"}}',
            "expected",
        ),
        (
            '{"kind": "ExecCredential", "apiVersion": "V1", "status": {}}',
            "neither",
        ),
        (
            '{"kind": "ExecCredential", "apiVersion": "V1", "status": {"clientCertificateData": "c"}}',
            "both",
        ),
    ],
)
def test_exec_credential_errors(output: str, message: str) -> None:
    output = output.replace("V1", "client.authentication.k8s.io/v1")
    with pytest.raises(ExecPluginError, match=message):
        parse_exec_credential(output, api_version="client.authentication.k8s.io/v1")


# ---------------------------------------------------------------- the cache's index


def _cm(name: str, rv: str, *, app: str | None = None, owner: str | None = None) -> dict[str, Any]:
    obj = configmap(name, "ns", resourceVersion=rv)
    if app:
        obj["metadata"]["annotations"] = {TRACKING_ANNOTATION: f"{app}:/ConfigMap:ns/{name}"}
    if owner:
        obj["metadata"]["ownerReferences"] = [{"uid": owner, "kind": "X", "name": "x", "apiVersion": "v1"}]
    return obj


def test_relist_diff_finds_what_the_watch_missed() -> None:
    index = ObjectIndex()
    kind = GroupKind("", "ConfigMap")
    first = index.replace_kind(kind, [_cm("a", "1", app="shop"), _cm("b", "2"), _cm("c", "3", owner="u1")])
    assert [change.type for change in first] == ["ADDED"] * 3
    second = index.replace_kind(kind, [_cm("a", "1", app="shop"), _cm("b", "5", app="shop")])
    assert [(c.type, c.key.name) for c in second] == [("MODIFIED", "b"), ("DELETED", "c")]
    assert [o["metadata"]["name"] for o in index.of_app("shop")] == ["a", "b"]
    assert index.owned_by("u1") == []
    assert index.upsert(_cm("a", "1", app="shop")) is None  # same resourceVersion: no change
    assert len(index) == 2
    assert index.get(ResourceKey("", "ConfigMap", "ns", "b")) is not None
    assert CONFIGMAP.kind == "ConfigMap"


def test_only_a_huge_last_applied_annotation_is_elided() -> None:
    small = _cm("s", "1")
    small["metadata"]["annotations"] = {LAST_APPLIED: "{}"}
    assert compact(small) is small
    huge = _cm("h", "1")
    huge["metadata"]["managedFields"] = [{"manager": "kubectl", "operation": "Apply"}]
    huge["metadata"]["annotations"] = {LAST_APPLIED: "x" * (LAST_APPLIED_LIMIT + 1), "keep": "me"}
    compacted = compact(huge)
    annotations = compacted["metadata"]["annotations"]
    assert annotations[LAST_APPLIED].startswith(ELIDED_PREFIX)
    assert annotations["keep"] == "me"
    assert compacted["metadata"]["managedFields"] == huge["metadata"]["managedFields"]
    assert len(huge["metadata"]["annotations"][LAST_APPLIED]) == LAST_APPLIED_LIMIT + 1  # input untouched
