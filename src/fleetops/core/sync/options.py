"""Sync options: the Application's `spec.syncPolicy.syncOptions` and the per-resource
`argocd.argoproj.io/sync-options` annotation (Argo CD `sync-options.md`).

Options are `Key=value` strings. A known key with a value Argo CD does not define raises
`SyncOptionError`; an unknown key is kept in `.unknown` so the caller can report it (an
`UnsupportedField` condition), never silently dropped.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from fleetops.core.sync import argo_annotations as argo
from fleetops.core.sync.errors import SyncOptionError


class PropagationPolicy(enum.StrEnum):
    FOREGROUND = "foreground"
    BACKGROUND = "background"
    ORPHAN = "orphan"


@dataclass(frozen=True, slots=True)
class SyncOptions:
    """Application-level options. `server_side_apply` is None when not given: fleetops always
    applies server-side, and `ServerSideApply=false` is accepted (and documented) as such."""

    validate: bool = True
    create_namespace: bool = False
    prune_last: bool = False
    apply_out_of_sync_only: bool = False
    replace: bool = False
    force: bool = False
    server_side_apply: bool | None = None
    prune_propagation_policy: PropagationPolicy = PropagationPolicy.FOREGROUND
    respect_ignore_differences: bool = False
    fail_on_shared_resource: bool = False
    skip_dry_run_on_missing_resource: bool = False
    client_side_apply_migration: bool = True
    unknown: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ResourceSyncOptions:
    """Options one resource carries in its `argocd.argoproj.io/sync-options` annotation.
    None means "not set here" (the application's option applies)."""

    prune: bool = True
    prune_requires_confirmation: bool = False
    delete: bool = True
    delete_requires_confirmation: bool = False
    replace: bool | None = None
    force: bool | None = None
    server_side_apply: bool | None = None
    prune_last: bool = False
    validate: bool | None = None
    skip_dry_run_on_missing_resource: bool = False
    client_side_apply_migration: bool | None = None
    unknown: tuple[str, ...] = field(default=())


_TRUE_FALSE = {"true": True, "false": False}

# option key -> (dataclass field, allowed values -> field value)
_APP_OPTIONS: Mapping[str, tuple[str, Mapping[str, object]]] = {
    "Validate": ("validate", _TRUE_FALSE),
    "CreateNamespace": ("create_namespace", _TRUE_FALSE),
    "PruneLast": ("prune_last", _TRUE_FALSE),
    "ApplyOutOfSyncOnly": ("apply_out_of_sync_only", _TRUE_FALSE),
    "Replace": ("replace", _TRUE_FALSE),
    "Force": ("force", _TRUE_FALSE),
    "ServerSideApply": ("server_side_apply", _TRUE_FALSE),
    "PrunePropagationPolicy": ("prune_propagation_policy", {p.value: p for p in PropagationPolicy}),
    "RespectIgnoreDifferences": ("respect_ignore_differences", _TRUE_FALSE),
    "FailOnSharedResource": ("fail_on_shared_resource", _TRUE_FALSE),
    "SkipDryRunOnMissingResource": ("skip_dry_run_on_missing_resource", _TRUE_FALSE),
    "ClientSideApplyMigration": ("client_side_apply_migration", _TRUE_FALSE),
}

_RESOURCE_OPTIONS: Mapping[str, tuple[str, Mapping[str, object]]] = {
    "Replace": ("replace", _TRUE_FALSE),
    "Force": ("force", _TRUE_FALSE),
    "ServerSideApply": ("server_side_apply", _TRUE_FALSE),
    "PruneLast": ("prune_last", _TRUE_FALSE),
    "Validate": ("validate", _TRUE_FALSE),
    "SkipDryRunOnMissingResource": ("skip_dry_run_on_missing_resource", _TRUE_FALSE),
    "ClientSideApplyMigration": ("client_side_apply_migration", _TRUE_FALSE),
}


def parse_sync_options(options: Iterable[str] | None) -> SyncOptions:
    """`spec.syncPolicy.syncOptions` (a list of `Key=value` strings) as `SyncOptions`."""
    values, unknown = _parse(list(options or []), _APP_OPTIONS, resource="")
    return replace(SyncOptions(), **values, unknown=tuple(unknown))  # type: ignore[arg-type]


def resource_sync_options(obj: Mapping[str, Any]) -> ResourceSyncOptions:
    """The `argocd.argoproj.io/sync-options` annotation of `obj` (comma-separated)."""
    items = argo.csv(obj, argo.SYNC_OPTIONS)
    resource = argo.describe(obj)
    special = [item for item in items if item.split("=", 1)[0].strip() in ("Prune", "Delete")]
    rest = [item for item in items if item not in special]
    values, unknown = _parse(rest, _RESOURCE_OPTIONS, resource=resource)
    for item in special:
        key, value = (part.strip() for part in item.split("=", 1)) if "=" in item else (item, "")
        if value not in ("true", "false", "confirm"):
            raise SyncOptionError(item, 'the value must be "true", "false" or "confirm"', resource=resource)
        name = key.lower()
        values[name] = value != "false"
        values[f"{name}_requires_confirmation"] = value == "confirm"
    return replace(ResourceSyncOptions(), **values, unknown=tuple(unknown))  # type: ignore[arg-type]


def validates(options: SyncOptions, obj: Mapping[str, Any]) -> bool:
    """Whether the write of `obj` asks the server to validate its fields strictly (kubectl
    `--validate=true`, `fieldValidation=Strict`). Argo CD's rule (gitops-engine `sync_context.go`):
    the application's `Validate` and not `Validate=false` in the resource's sync-options annotation;
    `Validate=true` on a resource does not undo the application's `Validate=false`."""
    if not options.validate:
        return False
    for item in argo.csv(obj, argo.SYNC_OPTIONS):
        key, _, value = item.partition("=")
        if key.strip() == "Validate" and value.strip() == "false":
            return False
    return True


def _parse(
    items: list[str], table: Mapping[str, tuple[str, Mapping[str, object]]], *, resource: str
) -> tuple[dict[str, object], list[str]]:
    values: dict[str, object] = {}
    unknown: list[str] = []
    for raw in items:
        item = raw.strip()
        if not item:
            continue
        key, separator, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if key not in table:
            unknown.append(item)
            continue
        if not separator:
            raise SyncOptionError(item, f"expected {key}=<value>", resource=resource)
        name, allowed = table[key]
        if value not in allowed:
            choices = " or ".join(f'"{choice}"' for choice in allowed)
            raise SyncOptionError(item, f"the value must be {choices}", resource=resource)
        values[name] = allowed[value]
    return values, unknown
