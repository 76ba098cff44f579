"""GVK/GVR helpers, ResourceKey and the manifest accessors."""

from __future__ import annotations

import yaml

from fleetops.model import GroupKind, GroupVersionKind, GroupVersionResource, ResourceKey
from fleetops.model import manifest as manifests

DEPLOYMENT = yaml.safe_load(
    """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
  annotations: {note: hi}
"""
)
NAMESPACE = yaml.safe_load("{apiVersion: v1, kind: Namespace, metadata: {name: shop}}")


def test_gvk_from_api_version() -> None:
    gvk = GroupVersionKind.from_api_version("apps/v1", "Deployment")
    assert gvk == GroupVersionKind("apps", "v1", "Deployment")
    assert gvk.api_version == "apps/v1"
    assert gvk.group_kind == GroupKind("apps", "Deployment")


def test_core_group_has_no_prefix() -> None:
    gvk = GroupVersionKind.from_api_version("v1", "Pod")
    assert gvk.group == ""
    assert gvk.api_version == "v1"
    assert GroupVersionResource("", "v1", "pods").api_version == "v1"
    assert str(GroupKind("", "Pod")) == "Pod"
    assert str(GroupKind("apps", "Deployment")) == "Deployment.apps"


def test_resource_key_of_manifest() -> None:
    key = ResourceKey.of(DEPLOYMENT)
    assert key == ResourceKey("apps", "Deployment", "shop", "web")
    assert str(key) == "apps/Deployment/shop/web"
    assert ResourceKey.of(NAMESPACE) == ResourceKey("", "Namespace", "", "shop")


def test_resource_keys_are_ordered_and_hashable() -> None:
    keys = [ResourceKey("apps", "Deployment", "b", "x"), ResourceKey("", "Pod", "a", "y")]
    assert sorted(keys)[0].kind == "Pod"
    assert len({*keys, ResourceKey.of(DEPLOYMENT), ResourceKey.of(DEPLOYMENT)}) == 3


def test_manifest_accessors() -> None:
    assert manifests.api_version(DEPLOYMENT) == "apps/v1"
    assert manifests.kind(DEPLOYMENT) == "Deployment"
    assert manifests.name(DEPLOYMENT) == "web"
    assert manifests.namespace(DEPLOYMENT) == "shop"
    assert manifests.labels(DEPLOYMENT) == {"app": "web"}
    assert manifests.annotations(DEPLOYMENT) == {"note": "hi"}
    assert manifests.gvk(DEPLOYMENT) == GroupVersionKind("apps", "v1", "Deployment")


def test_accessors_tolerate_missing_fields_and_do_not_alias() -> None:
    empty: manifests.Manifest = {}
    assert manifests.name(empty) == ""
    assert manifests.namespace(NAMESPACE) == ""
    assert manifests.labels(empty) == {}
    manifests.labels(DEPLOYMENT)["app"] = "changed"
    assert DEPLOYMENT["metadata"]["labels"] == {"app": "web"}
