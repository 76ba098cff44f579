"""Patches on plain-dict Kubernetes objects: JSON patch, JSON merge patch, strategic merge patch.

Public API::

    apply_json_patch(obj, operations) -> Manifest                    # RFC 6902 (jsonpatch)
    apply_merge_patch(obj, patch) / create_merge_patch(original, modified)   # RFC 7386
    apply_strategic_merge_patch(obj, patch, *, schema) -> Manifest   # kubectl patch --type strategic
    apply_strategic_merge_patch_node(obj, patch, node | None)        # None: no metadata
    create_strategic_merge_patch(original, modified, *, schema)      # kubectl's two-way patch
    create_strategic_merge_patch_node(original, modified, node | None)
    PatchError(ValueError) (.path, .reason); NoStrategicMergeSchemaError(PatchError)

All functions are pure: inputs are never modified.
"""

from fleetops.core.patch.errors import NoStrategicMergeSchemaError, PatchError
from fleetops.core.patch.json_patch import apply_json_patch
from fleetops.core.patch.merge_patch import apply_merge_patch, create_merge_patch
from fleetops.core.patch.strategic_apply import apply_strategic_merge_patch, apply_strategic_merge_patch_node
from fleetops.core.patch.strategic_create import (
    create_strategic_merge_patch,
    create_strategic_merge_patch_node,
)

__all__ = [
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
