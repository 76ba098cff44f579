"""Patch and merge metadata of built-in kinds, looked up by GVK and field path."""

from __future__ import annotations

import pytest

import fleetops.core.schema as schema_package
from fleetops.core.schema import KubeSchema, UnknownSchemaVersionError, available_versions, load_schema
from fleetops.model import GroupVersionKind

DEPLOYMENT = GroupVersionKind("apps", "v1", "Deployment")
SERVICE = GroupVersionKind("", "v1", "Service")
POD_SPEC = ("spec", "template", "spec")


@pytest.fixture(scope="module", params=["1.25", "1.32", "1.37"])
def schema(request: pytest.FixtureRequest) -> KubeSchema:
    return load_schema(request.param)


def test_every_shipped_version_loads() -> None:
    versions = available_versions()
    assert versions[0] == "1.25"
    assert "1.32" in versions
    assert versions[-1] == "1.37"


def test_default_version_is_1_32() -> None:
    assert load_schema().version == "1.32"


def test_loading_is_cached_and_accepts_patch_versions() -> None:
    assert load_schema("v1.32.4") is load_schema("1.32")


def test_unknown_version_is_a_typed_error() -> None:
    with pytest.raises(UnknownSchemaVersionError, match=r"1\.99"):
        load_schema("1.99")


def test_containers_merge_by_name(schema: KubeSchema) -> None:
    containers = schema.node_at(DEPLOYMENT, (*POD_SPEC, "containers"))
    assert containers is not None
    assert containers.type == "array"
    assert containers.patch_merge_key == "name"
    assert containers.patch_strategy == frozenset({"merge"})
    assert containers.items is not None
    assert containers.items.ref_name == "io.k8s.api.core.v1.Container"


def test_container_ports_are_a_list_map(schema: KubeSchema) -> None:
    ports = schema.node_at(DEPLOYMENT, (*POD_SPEC, "containers", "[]", "ports"))
    assert ports is not None
    assert ports.list_type == "map"
    assert ports.list_map_keys == ("containerPort", "protocol")
    assert ports.patch_merge_key == "containerPort"


def test_tolerations_are_atomic(schema: KubeSchema) -> None:
    tolerations = schema.node_at(DEPLOYMENT, (*POD_SPEC, "tolerations"))
    assert tolerations is not None
    # 1.25 leaves the list type unset (atomic by default); later versions spell it out.
    assert tolerations.list_type == (None if schema.version == "1.25" else "atomic")
    assert tolerations.patch_merge_key is None
    assert tolerations.patch_strategy == frozenset()


def test_finalizers_merge_as_a_set(schema: KubeSchema) -> None:
    finalizers = schema.node_at(DEPLOYMENT, ("metadata", "finalizers"))
    assert finalizers is not None
    assert finalizers.patch_strategy == frozenset({"merge"})
    assert finalizers.items is not None
    assert finalizers.items.type == "string"


def test_labels_are_a_string_map(schema: KubeSchema) -> None:
    labels = schema.node_at(DEPLOYMENT, ("metadata", "labels"))
    assert labels is not None
    assert labels.type == "object"
    assert labels.properties == ()
    assert labels.additional_properties is not None
    assert labels.additional_properties.type == "string"
    value = schema.node_at(DEPLOYMENT, ("metadata", "labels", "app"))
    assert value is not None
    assert value.type == "string"


def test_service_ports_merge_by_port(schema: KubeSchema) -> None:
    ports = schema.node_at(SERVICE, ("spec", "ports"))
    assert ports is not None
    assert ports.patch_merge_key == "port"
    assert ports.patch_strategy == frozenset({"merge"})


def test_target_port_is_int_or_string(schema: KubeSchema) -> None:
    target_port = schema.node_at(SERVICE, ("spec", "ports", "[]", "targetPort"))
    assert target_port is not None
    assert target_port.int_or_string
    assert target_port.type is None
    assert "port" in target_port.description


def test_volumes_retain_keys(schema: KubeSchema) -> None:
    volumes = schema.node_at(DEPLOYMENT, (*POD_SPEC, "volumes"))
    assert volumes is not None
    assert volumes.patch_strategy == frozenset({"merge", "retainKeys"})


def test_selector_is_an_atomic_map(schema: KubeSchema) -> None:
    selector = schema.node_at(DEPLOYMENT, ("spec", "selector"))
    assert selector is not None
    assert selector.map_type == "atomic"
    assert set(selector.properties) == {"matchLabels", "matchExpressions"}


def test_types_are_normalised_and_nullable_is_kept(schema: KubeSchema) -> None:
    replicas = schema.node_at(DEPLOYMENT, ("spec", "replicas"))
    assert replicas is not None
    assert replicas.type == "integer"
    assert replicas.nullable
    assert replicas.format == "int32"


def test_unknown_field_and_kind_give_none(schema: KubeSchema) -> None:
    assert schema.node_at(DEPLOYMENT, ("spec", "nope")) is None
    assert schema.node_at(DEPLOYMENT, ("spec", "replicas", "deeper")) is None
    assert schema.node_for(GroupVersionKind("example.com", "v1", "Widget")) is None


def test_resource_quantities_are_not_int_or_string() -> None:
    schema = load_schema("1.37")
    limits = schema.node_at(DEPLOYMENT, (*POD_SPEC, "containers", "[]", "resources", "limits", "cpu"))
    assert limits is not None
    assert limits.ref_name == "io.k8s.apimachinery.pkg.api.resource.Quantity"
    assert not limits.int_or_string


def test_field_nodes_are_cached() -> None:
    schema = load_schema("1.37")
    first = schema.node_at(DEPLOYMENT, (*POD_SPEC, "containers"))
    assert first is schema.node_at(DEPLOYMENT, (*POD_SPEC, "containers"))


def test_builtin_kinds_are_known_as_builtin() -> None:
    schema = load_schema("1.37")
    assert schema.is_builtin(DEPLOYMENT)
    assert not schema.is_builtin(GroupVersionKind("example.com", "v1", "Widget"))
    assert DEPLOYMENT in schema.kinds()


def test_public_surface() -> None:
    assert sorted(schema_package.__all__) == sorted(
        [
            "DEFAULT_VERSION", "LIST_ITEMS", "CustomResource", "InvalidCustomResourceDefinitionError",
            "KubeSchema", "ListType", "MapType", "ResourceInfo", "ScalePaths", "SchemaNode", "SchemaType",
            "SubresourceInfo", "UnknownSchemaVersionError", "available_versions", "by_preference",
            "load_schema", "version_priority",
        ]
    )
    assert schema_package.DEFAULT_VERSION == "1.32"
