"""render_diff's text, value paths and pointers, and the pinned public surface of fleetops.core.diff."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import fleetops.core.diff as diff_api
from fleetops.core.diff import diff
from fleetops.core.diff.paths import MISSING, delete_paths, format_path, get_path, set_path
from fleetops.core.diff.pointers import parse_pointer, resolve_pointer
from fleetops.core.patch import apply_json_patch
from fleetops.core.schema import load_schema

HERE = Path(__file__).parent
BASE: dict[str, Any] = yaml.safe_load((HERE / "deployment.yaml").read_text())


def test_render_diff_is_a_unified_yaml_diff() -> None:
    live = apply_json_patch(BASE["live"], [{"op": "replace", "path": "/spec/replicas", "value": 5}])
    text = diff(BASE["desired"], live, schema=load_schema("1.32")).render_diff(context=1)
    assert text == (
        "===== apps/Deployment shop/web ======\n"
        "--- live/apps.Deployment.shop.web\n"
        "+++ desired/apps.Deployment.shop.web\n"
        "@@ -12,3 +12,3 @@\n"
        "   progressDeadlineSeconds: 600\n"
        "-  replicas: 5\n"
        "+  replicas: 3\n"
        "   revisionHistoryLimit: 10\n"
    )


def test_normalized_objects_have_no_server_owned_fields() -> None:
    result = diff(BASE["desired"], BASE["live"], schema=load_schema("1.32"))
    for obj in (result.predicted_live, result.normalized_live):
        assert obj is not None
        assert "status" not in obj
        for name in ("managedFields", "resourceVersion", "uid", "generation", "creationTimestamp"):
            assert name not in obj["metadata"]
        assert obj["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"


@pytest.mark.parametrize(
    ("pointer", "tokens", "path"),
    [
        ("", (), ()),
        ("/spec/replicas", ("spec", "replicas"), ("spec", "replicas")),
        ("/metadata/annotations/a~1b~0c", ("metadata", "annotations", "a/b~c"), None),
        ("/spec/list/1", ("spec", "list", "1"), ("spec", "list", 1)),
        ("/spec/list/01", ("spec", "list", "01"), None),
        ("/spec/list/-", ("spec", "list", "-"), None),
    ],
)
def test_json_pointers(pointer: str, tokens: tuple[str, ...], path: tuple[Any, ...] | None) -> None:
    obj = {"spec": {"replicas": 1, "list": ["a", "b"]}, "metadata": {"annotations": {}}}
    assert parse_pointer(pointer) == tokens
    assert resolve_pointer(obj, tokens) == path


def test_value_paths() -> None:
    obj = {"a": [{"b": 1}, {"b": 2}, {"b": 3}], "c": {"d": "x"}}
    assert get_path(obj, ("a", 1, "b")) == 2
    assert get_path(obj, ("a", 5)) is MISSING
    assert delete_paths(obj, [("a", 0), ("a", 2), ("c", "d"), ("zz",)]) == {"a": [{"b": 2}], "c": {}}
    assert set_path(obj, ("c", "e", "f"), 1)["c"] == {"d": "x", "e": {"f": 1}}
    assert set_path(obj, ("a", 9, "b"), 1) is obj
    assert obj == {"a": [{"b": 1}, {"b": 2}, {"b": 3}], "c": {"d": "x"}}
    assert (
        format_path(("metadata", "labels", "app.kubernetes.io/name"))
        == '.metadata.labels."app.kubernetes.io/name"'
    )
    assert format_path(("spec", "containers", 0, "image")) == ".spec.containers[0].image"


def test_public_surface() -> None:
    assert set(diff_api.__all__) == {
        "FIELD_MANAGER",
        "TAKEOVER_MANAGERS",
        "ChangeKind",
        "ChangedPath",
        "ComparisonResult",
        "IgnoreRule",
        "IgnoreRules",
        "InvalidIgnoreRuleError",
        "ResourceComparison",
        "ResourceDiff",
        "SyncStatus",
        "VersionMismatchError",
        "apply_ignored_to_desired",
        "compare_app",
        "diff",
        "fingerprint",
        "mask_secret",
        "resource_key",
    }
    assert all(hasattr(diff_api, name) for name in diff_api.__all__)
    assert diff_api.FIELD_MANAGER == "fleetops"
