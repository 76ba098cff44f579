"""Argo CD Applications as data: thin typed accessors over the Application dict, the spec fields
fleetops does not implement (UnsupportedField), spec validation, conditions, status builders,
and the apps-in-any-namespace rule (pure).

Public API::

    sources(app) -> list[Source]; primary_source(app); has_multiple_sources(app)
    repo_url(source); path(source) ("." default); target_revision(source) ("HEAD" default);
    ref(source); chart(source); declared_source_type(source) -> SourceType | None
    kustomize_overrides(source) -> KustomizeOverrides (images, name_prefix, name_suffix,
        namespace, common_labels, common_annotations, replicas: tuple[Replica], patches, ...)
    directory_options(source) -> DirectoryOptions(recurse, include, exclude)
    destination(app) -> Destination(server, name, namespace) with .is_hub; IN_CLUSTER_SERVER
    project(app) ("default" default); revision_history_limit(app) (10); ignore_differences(app);
    info(app)
    sync_policy(app) -> SyncPolicy(automated, sync_options, options, retry,
        managed_namespace_metadata) (SpecError on a value Argo CD rejects); autosync_enabled(app)
    unsupported_fields(app) -> list[UnsupportedField(path, reason)]; unsupported_conditions(app, now=)
    spec_errors(app) -> list[str]; spec_conditions(app, now=)       # InvalidSpecError
    ConditionType; condition(type, message, now=); set_conditions(current, new, evaluated=, now=)
    SyncStatusCode; compared_to(app); sync_status(...); health_status(...); resource_status(...);
        resources_summary(entries); summary(images=, external_urls=);
        current_sync_status(app); current_health_status(app)
    sync_operation(...); operation_state(...); sync_result(...)
    history_entry(...); next_history_id(history); append_history(history, entry, limit=)
    is_reconcilable(app, control_plane_namespace, project | None) -> bool
    glob_match(pattern, text, separators=""); match_in_list(patterns, text)   # Argo's util/glob
"""

from fleetops.core.app.conditions import (
    Condition,
    ConditionType,
    condition,
    has_error,
    set_conditions,
)
from fleetops.core.app.destination import IN_CLUSTER_NAME, IN_CLUSTER_SERVER, Destination, destination
from fleetops.core.app.directory import DirectoryOptions, directory_options
from fleetops.core.app.errors import SpecError
from fleetops.core.app.globs import glob_match, match_in_list
from fleetops.core.app.history import append_history, history_entry, next_history_id
from fleetops.core.app.kustomize import KustomizeOverrides, Replica, kustomize_overrides
from fleetops.core.app.namespaces import is_namespace_permitted, is_reconcilable, source_namespaces
from fleetops.core.app.operation import operation_state, sync_operation, sync_result
from fleetops.core.app.source import (
    DEFAULT_REVISION,
    Source,
    SourceType,
    chart,
    declared_source_type,
    has_multiple_sources,
    path,
    primary_source,
    ref,
    repo_url,
    sources,
    target_revision,
)
from fleetops.core.app.spec import (
    DEFAULT_PROJECT,
    DEFAULT_REVISION_HISTORY_LIMIT,
    ignore_differences,
    info,
    project,
    revision_history_limit,
)
from fleetops.core.app.status import (
    SyncStatusCode,
    compared_to,
    current_health_status,
    current_sync_status,
    health_status,
    resource_status,
    resources_summary,
    summary,
    sync_status,
)
from fleetops.core.app.sync_policy import ManagedNamespaceMetadata, SyncPolicy, autosync_enabled, sync_policy
from fleetops.core.app.unsupported import UnsupportedField, unsupported_conditions, unsupported_fields
from fleetops.core.app.validation import spec_conditions, spec_errors

__all__ = [
    "DEFAULT_PROJECT",
    "DEFAULT_REVISION",
    "DEFAULT_REVISION_HISTORY_LIMIT",
    "IN_CLUSTER_NAME",
    "IN_CLUSTER_SERVER",
    "Condition",
    "ConditionType",
    "Destination",
    "DirectoryOptions",
    "KustomizeOverrides",
    "ManagedNamespaceMetadata",
    "Replica",
    "Source",
    "SourceType",
    "SpecError",
    "SyncPolicy",
    "SyncStatusCode",
    "UnsupportedField",
    "append_history",
    "autosync_enabled",
    "chart",
    "compared_to",
    "condition",
    "current_health_status",
    "current_sync_status",
    "declared_source_type",
    "destination",
    "directory_options",
    "glob_match",
    "has_error",
    "has_multiple_sources",
    "health_status",
    "history_entry",
    "ignore_differences",
    "info",
    "is_namespace_permitted",
    "is_reconcilable",
    "kustomize_overrides",
    "match_in_list",
    "next_history_id",
    "operation_state",
    "path",
    "primary_source",
    "project",
    "ref",
    "repo_url",
    "resource_status",
    "resources_summary",
    "revision_history_limit",
    "set_conditions",
    "source_namespaces",
    "sources",
    "spec_conditions",
    "spec_errors",
    "summary",
    "sync_operation",
    "sync_policy",
    "sync_result",
    "sync_status",
    "target_revision",
    "unsupported_conditions",
    "unsupported_fields",
]
