"""JSON patch (RFC 6902) through jsonpatch, with errors naming the path."""

from __future__ import annotations

import pytest

from fleetops.core.patch import PatchError, apply_json_patch

OBJ = {
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {"containers": [{"name": "a"}, {"name": "b"}]},
}


def test_operations_apply_in_order_without_touching_the_input() -> None:
    operations = [
        {"op": "add", "path": "/metadata/labels/tier", "value": "db"},
        {"op": "replace", "path": "/spec/containers/1/name", "value": "c"},
        {"op": "remove", "path": "/metadata/labels/app"},
        {"op": "copy", "from": "/metadata/name", "path": "/metadata/generateName"},
        {"op": "move", "from": "/spec/containers/0", "path": "/spec/containers/-"},
        {"op": "test", "path": "/spec/containers/0/name", "value": "c"},
    ]
    result = apply_json_patch(OBJ, operations)
    assert result == {
        "metadata": {"name": "web", "labels": {"tier": "db"}, "generateName": "web"},
        "spec": {"containers": [{"name": "c"}, {"name": "a"}]},
    }
    assert OBJ["metadata"]["labels"] == {"app": "web"}


@pytest.mark.parametrize(
    ("operation", "path"),
    [
        ({"op": "remove", "path": "/spec/containers/5"}, "spec.containers[5]"),
        ({"op": "replace", "path": "/spec/containers/1/image", "value": "x"}, "spec.containers[1].image"),
        ({"op": "test", "path": "/spec/containers/0/name", "value": "zz"}, "spec.containers[0].name"),
        ({"op": "remove", "path": "/metadata/nope"}, "metadata.nope"),
        ({"op": "frobnicate", "path": "/metadata"}, "metadata"),
        ({"path": "/metadata"}, "metadata"),
    ],
)
def test_failing_operation_names_its_path(operation: dict[str, object], path: str) -> None:
    with pytest.raises(PatchError) as raised:
        apply_json_patch(OBJ, [{"op": "add", "path": "/metadata/x", "value": 1}, operation])
    assert raised.value.path == path
    assert "operation 1" in raised.value.reason


def test_a_patch_must_be_a_list_of_objects() -> None:
    with pytest.raises(PatchError):
        apply_json_patch(OBJ, {"op": "add"})  # type: ignore[arg-type]
    with pytest.raises(PatchError):
        apply_json_patch(OBJ, ["add"])  # type: ignore[list-item]
