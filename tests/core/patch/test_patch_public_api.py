"""The public surface of fleetops.core.patch (docs/dev/foundation-api.md)."""

from __future__ import annotations

from fleetops.core import patch


def test_public_surface_is_pinned() -> None:
    assert sorted(patch.__all__) == [
        "NoStrategicMergeSchemaError",
        "PatchError",
        "apply_json_patch",
        "apply_merge_patch",
        "apply_strategic_merge_patch",
        "apply_strategic_merge_patch_node",
        "create_merge_patch",
        "create_strategic_merge_patch",
        "create_strategic_merge_patch_node",
    ]
    assert issubclass(patch.PatchError, ValueError)
    assert issubclass(patch.NoStrategicMergeSchemaError, patch.PatchError)


def test_patch_error_carries_path_and_reason() -> None:
    error = patch.PatchError("list item has no merge key 'name'", ("spec", "containers", 2))
    assert error.path == "spec.containers[2]"
    assert error.reason == "list item has no merge key 'name'"
    assert str(error) == "spec.containers[2]: list item has no merge key 'name'"
