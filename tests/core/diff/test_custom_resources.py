"""Custom resources: the CRD's schema when the schema has it, else deduced (maps granular, lists atomic)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from fleetops.core import structured
from fleetops.core.diff import diff
from fleetops.core.schema import KubeSchema, load_schema
from fleetops.model.manifest import gvk

CRD = yaml.safe_load(
    """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
              mode: {type: string}
              endpoints:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    url: {type: string}
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
"""
)

DESIRED = yaml.safe_load(
    """
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: shop}
spec:
  size: 2
  endpoints:
  - {name: a, url: "http://a"}
"""
)

BUILTIN = load_schema("1.32")
WITH_CRD = BUILTIN.with_crd(CRD)


def live_after(schema: KubeSchema, *writes: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    """The live object after fleetops applied DESIRED, then each (manager, object) update."""
    type_ref = structured.from_schema_node(schema.node_for(gvk(DESIRED)))
    live = structured.apply(None, DESIRED, manager="fleetops", type_ref=type_ref, now="T0").object
    for manager, obj in writes:
        live = structured.update(live, obj, manager=manager, type_ref=type_ref, now="T1")
    return live


def changed(**edits: Any) -> dict[str, Any]:
    obj = copy.deepcopy(DESIRED)
    obj["spec"].update(edits.pop("spec", {}))
    obj.update(edits)
    return obj


@pytest.mark.parametrize("schema", [BUILTIN, WITH_CRD], ids=["deduced", "crd"])
def test_a_field_set_by_an_operator_is_not_drift(schema: KubeSchema) -> None:
    live = live_after(schema, ("widget-operator", changed(spec={"mode": "fast"})))
    assert not diff(DESIRED, live, schema=schema).modified


@pytest.mark.parametrize("schema", [BUILTIN, WITH_CRD], ids=["deduced", "crd"])
def test_a_field_fleetops_applied_and_an_operator_changed_is_drift(schema: KubeSchema) -> None:
    live = live_after(schema, ("widget-operator", changed(spec={"size": 5})))
    result = diff(DESIRED, live, schema=schema)
    assert [str(c) for c in result.changes] == [".spec.size: live 5 → desired 2"]


def test_deduced_lists_are_atomic_so_an_added_item_is_drift() -> None:
    endpoints = [{"name": "a", "url": "http://a"}, {"name": "b", "url": "http://b"}]
    live = live_after(BUILTIN, ("widget-operator", changed(spec={"endpoints": endpoints})))
    result = diff(DESIRED, live, schema=BUILTIN)
    assert [(c.path, c.kind) for c in result.changes] == [('.spec.endpoints[name="b"]', "removed")]


def test_crd_map_lists_are_granular_so_an_item_another_manager_added_is_not_drift() -> None:
    endpoints = [{"name": "a", "url": "http://a"}, {"name": "b", "url": "http://b"}]
    live = live_after(WITH_CRD, ("widget-operator", changed(spec={"endpoints": endpoints})))
    assert not diff(DESIRED, live, schema=WITH_CRD).modified


@pytest.mark.parametrize("schema", [BUILTIN, WITH_CRD], ids=["unknown-kind", "status-subresource"])
def test_status_of_custom_resources_is_not_compared(schema: KubeSchema) -> None:
    live = live_after(schema) | {"status": {"phase": "Ready"}}
    desired = DESIRED | {"status": {"phase": "Pending"}}
    result = diff(desired, live, schema=schema)
    assert not result.modified
    assert "status" not in result.predicted_live


def test_an_unknown_field_in_desired_does_not_fit_the_crd_schema() -> None:
    bad = changed(spec={"sizee": 3})
    with pytest.raises(structured.StructuredMergeError):
        diff(bad, live_after(WITH_CRD), schema=WITH_CRD)
