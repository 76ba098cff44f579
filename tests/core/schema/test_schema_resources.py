"""Resources of built-in kinds: plural, singular, scope, verbs, subresources, short names."""

from __future__ import annotations

import pytest

from fleetops.core.schema import KubeSchema, by_preference, load_schema
from fleetops.model import GroupKind, GroupVersionKind, GroupVersionResource

DEPLOYMENT = GroupVersionKind("apps", "v1", "Deployment")


@pytest.fixture(scope="module", params=["1.25", "1.32", "1.37"])
def schema(request: pytest.FixtureRequest) -> KubeSchema:
    return load_schema(request.param)


def test_deployments_are_namespaced_with_status_and_scale(schema: KubeSchema) -> None:
    info = schema.resource_for_kind(DEPLOYMENT)
    assert info is not None
    assert (info.plural, info.singular, info.namespaced) == ("deployments", "deployment", True)
    assert info.verbs == ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
    assert info.subresources == ("scale", "status")
    assert info.short_names == ("deploy",)
    assert info.categories == ("all",)
    assert info.builtin
    scale = info.subresource("scale")
    assert scale is not None
    assert scale.kind == GroupVersionKind("autoscaling", "v1", "Scale")
    assert scale.verbs == ("get", "patch", "update")
    assert info.gvr == GroupVersionResource("apps", "v1", "deployments")
    assert schema.resource_for(info.gvr) is info


@pytest.mark.parametrize(
    ("gvk", "plural", "namespaced", "short_names"),
    [
        (GroupVersionKind("", "v1", "Namespace"), "namespaces", False, ("ns",)),
        (GroupVersionKind("", "v1", "Node"), "nodes", False, ("no",)),
        (GroupVersionKind("rbac.authorization.k8s.io", "v1", "ClusterRole"), "clusterroles", False, ()),
        (GroupVersionKind("rbac.authorization.k8s.io", "v1", "Role"), "roles", True, ()),
        (GroupVersionKind("", "v1", "Pod"), "pods", True, ("po",)),
        (GroupVersionKind("", "v1", "Service"), "services", True, ("svc",)),
        (GroupVersionKind("", "v1", "ConfigMap"), "configmaps", True, ("cm",)),
        (GroupVersionKind("", "v1", "ServiceAccount"), "serviceaccounts", True, ("sa",)),
        (GroupVersionKind("apiextensions.k8s.io", "v1", "CustomResourceDefinition"),
         "customresourcedefinitions", False, ("crd", "crds")),
        (GroupVersionKind("networking.k8s.io", "v1", "Ingress"), "ingresses", True, ("ing",)),
    ],
)
def test_scope_plural_and_short_names(
    schema: KubeSchema, gvk: GroupVersionKind, plural: str, namespaced: bool, short_names: tuple[str, ...]
) -> None:
    info = schema.resource_for_kind(gvk)
    assert info is not None
    assert info.plural == plural
    assert info.singular == gvk.kind.lower()
    assert info.namespaced is namespaced
    assert info.short_names == short_names


def test_namespaces_cannot_be_deleted_as_a_collection(schema: KubeSchema) -> None:
    info = schema.resource_for_kind(GroupVersionKind("", "v1", "Namespace"))
    assert info is not None
    assert "deletecollection" not in info.verbs
    assert {"finalize", "status"} <= set(info.subresources)


def test_pods_have_their_connect_subresources(schema: KubeSchema) -> None:
    info = schema.resource_for_kind(GroupVersionKind("", "v1", "Pod"))
    assert info is not None
    assert {"status", "log", "exec", "eviction", "binding", "portforward"} <= set(info.subresources)
    log = info.subresource("log")
    assert log is not None
    assert log.kind is None


def test_create_only_review_kinds() -> None:
    review = GroupVersionKind("authentication.k8s.io", "v1", "TokenReview")
    info = load_schema("1.37").resource_for_kind(review)
    assert info is not None
    assert info.verbs == ("create",)
    assert not info.namespaced


def test_resources_are_restricted_to_the_version() -> None:
    older = {info.gvk for info in load_schema("1.25").resources()}
    newer = {info.gvk for info in load_schema("1.37").resources()}
    assert GroupVersionKind("resource.k8s.io", "v1", "ResourceClaim") in newer - older
    assert all(gvk in load_schema("1.25").kinds() for gvk in older)


def test_retired_versions_borrow_the_resource_of_their_group_kind() -> None:
    gvk = GroupVersionKind("autoscaling", "v2beta2", "HorizontalPodAutoscaler")
    hpa = load_schema("1.25").resource_for_kind(gvk)
    assert hpa is not None
    assert hpa.gvk == gvk
    assert (hpa.plural, hpa.namespaced, hpa.short_names) == ("horizontalpodautoscalers", True, ("hpa",))
    assert hpa.subresources == ("status",)


def test_non_resource_kinds_have_no_resource() -> None:
    schema = load_schema("1.37")
    assert schema.node_for(GroupVersionKind("", "v1", "Status")) is not None
    assert schema.resource_for_kind(GroupVersionKind("", "v1", "Status")) is None
    assert schema.resource_for_kind(GroupVersionKind("apps", "v1", "DeploymentList")) is None


def test_category_all() -> None:
    in_all = {info.plural for info in load_schema("1.37").resources() if "all" in info.categories}
    assert in_all == {
        "pods", "services", "replicationcontrollers", "deployments", "replicasets", "statefulsets",
        "daemonsets", "jobs", "cronjobs", "horizontalpodautoscalers",
    }


def test_component_statuses_cannot_be_watched() -> None:
    info = load_schema("1.37").resource_for_kind(GroupVersionKind("", "v1", "ComponentStatus"))
    assert info is not None
    assert info.verbs == ("get", "list")


@pytest.mark.parametrize(
    ("group_kind", "version", "namespaced"),
    [
        (GroupKind("autoscaling", "HorizontalPodAutoscaler"), "v2", True),
        (GroupKind("apps", "Deployment"), "v1", True),
        (GroupKind("", "Namespace"), "v1", False),
        (GroupKind("rbac.authorization.k8s.io", "ClusterRoleBinding"), "v1", False),
        (GroupKind("resource.k8s.io", "DeviceClass"), "v1", False),
    ],
)
def test_preferred_resource_of_a_group_kind(group_kind: GroupKind, version: str, namespaced: bool) -> None:
    schema = load_schema("1.37")
    info = schema.resource_for_group_kind(group_kind)
    assert info is not None
    assert info.gvk.version == version
    assert schema.is_namespaced(group_kind) is namespaced


def test_unknown_group_kind_has_no_scope() -> None:
    assert load_schema("1.37").is_namespaced(GroupKind("example.com", "Widget")) is None


def test_versions_by_preference() -> None:
    versions = ["v1alpha1", "v1", "v2beta2", "v1beta1", "v2", "next", "v1beta2"]
    assert by_preference(versions) == ["v2", "v1", "v2beta2", "v1beta2", "v1beta1", "v1alpha1", "next"]
