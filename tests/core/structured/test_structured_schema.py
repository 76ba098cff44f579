"""The schema abstraction: structured-merge-diff's schema format and Kubernetes OpenAPI."""

from __future__ import annotations

import pytest

from fleetops.core.schema import load_schema
from fleetops.core.structured import (
    DEDUCED,
    SchemaError,
    StructuredMergeError,
    from_schema_node,
    parse_schema,
)
from fleetops.core.structured import to_field_set as field_set
from fleetops.model.gvk import GroupVersionKind

SMD_SCHEMA = """
types:
- name: root
  map:
    fields:
    - name: ports
      type:
        namedType: portList
    - name: tags
      type:
        list:
          elementType:
            scalar: string
          elementRelationship: associative
    - name: labels
      type:
        map:
          elementType:
            scalar: string
    - name: frozen
      type:
        namedType: portList
        elementRelationship: atomic
- name: portList
  list:
    elementType:
      map:
        fields:
        - name: port
          type:
            scalar: numeric
        - name: protocol
          default: TCP
          type:
            scalar: string
    elementRelationship: associative
    keys: [port, protocol]
"""


def test_smd_schema_types_and_overrides() -> None:
    types = parse_schema(SMD_SCHEMA)
    root = types.type("root").atom
    assert root.map is not None
    ports = root.map.fields["ports"].atom.list
    assert ports is not None and ports.keys == ("port", "protocol") and not ports.atomic
    frozen = root.map.fields["frozen"].atom.list
    assert frozen is not None and frozen.atomic
    tags = root.map.fields["tags"].atom.list
    assert tags is not None and not tags.keys and not tags.atomic


def test_smd_key_defaults_name_items() -> None:
    root = parse_schema(SMD_SCHEMA).type("root")
    items = field_set({"ports": [{"port": 80}], "tags": ["a"], "labels": {"x": "y"}}, root)
    assert set(items.paths()) == {
        ("f:ports", 'k:{"port":80,"protocol":"TCP"}'),
        ("f:ports", 'k:{"port":80,"protocol":"TCP"}', "f:port"),
        ("f:tags", 'v:"a"'),
        ("f:labels", "f:x"),
    }


def test_undeclared_fields_and_duplicates_are_errors() -> None:
    root = parse_schema(SMD_SCHEMA).type("root")
    with pytest.raises(StructuredMergeError, match="not declared"):
        field_set({"nope": 1}, root)
    with pytest.raises(StructuredMergeError, match="duplicate"):
        field_set({"tags": ["a", "a"]}, root, allow_duplicates=False)
    with pytest.raises(StructuredMergeError, match="expected numeric"):
        field_set({"ports": [{"port": "eighty"}]}, root)


def test_unknown_named_type_is_a_schema_error() -> None:
    with pytest.raises(SchemaError):
        _ = parse_schema("types:\n- name: a\n  map:\n    fields: []\n").type("b").atom


def test_deduced_maps_are_separable_lists_atomic() -> None:
    items = field_set({"a": {"b": 1, "c": [1, 2]}}, DEDUCED)
    assert set(items.paths()) == {("f:a", "f:b"), ("f:a", "f:c"), ("f:a",)}


@pytest.fixture(scope="module")
def deployment_node():  # type: ignore[no-untyped-def]
    return load_schema("1.32").node_for(GroupVersionKind("apps", "v1", "Deployment"))


def test_openapi_list_and_map_types(deployment_node) -> None:  # type: ignore[no-untyped-def]
    root = from_schema_node(deployment_node)
    spec = root.atom.map.fields["spec"].atom.map  # type: ignore[union-attr]
    assert spec is not None
    selector = spec.fields["selector"].atom.map
    assert selector is not None and selector.atomic  # x-kubernetes-map-type: atomic
    pod = spec.fields["template"].atom.map.fields["spec"].atom.map  # type: ignore[union-attr]
    assert pod is not None
    containers = pod.fields["containers"].atom.list
    assert containers is not None and containers.keys == ("name",)
    container = containers.element.atom.map
    assert container is not None
    ports = container.fields["ports"].atom.list
    assert ports is not None and ports.keys == ("containerPort", "protocol")
    args = container.fields["args"].atom.list
    assert args is not None and args.atomic
    tolerations = pod.fields["tolerations"].atom.list
    assert tolerations is not None and tolerations.atomic
    labels = root.atom.map.fields["metadata"].atom.map.fields["labels"].atom.map  # type: ignore[union-attr]
    assert labels is not None and not labels.atomic and labels.element is not None
    finalizers = root.atom.map.fields["metadata"].atom.map.fields["finalizers"].atom.list  # type: ignore[union-attr]
    assert finalizers is not None and not finalizers.atomic and not finalizers.keys  # a set


def test_openapi_int_or_string_and_missing_nodes(deployment_node) -> None:  # type: ignore[no-untyped-def]
    strategy = from_schema_node(deployment_node.field("spec").field("strategy"))
    rolling = strategy.atom.map.fields["rollingUpdate"].atom.map  # type: ignore[union-attr]
    assert rolling is not None
    assert rolling.fields["maxSurge"].atom.scalar == "untyped"
    assert from_schema_node(None) is DEDUCED
