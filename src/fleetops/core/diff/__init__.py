"""Diff: desired against live, predicted locally with server-side apply, as a sync would write.

Public API::

    diff(desired, live, *, schema, manager="fleetops", ignore=None, respect_ignore=False,
         takeover=()) -> ResourceDiff                              (takeover: TAKEOVER_MANAGERS)
    ResourceDiff(key, modified, predicted_live, normalized_live, changes); .missing; .render_diff()
    ChangedPath(path, kind: "added" | "removed" | "changed", live, desired)
    IgnoreRules.from_application(spec["ignoreDifferences"]); IgnoreRules.from_settings(argocd_cm_data)
    IgnoreRule(group, kind, name, namespace, json_pointers, jq_path_expressions, managed_fields_managers)
    apply_ignored_to_desired(desired, live, ignore) -> desired   (RespectIgnoreDifferences)
    mask_secret(obj) -> obj                                       (Secret values as keyed fingerprints)
    compare_app(desired, live, *, schema, manager, ignore, respect_ignore, namespace, takeover)
        -> ComparisonResult
    ComparisonResult(resources, sync_status); .out_of_sync(), .requires_pruning(), .errors(), .render_diff()
    ResourceComparison(key, status, diff, requires_pruning, ignore_extraneous, error, pruned_live)
    VersionMismatchError: the live object was read at another apiVersion than desired's
"""

from fleetops.core.diff.changes import ChangedPath, ChangeKind
from fleetops.core.diff.compare import (
    ComparisonResult,
    ResourceComparison,
    SyncStatus,
    compare_app,
    resource_key,
)
from fleetops.core.diff.compute import FIELD_MANAGER, VersionMismatchError, diff
from fleetops.core.diff.ignore import IgnoreRule, IgnoreRules, InvalidIgnoreRuleError
from fleetops.core.diff.ignoring import apply_ignored_to_desired
from fleetops.core.diff.result import ResourceDiff
from fleetops.core.diff.secrets import fingerprint, mask_secret
from fleetops.core.diff.takeover import TAKEOVER_MANAGERS

__all__ = [
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
]
