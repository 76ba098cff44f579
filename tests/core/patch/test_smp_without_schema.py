"""`apply_strategic_merge_patch_node(obj, patch, None)`: no metadata, as kustomize patches custom
resources: objects merge, lists are replaced, directives are still honoured."""

from __future__ import annotations

import pytest
import yaml

from fleetops.core.patch import apply_strategic_merge_patch_node

WIDGET = """
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, labels: {a: "1", b: "2"}}
spec:
  size: 1
  items: [{name: x, v: 1}, {name: y, v: 2}]
  tags: [red, blue]
  nested: {keep: true, drop: true}
"""

TABLE = [
    (
        "maps merge",
        "spec: {size: 2}",
        "spec: {size: 2, items: [{name: x, v: 1}, {name: y, v: 2}],"
        " tags: [red, blue], nested: {keep: true, drop: true}}",
    ),
    (
        "lists are replaced",
        "spec: {items: [{name: z}], tags: [green]}",
        "spec: {size: 1, items: [{name: z}], tags: [green], nested: {keep: true, drop: true}}",
    ),
    (
        "null deletes",
        "spec: {nested: {drop: null}, size: null}",
        "spec: {items: [{name: x, v: 1}, {name: y, v: 2}], tags: [red, blue], nested: {keep: true}}",
    ),
    (
        "$patch: replace",
        "spec: {nested: {$patch: replace, only: 1}}",
        "spec: {size: 1, items: [{name: x, v: 1}, {name: y, v: 2}], tags: [red, blue], nested: {only: 1}}",
    ),
    ("$patch: delete", "spec: {$patch: delete}", "spec: {}"),
    ("$retainKeys", "metadata: {labels: {$retainKeys: [b]}}", "metadata: {name: w, labels: {b: '2'}}"),
    (
        "$deleteFromPrimitiveList",
        "spec: {$deleteFromPrimitiveList/tags: [red]}",
        "spec: {size: 1, items: [{name: x, v: 1}, {name: y, v: 2}], tags: [blue],"
        " nested: {keep: true, drop: true}}",
    ),
]


@pytest.mark.parametrize(("title", "patch", "expected"), TABLE, ids=[row[0] for row in TABLE])
def test_patch_without_metadata(title: str, patch: str, expected: str) -> None:
    obj = yaml.safe_load(WIDGET)
    result = apply_strategic_merge_patch_node(obj, yaml.safe_load(patch), None)
    for key, value in yaml.safe_load(expected).items():
        assert result[key] == value
    assert obj == yaml.safe_load(WIDGET)
