"""CRDs extend a schema with their structural schemas and resources; malformed CRDs are refused."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from fleetops.core.schema import InvalidCustomResourceDefinitionError, ScalePaths, load_schema
from fleetops.model import GroupKind, GroupVersionKind, GroupVersionResource

WIDGETS = yaml.safe_load(
    """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    kind: Widget
    shortNames: [wd]
    categories: [all, toys]
  versions:
  - name: v1alpha1
    served: false
    storage: false
    schema:
      openAPIV3Schema: {type: object}
  - name: v1beta1
    served: true
    storage: false
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
        labelSelectorPath: .status.selector
    schema:
      openAPIV3Schema:
        type: object
        required: [spec]
        properties:
          spec:
            type: object
            properties:
              replicas: {type: integer, default: 1}
              size: {type: string, enum: [small, large]}
              port: {x-kubernetes-int-or-string: true}
              parts:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name, slot]
                items:
                  type: object
                  required: [name, slot]
                  properties:
                    name: {type: string}
                    slot: {type: integer}
                    settings:
                      type: object
                      additionalProperties: {type: string}
              tags:
                type: array
                x-kubernetes-list-type: set
                items: {type: string}
              selector:
                type: object
                x-kubernetes-map-type: atomic
                properties:
                  app: {type: string}
              config:
                type: object
                x-kubernetes-preserve-unknown-fields: true
              template:
                type: object
                x-kubernetes-embedded-resource: true
                x-kubernetes-preserve-unknown-fields: true
          status:
            type: object
            properties:
              replicas: {type: integer}
"""
)
V1 = GroupVersionKind("example.com", "v1", "Widget")
V1BETA1 = GroupVersionKind("example.com", "v1beta1", "Widget")


def test_with_crd_returns_an_extended_copy() -> None:
    base = load_schema("1.37")
    extended = base.with_crd(WIDGETS)
    assert base.node_for(V1) is None
    assert extended.node_for(V1) is not None
    assert extended.crd_names() == ["widgets.example.com"]
    assert extended.version == "1.37"
    assert not extended.is_builtin(V1)
    assert extended.is_builtin(GroupVersionKind("apps", "v1", "Deployment"))


def test_only_served_versions_get_schemas_and_resources() -> None:
    schema = load_schema("1.37").with_crd(WIDGETS)
    assert schema.node_for(GroupVersionKind("example.com", "v1alpha1", "Widget")) is None
    assert schema.resource_for_kind(GroupVersionKind("example.com", "v1alpha1", "Widget")) is None
    loose = schema.node_for(V1BETA1)
    assert loose is not None
    assert loose.preserve_unknown_fields


def test_nested_structural_schema() -> None:
    schema = load_schema("1.32").with_crd(WIDGETS)
    root = schema.node_for(V1)
    assert root is not None
    assert root.required == ("spec",)
    replicas = schema.node_at(V1, ("spec", "replicas"))
    assert replicas is not None
    assert (replicas.type, replicas.default, replicas.has_default) == ("integer", 1, True)
    size = schema.node_at(V1, ("spec", "size"))
    assert size is not None
    assert size.enum == ("small", "large")
    port = schema.node_at(V1, ("spec", "port"))
    assert port is not None
    assert port.int_or_string
    assert port.type is None


def test_list_and_map_extensions() -> None:
    schema = load_schema("1.32").with_crd(WIDGETS)
    parts = schema.node_at(V1, ("spec", "parts"))
    assert parts is not None
    assert (parts.list_type, parts.list_map_keys) == ("map", ("name", "slot"))
    assert parts.patch_merge_key is None
    setting = schema.node_at(V1, ("spec", "parts", "[]", "settings", "colour"))
    assert setting is not None
    assert setting.type == "string"
    tags = schema.node_at(V1, ("spec", "tags"))
    assert tags is not None
    assert tags.list_type == "set"
    selector = schema.node_at(V1, ("spec", "selector"))
    assert selector is not None
    assert selector.map_type == "atomic"


def test_preserve_unknown_fields_and_embedded_resources() -> None:
    schema = load_schema("1.32").with_crd(WIDGETS)
    config = schema.node_at(V1, ("spec", "config"))
    assert config is not None
    assert config.preserve_unknown_fields
    assert config.field("anything") is None
    template = schema.node_at(V1, ("spec", "template"))
    assert template is not None
    assert template.embedded_resource
    assert {"apiVersion", "kind", "metadata"} <= set(template.properties)


def test_metadata_is_object_meta() -> None:
    schema = load_schema("1.32").with_crd(WIDGETS)
    finalizers = schema.node_at(V1, ("metadata", "finalizers"))
    assert finalizers is not None
    assert finalizers.items is not None
    assert finalizers.items.type == "string"
    kind = schema.node_at(V1, ("kind",))
    assert kind is not None
    assert kind.type == "string"


def test_custom_resource_info() -> None:
    schema = load_schema("1.37").with_crd(WIDGETS)
    info = schema.resource_for(GroupVersionResource("example.com", "v1", "widgets"))
    assert info is not None
    assert info is schema.resource_for_kind(V1)
    assert (info.plural, info.singular, info.namespaced) == ("widgets", "widget", True)
    assert info.short_names == ("wd",)
    assert info.categories == ("all", "toys")
    assert not info.builtin
    assert "patch" in info.verbs
    assert info.subresources == ("scale", "status")
    assert info.scale == ScalePaths(".spec.replicas", ".status.replicas", ".status.selector")
    scale = info.subresource("scale")
    assert scale is not None
    assert scale.kind == GroupVersionKind("autoscaling", "v1", "Scale")
    beta = schema.resource_for_kind(V1BETA1)
    assert beta is not None
    assert beta.subresources == ()


def test_cluster_scoped_crd_and_replacement() -> None:
    gadgets = copy.deepcopy(WIDGETS)
    gadgets["spec"]["scope"] = "Cluster"
    schema = load_schema("1.37").with_crd(WIDGETS).with_crd(gadgets)
    info = schema.resource_for_kind(V1)
    assert info is not None
    assert not info.namespaced
    assert len([r for r in schema.resources() if r.gvk == V1]) == 1


def test_without_crd() -> None:
    schema = load_schema("1.37").with_crd(WIDGETS).without_crd("widgets.example.com")
    assert schema.node_for(V1) is None
    assert schema.resource_for_kind(V1) is None
    assert schema.resource_for_kind(GroupVersionKind("apps", "v1", "Deployment")) is not None


def test_the_crd_manifest_is_not_aliased() -> None:
    crd = copy.deepcopy(WIDGETS)
    schema = load_schema("1.37").with_crd(crd)
    crd["spec"]["versions"][2]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"].clear()
    assert schema.node_at(V1, ("spec", "replicas")) is not None


def _broken(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    crd = copy.deepcopy(WIDGETS)
    target = crd
    for step in path[:-1]:
        target = target[step]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return crd


_DELETE = object()
_SPEC = ("spec", "versions", 2, "schema", "openAPIV3Schema", "properties", "spec")
_SPEC_PATH = "spec.versions[2].schema.openAPIV3Schema.properties.spec"


@pytest.mark.parametrize(
    ("path", "value", "error_path"),
    [
        (("apiVersion",), "apiextensions.k8s.io/v1beta1", "apiVersion"),
        (("kind",), "Widget", "kind"),
        (("metadata", "name"), "widgets", "metadata.name"),
        (("spec", "group"), "example", "spec.group"),
        (("spec", "names", "plural"), "Widgets", "spec.names.plural"),
        (("spec", "names", "kind"), _DELETE, "spec.names.kind"),
        (("spec", "names", "shortNames"), "wd", "spec.names.shortNames"),
        (("spec", "scope"), "Global", "spec.scope"),
        (("spec", "versions"), [], "spec.versions"),
        (("spec", "versions", 1, "storage"), True, "spec.versions"),
        (("spec", "versions", 1, "served"), "yes", "spec.versions[1].served"),
        (("spec", "versions", 1, "name"), "v1", "spec.versions[2].name"),
        (("spec", "versions", 1, "schema"), _DELETE, "spec.versions[1].schema"),
        (("spec", "versions", 1, "schema", "openAPIV3Schema", "type"), "string",
         "spec.versions[1].schema.openAPIV3Schema.type"),
        ((*_SPEC, "properties", "size", "type"), _DELETE, f"{_SPEC_PATH}.properties.size.type"),
        ((*_SPEC, "properties", "size", "type"), "text", f"{_SPEC_PATH}.properties.size.type"),
        ((*_SPEC, "properties", "size", "$ref"), "#/x", f"{_SPEC_PATH}.properties.size.$ref"),
        ((*_SPEC, "properties", "tags", "items"), _DELETE, f"{_SPEC_PATH}.properties.tags.items"),
        ((*_SPEC, "properties", "tags", "x-kubernetes-list-type"), "bag",
         f"{_SPEC_PATH}.properties.tags.x-kubernetes-list-type"),
        ((*_SPEC, "properties", "parts", "x-kubernetes-list-map-keys"), ["name", "nope"],
         f"{_SPEC_PATH}.properties.parts.x-kubernetes-list-map-keys"),
        ((*_SPEC, "properties", "parts", "x-kubernetes-list-map-keys"), _DELETE,
         f"{_SPEC_PATH}.properties.parts.x-kubernetes-list-map-keys"),
        ((*_SPEC, "properties", "parts", "items", "properties", "slot"), {"type": "object"},
         f"{_SPEC_PATH}.properties.parts.items.properties.slot.type"),
        ((*_SPEC, "properties", "tags", "items"), {"type": "object"}, f"{_SPEC_PATH}.properties.tags.items"),
        ((*_SPEC, "properties", "selector", "x-kubernetes-map-type"), "loose",
         f"{_SPEC_PATH}.properties.selector.x-kubernetes-map-type"),
        ((*_SPEC, "properties", "selector", "additionalProperties"), {"type": "string"},
         f"{_SPEC_PATH}.properties.selector.additionalProperties"),
        ((*_SPEC, "properties", "config", "x-kubernetes-preserve-unknown-fields"), "true",
         f"{_SPEC_PATH}.properties.config.x-kubernetes-preserve-unknown-fields"),
        ((*_SPEC, "properties", "port", "type"), "string", f"{_SPEC_PATH}.properties.port.type"),
        ((*_SPEC, "required"), "replicas", f"{_SPEC_PATH}.required"),
        (("spec", "versions", 2, "subresources", "scale", "specReplicasPath"), _DELETE,
         "spec.versions[2].subresources.scale.specReplicasPath"),
    ],
)
def test_malformed_crds_name_the_offending_path(path: tuple[Any, ...], value: Any, error_path: str) -> None:
    with pytest.raises(InvalidCustomResourceDefinitionError) as raised:
        load_schema("1.37").with_crd(_broken(path, value))
    assert raised.value.path == error_path
    assert error_path in str(raised.value)


def test_parsed_crd_and_preferred_version() -> None:
    schema = load_schema("1.37").with_crd(WIDGETS)
    custom = schema.custom_resource("widgets.example.com")
    assert custom is not None
    assert custom.storage_version == "v1"
    assert custom.group_kind == GroupKind("example.com", "Widget")
    assert set(custom.nodes) == {V1, V1BETA1}
    preferred = schema.resource_for_group_kind(custom.group_kind)
    assert preferred is not None
    assert preferred.gvk == V1
    assert schema.is_namespaced(custom.group_kind) is True
