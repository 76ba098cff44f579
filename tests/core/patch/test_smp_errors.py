"""Malformed strategic merge patches raise PatchError naming the offending path."""

from __future__ import annotations

import pytest
import yaml

from fleetops.core.patch import NoStrategicMergeSchemaError, PatchError, apply_strategic_merge_patch
from fleetops.core.schema import KubeSchema, load_schema

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}, finalizers: [example.com/a]}
spec:
  template:
    spec:
      containers:
      - {name: app, image: app:1, env: [{name: A, value: "1"}]}
      - {name: sidecar, image: s:1}
      - {name: proxy, image: p:1}
      tolerations: [{key: a, operator: Exists}]
"""

ERRORS = [
    (
        "a list item without its merge key",
        "spec: {template: {spec: {containers: [{name: app}, {name: proxy}, {image: nameless}]}}}",
        "spec.template.spec.containers[2]",
        "merge key",
    ),
    (
        "a $patch: delete item without its merge key",
        "spec: {template: {spec: {containers: [{$patch: delete}]}}}",
        "spec.template.spec.containers[0]",
        "merge key",
    ),
    (
        "an env item without its merge key",
        "spec: {template: {spec: {containers: [{name: app, env: [{value: x}]}]}}}",
        "spec.template.spec.containers[0].env[0]",
        "merge key",
    ),
    (
        "an unknown $patch value in a map",
        "metadata: {labels: {$patch: remove}}",
        "metadata.labels.$patch",
        "unknown patch type",
    ),
    (
        "an unknown $patch value in a list item",
        "spec: {template: {spec: {containers: [{name: app, $patch: drop}]}}}",
        "spec.template.spec.containers[0]",
        "unknown patch type",
    ),
    (
        "$patch: merge on a map",
        "spec: {template: {$patch: merge}}",
        "spec.template.$patch",
        "unknown patch type",
    ),
    (
        "$patch: merge on a list item",
        "spec: {template: {spec: {containers: [{name: app, $patch: merge}]}}}",
        "spec.template.spec.containers[0]",
        "merging lists cannot yet be specified",
    ),
    (
        "$setElementOrder that is not a list",
        "spec: {template: {spec: {$setElementOrder/containers: app}}}",
        "spec.template.spec.$setElementOrder/containers",
        "not a list",
    ),
    (
        "$setElementOrder disagreeing with the patch list's order",
        "spec: {template: {spec: {$setElementOrder/containers: [{name: app}, {name: proxy}],"
        " containers: [{name: proxy}, {name: app}]}}}",
        "spec.template.spec.$setElementOrder/containers",
        "does not match",
    ),
    (
        "$setElementOrder on a list of maps without a merge key",
        "spec: {template: {spec: {$setElementOrder/tolerations: [{key: a}]}}}",
        "spec.template.spec.$setElementOrder/tolerations",
        "uncomparable",
    ),
    (
        "a malformed $setElementOrder key",
        "spec: {template: {spec: {$setElementOrder-containers: []}}}",
        "spec.template.spec.$setElementOrder-containers",
        "$setElementOrder",
    ),
    (
        "a malformed $deleteFromPrimitiveList key",
        "metadata: {$deleteFromPrimitiveList_finalizers: [example.com/a]}",
        "metadata.$deleteFromPrimitiveList_finalizers",
        "$deleteFromPrimitiveList",
    ),
    (
        "$retainKeys that is not a list",
        "metadata: {labels: {$retainKeys: app}}",
        "metadata.labels.$retainKeys",
        "not a list",
    ),
    (
        "a patched key missing from $retainKeys",
        "metadata: {labels: {$retainKeys: [app], tier: web}}",
        "metadata.labels.$retainKeys",
        "'tier'",
    ),
]


@pytest.fixture(scope="module")
def schema() -> KubeSchema:
    return load_schema("1.37")


@pytest.mark.parametrize(("title", "patch", "path", "reason"), ERRORS, ids=[error[0] for error in ERRORS])
def test_malformed_patch_names_its_path(
    title: str, patch: str, path: str, reason: str, schema: KubeSchema
) -> None:
    obj = yaml.safe_load(DEPLOYMENT)
    with pytest.raises(PatchError) as raised:
        apply_strategic_merge_patch(obj, yaml.safe_load(patch), schema=schema)
    assert raised.value.path == path
    assert reason in raised.value.reason
    assert path in str(raised.value)


def test_undeclared_object_field_is_an_error_when_both_sides_are_objects(schema: KubeSchema) -> None:
    obj = yaml.safe_load(DEPLOYMENT)
    obj["spec"]["template"]["spec"]["containers"][0]["extra"] = {"a": 1}
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "app", "extra": {"b": 2}}]}}}}
    with pytest.raises(PatchError) as raised:
        apply_strategic_merge_patch(obj, patch, schema=schema)
    assert raised.value.path == "spec.template.spec.containers[0].extra"
    assert "unable to find api field" in raised.value.reason


@pytest.mark.parametrize(
    "obj",
    [
        {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}},
        {"apiVersion": "v1", "kind": "NoSuchKind", "metadata": {"name": "n"}},
        {"metadata": {"name": "no-kind"}},
    ],
)
def test_kinds_without_strategic_merge_metadata_are_refused(
    obj: dict[str, object], schema: KubeSchema
) -> None:
    with pytest.raises(NoStrategicMergeSchemaError):
        apply_strategic_merge_patch(obj, {"metadata": {"labels": {"a": "b"}}}, schema=schema)


def test_patch_must_be_an_object(schema: KubeSchema) -> None:
    with pytest.raises(PatchError):
        apply_strategic_merge_patch(yaml.safe_load(DEPLOYMENT), [], schema=schema)  # type: ignore[arg-type]
