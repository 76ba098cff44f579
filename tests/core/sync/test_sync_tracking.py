"""Argo CD's resource tracking: tracking ids, parsing, and which application manages an object."""

from __future__ import annotations

from typing import Any

import pytest

from fleetops.core.sync import (
    TrackingId,
    TrackingIdError,
    TrackingMethod,
    app_name_of,
    instance_name,
    is_managed_by,
    parse_tracking_id,
    tracking_id,
    with_tracking,
)

DEPLOYMENT = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}}
CONFIGMAP = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": "shop"}}
CLUSTER_ROLE = {
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "kind": "ClusterRole",
    "metadata": {"name": "reader"},
}


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        (DEPLOYMENT, "payments:apps/Deployment:shop/web"),
        (CONFIGMAP, "payments:/ConfigMap:shop/settings"),
        (CLUSTER_ROLE, "payments:rbac.authorization.k8s.io/ClusterRole:/reader"),
    ],
)
def test_tracking_id_round_trip(obj: dict[str, Any], expected: str) -> None:
    value = tracking_id("payments", obj)
    assert value == expected
    parsed = parse_tracking_id(value)
    assert str(parsed) == value
    assert parsed.app == "payments"


def test_parsed_fields() -> None:
    assert parse_tracking_id("argocd_guestbook:apps/Deployment:default/guestbook-ui") == TrackingId(
        "argocd_guestbook", "apps", "Deployment", "default", "guestbook-ui"
    )


@pytest.mark.parametrize(
    "value",
    [
        "",
        "app",
        "app:apps/Deployment",
        "app:Deployment:shop/web",
        "app:apps/Deployment:web",
        ":/ConfigMap:a/b",
        "a:b:c:d",
    ],
)
def test_malformed_tracking_ids(value: str) -> None:
    with pytest.raises(TrackingIdError):
        parse_tracking_id(value)


def test_managed_by_the_app_named_in_a_matching_tracking_id() -> None:
    tracked = with_tracking(DEPLOYMENT, "payments")
    assert tracked["metadata"]["annotations"] == {
        "argocd.argoproj.io/tracking-id": "payments:apps/Deployment:shop/web"
    }
    assert "annotations" not in DEPLOYMENT["metadata"]  # the input is not modified
    assert is_managed_by(tracked, "payments")
    assert not is_managed_by(tracked, "auth")
    assert app_name_of(DEPLOYMENT) is None


def test_a_copied_object_is_not_managed() -> None:
    copied = with_tracking(CONFIGMAP, "payments")
    copied["metadata"]["name"] = "settings-copy"
    assert app_name_of(copied) is None
    moved = with_tracking(CONFIGMAP, "payments")
    moved["metadata"]["namespace"] = "other"
    assert app_name_of(moved) is None


def test_a_malformed_annotation_means_unmanaged() -> None:
    obj = {
        **CONFIGMAP,
        "metadata": {**CONFIGMAP["metadata"], "annotations": {"argocd.argoproj.io/tracking-id": "x"}},
    }
    assert app_name_of(obj) is None


def test_label_tracking() -> None:
    labelled = with_tracking(DEPLOYMENT, "payments", method=TrackingMethod.LABEL)
    assert labelled["metadata"]["labels"] == {"app.kubernetes.io/instance": "payments"}
    assert is_managed_by(labelled, "payments", method=TrackingMethod.LABEL)
    assert not is_managed_by(labelled, "payments")  # no annotation
    both = with_tracking(DEPLOYMENT, "payments", method=TrackingMethod.ANNOTATION_AND_LABEL)
    assert is_managed_by(both, "payments") and is_managed_by(both, "payments", method=TrackingMethod.LABEL)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("web", "", ""), "web"),
        (("web", "argocd", "argocd"), "web"),
        (("web", "team-a", "argocd"), "team-a_web"),
    ],
)
def test_instance_name(args: tuple[str, str, str], expected: str) -> None:
    assert instance_name(*args) == expected
