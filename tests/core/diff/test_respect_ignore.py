"""RespectIgnoreDifferences: ignored fields keep their live values in what a sync applies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from fleetops.core.diff import IgnoreRules, apply_ignored_to_desired, diff
from fleetops.core.patch import apply_json_patch
from fleetops.core.schema import load_schema

HERE = Path(__file__).parent
SCHEMA = load_schema("1.32")
BASE: dict[str, Any] = yaml.safe_load((HERE / "deployment.yaml").read_text())
SCALED = apply_json_patch(
    BASE["live"],
    [
        {"op": "replace", "path": "/spec/replicas", "value": 5},
        {"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "shop/web:debug"},
        {"op": "add", "path": "/metadata/annotations/team", "value": "payments"},
    ],
)


def rules(**entry: Any) -> IgnoreRules:
    return IgnoreRules.from_application([{"group": "apps", "kind": "Deployment", **entry}])


@pytest.mark.parametrize(
    ("ignore", "path", "value"),
    [
        (rules(jsonPointers=["/spec/replicas"]), ("spec", "replicas"), 5),
        (
            rules(jqPathExpressions=['.spec.template.spec.containers[] | select(.name == "web") | .image']),
            ("spec", "template", "spec", "containers", 0, "image"),
            "shop/web:debug",
        ),
        (rules(jsonPointers=["/metadata/annotations/team"]), ("metadata", "annotations", "team"), "payments"),
    ],
)
def test_ignored_fields_take_live_values(ignore: IgnoreRules, path: tuple[Any, ...], value: Any) -> None:
    desired = BASE["desired"]
    result = apply_ignored_to_desired(desired, SCALED, ignore)
    node: Any = result
    for step in path:
        node = node[step]
    assert node == value
    assert desired["spec"]["replicas"] == 3  # not mutated


def test_fields_owned_by_trusted_managers_take_live_values() -> None:
    live = apply_json_patch(
        SCALED,
        [
            {"op": "remove", "path": "/metadata/managedFields/0/fieldsV1/f:spec/f:replicas"},
            {
                "op": "add",
                "path": "/metadata/managedFields/-",
                "value": {
                    "manager": "kube-controller-manager",
                    "operation": "Update",
                    "subresource": "scale",
                    "apiVersion": "apps/v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:spec": {"f:replicas": {}}},
                },
            },
        ],
    )
    result = apply_ignored_to_desired(
        BASE["desired"], live, rules(managedFieldsManagers=["kube-controller-manager"])
    )
    assert result["spec"]["replicas"] == 5
    assert result["spec"]["template"]["spec"]["containers"][0]["image"] == "shop/web:1.4.2"


def test_an_ignored_field_missing_live_is_left_out() -> None:
    desired = apply_json_patch(
        BASE["desired"], [{"op": "add", "path": "/metadata/labels/tier", "value": "x"}]
    )
    result = apply_ignored_to_desired(desired, BASE["live"], rules(jsonPointers=["/metadata/labels/tier"]))
    assert result["metadata"]["labels"] == {"app": "web"}


def test_a_new_object_is_created_as_desired() -> None:
    assert (
        apply_ignored_to_desired(BASE["desired"], None, rules(jsonPointers=["/spec/replicas"]))
        is BASE["desired"]
    )


def test_other_resources_are_untouched() -> None:
    ignore = IgnoreRules.from_application([{"kind": "ConfigMap", "jsonPointers": ["/spec/replicas"]}])
    assert apply_ignored_to_desired(BASE["desired"], SCALED, ignore) is BASE["desired"]


def test_the_prediction_keeps_ignored_live_values_with_respect_ignore() -> None:
    ignore = rules(jsonPointers=["/spec/replicas"])
    plain = diff(BASE["desired"], SCALED, schema=SCHEMA, ignore=ignore, respect_ignore=False)
    respected = diff(BASE["desired"], SCALED, schema=SCHEMA, ignore=ignore, respect_ignore=True)
    # the image edit is drift either way; replicas are not compared either way
    assert [c.path for c in plain.changes] == [c.path for c in respected.changes]
    assert [c.path for c in respected.changes] == ['.spec.template.spec.containers[name="web"].image']
    assert "replicas" not in respected.predicted_live["spec"]


def test_status_and_server_metadata_are_never_copied() -> None:
    ignore = rules(jsonPointers=["", "/status", "/metadata", "/metadata/resourceVersion", "/spec/replicas"])
    result = apply_ignored_to_desired(BASE["desired"], SCALED, ignore)
    assert "status" not in result
    assert result["spec"]["replicas"] == 5
    assert result["metadata"] == {"name": "web", "namespace": "shop"}  # ignored: removed, not copied
