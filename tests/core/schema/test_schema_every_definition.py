"""Every definition of every shipped version resolves: each `$ref` names a definition and every
patch, list and map extension is read into a known value."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fleetops.core.schema import SchemaNode, available_versions, load_schema


def _children(node: SchemaNode) -> Iterator[tuple[str, SchemaNode]]:
    for name in node.properties:
        child = node.field(name)
        assert child is not None
        yield name, child
    if node.items is not None:
        yield "[]", node.items
    if node.additional_properties is not None:
        yield "{}", node.additional_properties


@pytest.mark.parametrize("version", available_versions())
def test_every_field_of_every_definition_resolves(version: str) -> None:
    schema = load_schema(version)
    definitions = schema.definitions
    checked = 0
    for name in definitions.names():
        root = SchemaNode(definitions.definition(name) or {}, definitions, ref_name=name)
        for field_name, child in _children(root):
            raw_ref = (root.raw.get("properties") or {}).get(field_name, {}).get("$ref")
            if raw_ref is not None:
                assert child.ref_name == raw_ref.removeprefix("#/$defs/"), f"{name}.{field_name}"
            for _, grandchild in _children(child):
                assert grandchild.type in (None, "object", "array", "string", "integer", "number", "boolean")
            raw = child.raw
            if "x-kubernetes-list-type" in raw:
                assert child.list_type is not None, f"{name}.{field_name}"
            if "x-kubernetes-map-type" in raw:
                assert child.map_type is not None, f"{name}.{field_name}"
            assert child.patch_strategy <= {"merge", "retainKeys", "replace"}
            if child.list_type == "map":
                assert child.list_map_keys, f"{name}.{field_name}"
            checked += 1
    assert checked > 2000
