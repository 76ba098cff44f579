"""`spec.syncPolicy` as one frozen value: automated sync, options, retry, namespace metadata.

The parts are core.sync's own types (`Automated`, `SyncOptions`, `RetryStrategy`), so the
planner and the automated-sync rules read exactly what the Application says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fleetops.core import sync
from fleetops.core.app.errors import SpecError
from fleetops.core.app.fields import mapping, spec, string_map, strings


@dataclass(frozen=True, slots=True)
class ManagedNamespaceMetadata:
    """Labels and annotations for the namespace `CreateNamespace=true` creates."""

    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SyncPolicy:
    automated: sync.Automated | None = None
    sync_options: tuple[str, ...] = ()  # as written
    options: sync.SyncOptions = field(default_factory=sync.SyncOptions)
    retry: sync.RetryStrategy | None = None
    managed_namespace_metadata: ManagedNamespaceMetadata | None = None

    @property
    def automated_enabled(self) -> bool:
        """Argo CD's `IsAutomatedSyncEnabled`: `automated` present and not `enabled: false`."""
        return self.automated is not None and self.automated.enabled


def sync_policy(app: Mapping[str, Any]) -> SyncPolicy:
    """The Application's sync policy; `SpecError` (with the field's path) for a value Argo CD
    rejects, e.g. `CreateNamespace=yes` or `retry.backoff.duration: soon`."""
    raw = mapping(spec(app).get("syncPolicy"))
    written = strings(raw.get("syncOptions"))
    try:
        options = sync.parse_sync_options(written)
    except sync.SyncOptionError as error:
        raise SpecError("spec.syncPolicy.syncOptions", str(error)) from error
    retry_spec = raw.get("retry")
    try:
        retry = sync.parse_retry(mapping(retry_spec)) if retry_spec is not None else None
    except sync.RetryError as error:
        raise SpecError("spec.syncPolicy.retry", str(error)) from error
    metadata = raw.get("managedNamespaceMetadata")
    return SyncPolicy(
        automated=sync.parse_automated(raw),
        sync_options=written,
        options=options,
        retry=retry,
        managed_namespace_metadata=(
            ManagedNamespaceMetadata(
                labels=string_map(mapping(metadata).get("labels")),
                annotations=string_map(mapping(metadata).get("annotations")),
            )
            if metadata is not None
            else None
        ),
    )


def autosync_enabled(app: Mapping[str, Any]) -> bool:
    """Is automated sync on? Never raises (for display and metrics)."""
    automated = mapping(spec(app).get("syncPolicy")).get("automated")
    return isinstance(automated, Mapping) and automated.get("enabled") is not False
