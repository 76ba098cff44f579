"""AppProject fields fleetops does not enforce yet, so a project that sets them is reported
rather than silently half-applied."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fleetops.core.app.fields import mapping
from fleetops.core.app.unsupported import is_set

_NOT_ENFORCED = {
    "roles": "project roles and their JWT tokens (fleetops has no API server roles yet)",
    "syncWindows": "sync windows",
    "signatureKeys": "GnuPG commit signature verification",
    "orphanedResources": "orphaned resource monitoring",
    "destinationServiceAccounts": "impersonation of destination service accounts",
    "permitOnlyProjectScopedClusters": "project-scoped clusters",
}


def unenforced_fields(project: Mapping[str, Any]) -> list[str]:
    """Messages naming each set field of the project's spec that fleetops ignores for now."""
    project_spec = mapping(project.get("spec"))
    return [
        f"spec.{field}: {what} not enforced by fleetops yet"
        for field, what in _NOT_ENFORCED.items()
        if is_set(project_spec.get(field))
    ]
